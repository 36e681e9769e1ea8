"""The typed model every writer reads: ``Talk`` and its parts. Frozen, no I/O.

Text fields hold the author's Markdown exactly as written (after Unicode NFC
normalisation): one-line fields (titles, points, cells) are inline Markdown, ``body``,
``notes`` and ``summary`` are block Markdown. Writers turn them into runs, HTML or safe
Markdown through ``triptych.markup``; nothing here is pre-rendered.

Every value that came from the content file can be traced back to its line through
``Talk.lines``, keyed by the same field path the loader reports errors with, for
example ``"sections[2].points[1]"`` or ``"sections[5].table.rows[0][2]"``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from .errors import Problem

#: The output families a section's ``only:`` can name.
FAMILIES = ("deck", "article", "handout", "carousel")
#: The slide layouts a section's ``layout:`` can name (the deck draws each one).
LAYOUTS = ("title", "agenda", "section", "bullets", "table", "compare", "quote", "image", "chart", "code", "closing")
#: The kinds of chart a ``chart:`` part can be (each a native chart type in the deck).
CHART_TYPES = ("column", "bar", "line", "area", "pie", "doughnut")
#: How many tags the article family's outputs carry (Medium, where the article goes, takes five).
ARTICLE_TAGS_MAX = 5


@dataclass(frozen=True)
class Author:
    name: str
    role: str = ""
    url: str = ""


@dataclass(frozen=True)
class Credit:
    """The work this piece is based on (``source:`` in the content)."""

    title: str
    author: str = ""
    url: str = ""


@dataclass(frozen=True)
class Point:
    """A key point: inline Markdown, with at most one level of sub-points."""

    text: str
    points: tuple["Point", ...] = ()
    field: str = ""


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    field: str = ""


@dataclass(frozen=True)
class Column:
    """One side of a comparison."""

    title: str
    points: tuple[Point, ...]
    field: str = ""


@dataclass(frozen=True)
class Quote:
    text: str
    by: str = ""
    field: str = ""


@dataclass(frozen=True)
class Image:
    """A picture inside the content folder. ``path`` is absolute and already checked to
    exist inside ``Talk.base_dir``; ``src`` is the relative path as written."""

    path: Path
    src: str
    alt: str
    caption: str = ""
    field: str = ""


@dataclass(frozen=True)
class Series:
    """One named row of a chart's numbers: one value per category, in category order."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    """A chart of numbers (``chart:``). ``type`` is one of ``CHART_TYPES``; every series
    has one value per category (the loader checks it, and that a pie's values are not
    negative). ``title``, ``categories`` and series names are plain text, shown as written.
    ``unit`` follows each value where it is shown ("46 %"); ``alt`` is the author's
    description, "" for one made from the data (``triptych.charts.text.alt``). ``data`` is
    the CSV file the numbers came from (absolute, inside ``Talk.base_dir``), or None when
    they were written in the content file; ``src`` is that path as written."""

    type: str
    categories: tuple[str, ...] = ()
    series: tuple[Series, ...] = ()
    title: str = ""
    unit: str = ""
    alt: str = ""
    source: str = ""
    data: Path | None = None
    src: str = ""
    field: str = ""


@dataclass(frozen=True)
class Code:
    """A code listing shown on its own panel (``code:`` in a section).

    ``text`` is the listing exactly as written (tabs kept; only the block's leading and
    trailing blank lines dropped); ``lang`` a Pygments language name the loader checked;
    ``highlight`` the 1-based numbers of the lines to emphasise, sorted, each within the
    listing."""

    text: str
    lang: str
    caption: str = ""
    highlight: tuple[int, ...] = ()
    field: str = ""

    @property
    def lines(self) -> tuple[str, ...]:
        """The listing's lines (without their line breaks)."""
        return tuple(self.text.split("\n"))


@dataclass(frozen=True)
class Section:
    index: int
    title: str
    id: str
    body: str = ""
    points: tuple[Point, ...] = ()
    notes: str = ""
    table: Table | None = None
    compare: tuple[Column, Column] | None = None
    quote: Quote | None = None
    image: Image | None = None
    chart: Chart | None = None
    code: Code | None = None
    only: frozenset[str] = frozenset(FAMILIES)
    layout: str = ""
    #: ``reveal:``: True shows the points on the deck's slides one click at a time, False
    #: all at once; None (not set) follows the theme (``deck: {reveal: ...}``).
    reveal: bool | None = None

    @property
    def field(self) -> str:
        return f"sections[{self.index}]"

    @property
    def for_readers(self) -> bool:
        """True when the section holds something the article shows (a title alone is not
        enough: a section of speaker notes alone would be an empty heading there)."""
        return any((self.body, self.points, self.table, self.compare, self.quote, self.image, self.chart,
                    self.code))

    def shown_in(self, family: str) -> bool:
        """True when this section appears in the outputs of ``family`` (deck, article,
        handout, carousel): the families its ``only`` names, except that a section with
        nothing ``for_readers`` is not in the article's (the article, the page, the post)."""
        return family in self.only and (family != "article" or self.for_readers)


@dataclass(frozen=True)
class Talk:
    """One content file, validated. ``path`` is the file as the user named it (used in
    messages); ``base_dir`` is the folder images are resolved in and confined to."""

    path: str
    base_dir: Path
    slug: str
    title: str
    author: Author
    sections: tuple[Section, ...]
    subtitle: str = ""
    date: _dt.date | None = None
    lang: str = "en"
    tags: tuple[str, ...] = ()
    canonical_url: str = ""
    source: Credit | None = None
    summary: str = ""
    #: ``theme:``: the theme file this talk asks for (a built-in theme's file, or one inside
    #: ``base_dir``), None for the build's. ``--theme`` on the command line wins over it.
    theme: Path | None = None
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    #: What the loader warns about but builds (``path:line: field: message`` each): text
    #: that YAML read other than it looks (a list item merged into the one above it).
    notices: tuple[Problem, ...] = field(default=(), compare=False, repr=False)

    def line(self, field_path: str) -> int:
        """The content line of ``field_path``, or of its nearest recorded parent, or 0."""
        path = field_path
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return 0

    def sections_in(self, family: str) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.shown_in(family))

    @property
    def article_tags(self) -> tuple[str, ...]:
        """The tags the article, the page and the post carry: the first ``ARTICLE_TAGS_MAX``,
        in content order."""
        return self.tags[:ARTICLE_TAGS_MAX]
