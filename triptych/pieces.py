"""The pieces each output must carry: from the ``Talk``, the texts of the parity table (see
``triptych.parity``), each with its field path and content line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from . import markup
from .model import Chart, Code, Point, Section, Talk
from .writers import output

@dataclass(frozen=True)
class Piece:
    """One text an output must carry.

    ``field`` is the content field path ("sections[2].points[1]"); ``text`` the plain text
    a reader sees; ``line`` the content line (0 when unknown); ``part`` the paragraph or
    list item number (1-based) inside a block field, or the line of a code listing (then
    ``unit`` is "line"), 0 for one-line fields.
    """

    field: str
    text: str
    line: int
    part: int = 0
    parts: int = 0
    #: What ``part`` counts: "paragraph" (of a block field), or "line" (of a listing).
    unit: str = "paragraph"


#: Which content goes where: output family -> (body and summary?, notes?).
_PROSE = {"deck": False, "article": True, "handout": True, "carousel": False}
_NOTES = {"deck": True, "article": False, "handout": True, "carousel": False}
#: What slides show of a section (``slide_pieces``): neither prose nor notes.
_SLIDES = "slides"


def _inline(talk: Talk, field_path: str, text: str, markdown: bool = True) -> list[Piece]:
    plain = markup.to_plain(text) if markdown else text
    return [Piece(field_path, plain, talk.line(field_path))] if plain.strip() else []


def _block(talk: Talk, field_path: str, text: str) -> list[Piece]:
    # A code block is checked line by line, so a listing missing one line says which.
    parts = [part for b in markup.blocks(text)
             for part in (b.plain.split("\n") if b.pre else [b.plain]) if part.strip()]
    line = talk.line(field_path)
    if len(parts) == 1:
        return [Piece(field_path, parts[0], line)]
    return [Piece(field_path, p, line, i + 1, len(parts)) for i, p in enumerate(parts)]


def _code(talk: Talk, code: Code) -> list[Piece]:
    # Line by line, as a code block in prose: a listing missing one line says which. Tabs
    # and indentation are whitespace, which every output may show differently.
    where = f"{code.field}.text"
    lines = code.lines
    out = [Piece(where, line, talk.line(where), i + 1, len(lines), "line") for i, line in enumerate(lines)
           if line.strip()]
    return out + _inline(talk, f"{code.field}.caption", code.caption)


def _points(talk: Talk, points: Iterable[Point]) -> list[Piece]:
    out: list[Piece] = []
    for point in points:
        out += _inline(talk, point.field, point.text)
        out += _points(talk, point.points)
    return out


def _section(talk: Talk, section: Section, family: str) -> list[Piece]:
    f = section.field
    out = _inline(talk, f"{f}.title", section.title)
    if _PROSE.get(family, False):
        out += _block(talk, f"{f}.body", section.body)
    out += _points(talk, section.points)
    if section.table:
        t = section.table
        out += [p for i, c in enumerate(t.columns) for p in _inline(talk, f"{t.field}.columns[{i}]", c)]
        out += [p for r, row in enumerate(t.rows) for c, cell in enumerate(row)
                for p in _inline(talk, f"{t.field}.rows[{r}][{c}]", cell)]
    if section.compare:
        for column in section.compare:
            out += _inline(talk, f"{column.field}.title", column.title)
            out += _points(talk, column.points)
    if section.quote:
        out += _block(talk, f"{section.quote.field}.text", section.quote.text)
        out += _inline(talk, f"{section.quote.field}.by", section.quote.by)
    if section.chart and family != _SLIDES:
        out += _chart(talk, section.chart)
    if section.code:
        out += _code(talk, section.code)
    if _NOTES.get(family, False):
        out += _block(talk, f"{f}.notes", section.notes)
    return out


def _chart(talk: Talk, chart: Chart) -> list[Piece]:
    """A chart's title, categories, series names (when it shows them: more than one
    series) and every value with its unit, as ``charts.words.value_text`` writes it."""
    from .charts.words import shows_series_names, value_text

    f = chart.field
    out = _inline(talk, f"{f}.title", chart.title, markdown=False)
    out += [p for k, c in enumerate(chart.categories) for p in _inline(talk, f"{f}.categories[{k}]", c, False)]
    for i, series in enumerate(chart.series):
        if shows_series_names(chart):
            out += _inline(talk, f"{f}.series[{i}].name", series.name, markdown=False)
        out += [Piece(f"{f}.series[{i}].values[{k}]", value_text(v, chart.unit), talk.line(f"{f}.series[{i}].values[{k}]"))
                for k, v in enumerate(series.values)]
    return out


def opening_pieces(talk: Talk, links: bool = False) -> list[Piece]:
    """What an excerpt (an output whose record's ``check`` is "opening", such as the
    LinkedIn post) must carry: its opening. The post promotes the article and is trimmed
    to LinkedIn's 3,000 characters from the end, and its first line is cut to about 140,
    so only the opening is promised: the first ``OPENING_WORDS`` words of the
    summary that fit in ``OPENING_CHARS`` characters (the start of the first word
    when even that is longer), or of the talk's title when there is no summary (a
    title longer than the first line is cut there too). With ``links``, as plain text
    writes the summary: each link's address after its text (``markup.linked``).
    """
    if talk.summary.strip():
        first, field = _block(talk, "summary", talk.summary)[0], "summary"
        block = next(b for b in markup.blocks(talk.summary) if b.plain.strip())
        if links and not block.pre:
            first = Piece(field, block.linked, first.line)
    else:
        first, field = _inline(talk, "title", talk.title, markdown=False)[0], "title"
    words: list[str] = []
    for word in first.text.split()[:OPENING_WORDS]:
        if len(" ".join(words + [word])) > OPENING_CHARS:
            break
        words.append(word)
    opening = " ".join(words) or first.text.split()[0][:OPENING_CHARS]
    return [Piece(field, opening, first.line)]


#: How much of the summary an excerpt must open with (see ``opening_pieces``).
OPENING_WORDS = 8
OPENING_CHARS = 100


def expected(talk: Talk, name: str) -> list[Piece]:
    """The pieces output ``name`` must carry, in content order, as its record's ``check``
    says: "family", its family's column of the parity table (``family_pieces``);
    "opening", the opening of the summary or the title (``opening_pieces``); "slides",
    what slides show (``slide_pieces``). Empty fields
    give no piece; a section hidden from the output's family by ``only:`` gives none either."""
    record = output(name)
    if record.check == "opening":  # an excerpt is plain text: a link's address follows its text
        return opening_pieces(talk, links=True)
    if record.check == "slides":
        return slide_pieces(talk, record.family)
    return family_pieces(talk, record.family)


def family_pieces(talk: Talk, family: str) -> list[Piece]:
    """The pieces every full output of ``family`` (deck, article or handout) must carry:
    the parity table's column for that family."""
    out = _inline(talk, "title", talk.title, markdown=False)
    out += _inline(talk, "subtitle", talk.subtitle, markdown=False)
    out += _inline(talk, "author.name", talk.author.name, markdown=False)
    if _PROSE[family]:
        out += _block(talk, "summary", talk.summary)
    for section in talk.sections_in(family):
        out += _section(talk, section, family)
    if family == "deck":
        out += closing_pieces(talk)
    return out


def closing_pieces(talk: Talk) -> list[Piece]:
    """What the deck's closing slide must carry besides the author's name: the opening of
    the summary (as an excerpt must, ``opening_pieces``: the slide shows its first sentence
    or two, the article and handout the whole) and every tag as a hashtag."""
    out = opening_pieces(talk) if talk.summary.strip() else []
    return out + [Piece(f"tags[{i}]", f"#{tag}", talk.line(f"tags[{i}]")) for i, tag in enumerate(talk.tags)]


def slide_pieces(talk: Talk, family: str) -> list[Piece]:
    """What an output made of slides (the slides PDF, the carousel) must carry: the title,
    subtitle and author, and for each section its family shows, its title, points, table
    cells, comparison and quote; no summary, body or notes (slides do not show them)."""
    out = _inline(talk, "title", talk.title, markdown=False)
    out += _inline(talk, "subtitle", talk.subtitle, markdown=False)
    out += _inline(talk, "author.name", talk.author.name, markdown=False)
    for section in talk.sections_in(family):
        out += _section(talk, section, _SLIDES)
    return out
