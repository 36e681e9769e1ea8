"""What a laid-out slide holds: boxes in points, the shapes placed in them, their text.

``layout`` makes ``Slide`` records of these; the deck (python-pptx) and ``html`` draw
them. Everything is in points from the slide's top-left corner. ``Slide.shapes`` lists
the pieces in the order they are drawn, which is also the reading order; a ``Rect`` (a
decoration, holding no text) always sits behind the text, as the deck puts it at the
back of its z-order.

``lines`` cuts a paragraph into the lines PowerPoint and LibreOffice wrap it to, which
is what every HTML rendering of a slide draws.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Union

from .. import bidi, fit, markup
from ..markup import Span
from ..model import Chart, Point, Section

#: Layouts drawn on the cover colour (text in on_cover) in the built-in look: "dark" here
#: means "on the cover", which a light theme (paper) makes a light colour.
DARK = ("title", "closing")
GUTTER = 24.0  # points between side-by-side parts


# ---------------------------------------------------------------- geometry (points)

@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def columns(self, count: int, gutter: float = GUTTER) -> list["Box"]:
        width = (self.w - gutter * (count - 1)) / count
        return [Box(self.x + i * (width + gutter), self.y, width, self.h) for i in range(count)]


@dataclass(frozen=True)
class Backdrop:
    """What a user's master draws behind a layout's slides, as the slides as HTML draw it:
    a colour (RRGGBB), or a gradient (``stops``: (RRGGBB, 0..1) pairs at ``angle`` degrees,
    PowerPoint's 0 being left to right), or a picture stretched over the slide (its bytes and
    media type), and the colour the master sets text in on it (RRGGBB, "" when unknown).
    Pictures it places over the background (``pictures``) may come with no fill at all."""

    color: str = ""
    stops: tuple[tuple[str, float], ...] = ()
    angle: float = 0.0
    picture: bytes = b""
    picture_type: str = ""
    text: str = ""
    #: Pictures the master and layout place on every slide (a logo): (box, bytes, media type).
    pictures: tuple[tuple["Box", bytes, str], ...] = ()


@dataclass(frozen=True)
class Frame:
    """Where a slide's pieces go: title, content, footer (points), and whether it is dark;
    on a user's master, what it draws behind them (``backdrop``)."""

    title: Box
    content: Box
    footer: Box
    number: Box
    dark: bool
    backdrop: Backdrop | None = None


def builtin_frame(layout: str, width: float, height: float) -> Frame:
    """The frame of ``layout`` in the built-in look, on a ``width`` x ``height`` pt slide."""
    margin = round(width * 0.055)
    footer = Box(margin, height - 36, width * 0.7, 20)
    number = Box(width - margin - 80, height - 36, 80, 20)
    if layout == "title":
        return Frame(Box(margin * 1.5, height * 0.2, width - margin * 3, height * 0.34),
                     Box(margin * 1.5, height * 0.62, width - margin * 3, height * 0.3), footer, number, True)
    if layout == "section":
        return Frame(Box(margin * 1.5, height * 0.22, width - margin * 3, height * 0.3),
                     Box(margin * 1.5, height * 0.6, width - margin * 3, height * 0.27), footer, number, False)
    title = Box(margin, height * 0.055, width - 2 * margin, height * 0.16)
    content_top = title.bottom + height * 0.07
    return Frame(title, Box(margin, content_top, width - 2 * margin, height - 48 - content_top),
                 footer, number, layout in DARK)


# ---------------------------------------------------------------- what a slide holds

@dataclass(frozen=True)
class Rect:
    """A filled rectangle with no text (a band, a rule, a card or panel behind text)."""

    box: Box
    color: str  # a theme colour name
    name: str


@dataclass(frozen=True)
class Text:
    """A text box: its paragraphs at their measured sizes, set from the box's top-left
    corner with no inner margin.

    ``color`` is a theme colour name, or None to leave colours to the master; ``branded``
    sets it even on a user's master (table cells, whose fill is ours). ``align`` is
    "left", "center", "right" or None (the master's). ``anchor`` puts the text block at
    the "top", "middle" or "bottom" of the box. ``bullets`` has one entry per paragraph:
    "none", "bullet" or "number". ``body`` marks the content that fills the master's body
    placeholder when the slide has one free (screen readers announce it as the body).
    ``reveal`` asks the deck to show each group of paragraphs (a point with its sub-points,
    ``fit.Para.group``) one click at a time; every other rendering shows them all."""

    box: Box
    paras: tuple[fit.Para, ...]
    color: str | None
    name: str
    align: str | None = None
    anchor: str = "top"
    bullets: tuple[str, ...] = ()
    body: bool = False
    branded: bool = False
    reveal: bool = False

    def bullet(self, number: int) -> str:
        return self.bullets[number] if number < len(self.bullets) else "none"


@dataclass(frozen=True)
class Table:
    """A table at ``box``'s top-left corner: ``cells[0]`` is the header row, the rest the
    rows on this slide; column widths and row heights as ``fit.layout_table`` measured."""

    box: Box
    cells: tuple[tuple[tuple[Span, ...], ...], ...]
    widths: tuple[float, ...]
    heights: tuple[float, ...]
    size: float

    def para(self, row: int, column: int) -> fit.Para:
        """Cell ``(row, column)``'s text as set: the header bold, at the table's size."""
        return fit.Para(self.cells[row][column], self.size, bold=row == 0)

    def runs(self, base: str) -> str:
        """Which way the columns run, "rtl" or "ltr": as the header's text does (its first
        strong character, ``triptych.bidi``), else ``base``, the document's direction."""
        header = "".join(span.text for cell in self.cells[0] for span in cell)
        return bidi.direction(header, base)

    def fill(self, row: int) -> str:
        """The theme colour behind row ``row``: the header's primary, then banded rows."""
        return "primary" if row == 0 else ("light" if row % 2 == 0 else "background")

    def ink(self, row: int) -> str:
        """The theme colour of row ``row``'s text."""
        return "on_primary" if row == 0 else "text"


@dataclass(frozen=True)
class Picture:
    box: Box
    path: Path
    alt: str  # plain text


@dataclass(frozen=True)
class Plot:
    """A chart filling ``box``: the deck draws it as a native chart, the HTML slides as SVG.
    ``size`` is its labels' font size (points), ``alt`` its alt text (plain)."""

    box: Box
    chart: Chart
    alt: str
    size: float


@dataclass(frozen=True)
class CodeText:
    """Rows of a code listing (``slides.code``) set from ``box``'s top-left corner, one
    paragraph per row, each run in its own colour: ``colors[i][j]`` is the RGB hex of
    ``paras[i].spans[j]``. Colours are always set (the panel behind is ours, on a user's
    master too), so the contrast they were chosen for holds."""

    box: Box
    paras: tuple[fit.Para, ...]
    colors: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class SlideNumber:
    """The slide's number (a field that PowerPoint keeps current), right-aligned in ``box``."""

    box: Box
    number: int
    size: float
    color: str


Shape = Union[Rect, Text, Table, Picture, Plot, CodeText, SlideNumber]

#: The name of the footer's text box (the talk's title and author).
FOOTER = "Footer"


def is_footer(shape: Shape) -> bool:
    """True for the footer and the slide number, which close every slide's shapes."""
    return isinstance(shape, SlideNumber) or (isinstance(shape, Text) and shape.name == FOOTER)


@dataclass(frozen=True)
class Slide:
    """One slide as laid out. ``number`` counts from 1 over the whole deck; ``part`` and
    ``parts`` say which of the planned slide's continuation slides this is (1 of 1 when it
    fits). ``background`` is a theme colour name, or None on a user's master (which may
    have a ``backdrop`` instead). ``title`` is
    the slide title's text box; ``shapes`` the rest in drawing order (decorations, content,
    footer, number); ``notes`` the speaker notes' paragraphs (the deck's notes page)."""

    number: int
    layout: str
    dark: bool
    background: str | None
    title: Text
    shapes: tuple[Shape, ...]
    notes: tuple[fit.Para, ...]
    section: Section | None
    part: int = 1
    parts: int = 1
    backdrop: Backdrop | None = None  # a user's master's background (its frame's)


def mirrored(slide: Slide, width: float) -> Slide:
    """``slide`` as a right-to-left talk lays it out: every box reflected about the slide's
    vertical middle (``width`` points wide), so the title's rule, the first of two compared
    columns, a picture beside points, the footer and the slide number sit where a
    right-to-left reader looks for them first; a text box's "left" and "right" alignments
    swap. Sizes, lines and paragraphs are unchanged (each paragraph's own direction is set
    where it is drawn: ``fit.Para.runs``)."""
    def flip(shape):
        box = shape.box
        shape = replace(shape, box=Box(width - box.x - box.w, box.y, box.w, box.h))
        if isinstance(shape, Text) and shape.align in ("left", "right"):
            shape = replace(shape, align="right" if shape.align == "left" else "left")
        return shape

    return replace(slide, title=flip(slide.title), shapes=tuple(flip(s) for s in slide.shapes))


def rule_x(box: Box, width: float, title: str, lang: str) -> float:
    """Where the accent rule (``width`` points) under a title set in ``box`` starts: under
    the title's first letter. That is the box's left, but for a right-to-left title in a
    left-to-right talk (a Hebrew section of an English talk), which is set from the box's
    right: there the rule stood on the left, under nothing. (A right-to-left talk's slides
    are mirrored whole: ``mirrored``.)"""
    if bidi.lang_direction(lang) == bidi.LTR and bidi.direction(markup.to_plain(title)) == bidi.RTL:
        return box.x + box.w - width
    return box.x


# ---------------------------------------------------------------- paragraphs

def spans(text: str) -> tuple[Span, ...]:
    """Inline Markdown ``text`` as styled spans."""
    return tuple(markup.to_spans(text))


def point_paras(points: tuple[Point, ...], size: float) -> list[fit.Para]:
    """Points and their sub-points as bulleted paragraphs; a point and its sub-points
    share a ``group`` (pagination keeps them together where it can)."""
    paras = []
    for group, point in enumerate(points):
        paras.append(fit.Para(spans(point.text), size, level=1, indent=size * 1.1,
                              space_before=size * 0.55, group=group))
        for sub in point.points:
            paras.append(fit.Para(spans(sub.text), size * 0.86, level=2, indent=size * 1.1 + size * 1.2,
                                  space_before=size * 0.25, group=group))
    return paras


def block_paras(text: str, size: float, space: float, **kw) -> list[fit.Para]:
    """Block Markdown as paragraphs; list items get a bullet-width indent and level."""
    out = []
    for block in markup.blocks(text):
        level = min(block.level, 2)
        # Source line breaks inside a paragraph are soft: they read as spaces. A code
        # block's are the listing's lines, kept (the deck writer sets them as line breaks);
        # its tabs are shown as spaces to the next multiple of four columns.
        texts = tuple(replace(s, text=s.text.expandtabs(4)) for s in block.spans) if block.pre else \
            tuple(replace(s, text=s.text.replace("\n", " ")) for s in block.spans)
        out.append(fit.Para(texts, size, level=level, indent=size * 1.1 * level,
                            space_before=space, **kw))
    return out


def hanging(para: fit.Para) -> float:
    """How far left of the text a paragraph's bullet sits (its hanging indent)."""
    return para.indent if para.level <= 1 else min(para.indent, para.size * 1.3)


def bullet_char(para: fit.Para) -> str:
    return "\u2022" if para.level <= 1 else "\u2013"


def ordinal(para: fit.Para) -> int:
    """The number a numbered paragraph shows: its group, which counts a numbered list's
    items from 1 and stays with each item when the list continues on another slide (an
    agenda of 40 sections goes on at 13 on its second slide, not at 1 again)."""
    return max(para.group, 1)


def lines(para: fit.Para, width: float, book: fit.FontBook) -> list[tuple[Span, ...]]:
    """``para``'s runs cut into the lines PowerPoint and LibreOffice wrap it to in a box
    ``width`` wide (the paragraph's indent taken off; greedy, with the font files' own
    widths: ``fit.line_starts(slack=1.0)``): what each line shows, without the spaces or
    the line break at its end. Always at least one line (maybe empty). The layout's
    heights were measured with ``fit.SLACK`` on top, so these lines never need more room."""
    starts = fit.line_starts(para, width, book, slack=1.0)
    ends = starts[1:] + [len(para.text)]
    return [_trimmed(_slice(para.spans, a, b)) for a, b in zip(starts, ends)]


def _slice(runs: tuple[Span, ...], a: int, b: int) -> list[Span]:
    out, pos = [], 0
    for span in runs:
        end = pos + len(span.text)
        if end > a and pos < b:
            out.append(replace(span, text=span.text[max(a - pos, 0):b - pos]))
        pos = end
    return out


def _trimmed(runs: list[Span]) -> tuple[Span, ...]:
    while runs and not runs[-1].text.rstrip(" \n"):
        runs.pop()
    if runs:
        runs[-1] = replace(runs[-1], text=runs[-1].text.rstrip(" \n"))
    return tuple(runs)
