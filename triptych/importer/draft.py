"""What an import found: a content file's fields before they are written as YAML.

Frozen, no I/O. Text is content Markdown as the content format takes it (inline for
one-line fields, block for ``summary``, ``body`` and ``quote.text``), NFC-normalised and
stripped, so loading the written file gives these strings back unchanged.

``reviews`` are the guesses and omissions a person should look at, keyed by the field
path they sit above in the file (``"subtitle"``, ``"sections[2].points"``); the writer
puts each above its field as a ``# review:`` comment and the command line lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Point:
    text: str
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class Quote:
    text: str
    by: str = ""


@dataclass(frozen=True)
class Image:
    """A picture to copy: ``source`` is the file beside the article, ``path`` where it
    goes, relative to the content folder (``images/x.png``)."""

    source: Path
    path: str
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class Code:
    """A listing for the section's ``code:`` part: its text as written, a language the
    content's highlighter knows, and an optional caption (inline Markdown)."""

    text: str
    lang: str
    caption: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    id: str = ""  # only when the title's own slug is taken by an earlier section
    body: str = ""
    points: tuple[Point, ...] = ()
    table: Table | None = None
    quote: Quote | None = None
    image: Image | None = None
    code: Code | None = None


@dataclass(frozen=True)
class Draft:
    title: str
    author: str
    sections: tuple[Section, ...]
    subtitle: str = ""
    date: str = ""
    lang: str = ""
    tags: tuple[str, ...] = ()
    canonical_url: str = ""
    summary: str = ""
    reviews: tuple[tuple[str, str], ...] = field(default=())

    def reviews_at(self, path: str) -> list[str]:
        """The review messages placed above field ``path``."""
        return [message for where, message in self.reviews if where == path]
