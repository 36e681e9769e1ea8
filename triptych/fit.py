"""Text measurement, line wrapping and pagination for the deck: nothing is left to autofit.

Every paragraph the deck writes has an explicit size and an explicit line spacing of
``LINE`` times its size (``spcPts``), so its height is ``lines * size * LINE`` in every
renderer; the only thing to predict is how many lines it wraps to. ``breaks`` predicts it
greedily with the font files' advance widths (``triptych.fonts``), breaking at spaces and,
for a word or URL wider than the box, between characters, as PowerPoint and LibreOffice do.
Like them it also breaks after a hyphen or a slash inside a word (``SOFT_BREAKS``): not
modelling that would under-count the lines of a URL longer than a line, which renderers
cut at its slashes before breaking between characters. Widths get ``SLACK`` on top for
synthesised bold/italic and kerning differences, so the count is an upper bound; the
slides drawn as HTML break with the exact widths (``line_starts(slack=1.0)``), which are
the lines PowerPoint and LibreOffice draw.

On top of that: ``paginate`` cuts a list of paragraphs into pages that each fit a box
(keeping a point with its sub-points when it can, cutting an oversized paragraph between
lines when it must), ``fit_size`` finds the largest size at which text fits a box (titles),
and ``layout_table`` sizes columns and rows and splits a tall table into pages whose header
the caller repeats.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import bidi, fonts
from .markup import Span
from .theme import Theme

#: Line spacing the deck writes on every paragraph, as a multiple of the font size.
LINE = 1.2
#: Measured widths are multiplied by this: room for synthesised styles and renderer rounding.
SLACK = 1.04


class FontBook:
    """The faces of a theme: ``face(role, bold, italic)`` for "heading", "body" or "code"."""

    def __init__(self, theme: Theme):
        self.theme = theme

    def face(self, role: str, bold: bool = False, italic: bool = False) -> fonts.Face:
        return fonts.resolve(self.theme.fonts[role], bold, italic, mono=role == "code")

    def span_face(self, span: Span, role: str, bold: bool = False, italic: bool = False) -> fonts.Face:
        """The face a run is set in: code spans in the code font, others in ``role``'s."""
        return self.face("code" if span.code else role, bold or span.bold, italic or span.italic)


@dataclass(frozen=True)
class Para:
    """One paragraph to set: its runs, size (pt), and how it sits in its box.

    ``indent`` is where the text starts from the box's left edge (a bullet's hanging
    indent), ``space_before`` the gap above it (pt). ``group`` ties sub-points to their
    point so ``paginate`` keeps them on one page when it can. ``bold``/``italic`` apply to
    every run (headings, quotes); ``role`` picks the font ("heading" or "body").

    ``direction`` is "rtl" or "ltr" from the paragraph's first strong character
    (``triptych.bidi``), or "" when it has none and takes the document's; computed when
    not given, and kept by ``replace``, so the rest of a paragraph cut between slides
    runs the way the paragraph does."""

    spans: tuple[Span, ...]
    size: float
    level: int = 0
    indent: float = 0.0
    space_before: float = 0.0
    group: int = 0
    role: str = "body"
    bold: bool = False
    italic: bool = False
    continued: bool = False  # the rest of a paragraph that ``paginate`` had to cut
    direction: str | None = None

    def __post_init__(self) -> None:
        if self.direction is None:
            object.__setattr__(self, "direction", bidi.first_strong(self.text) or "")

    def runs(self, base: str) -> str:
        """Which way this paragraph runs in a document running ``base``: "rtl" or "ltr"."""
        return self.direction or base

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


def _widths(para: Para, book: FontBook, slack: float = SLACK) -> list[float]:
    out: list[float] = []
    for span in para.spans:
        metrics = book.span_face(span, para.role, para.bold, para.italic).metrics
        out.extend(em * para.size * slack for em in metrics.widths(span.text))
    return out


def breaks(text: str, widths: list[float], width: float, soft: str = "") -> list[int]:
    """Start offsets of the lines ``text`` wraps to in a box ``width`` wide (always [0, ...]).

    Greedy: words (runs of non-spaces) fill a line while they fit; spaces hang at the end
    of a line; a "\\n" forces a break; a word wider than the whole line is broken between
    characters. A width of zero or less still advances one character per line.

    ``soft`` lists characters a line may also break after inside a word, as Unicode's
    line breaking rules (and so PowerPoint and LibreOffice) allow after a hyphen or a
    slash that follows a character and precedes a letter: "language-" / "focused"."""
    starts = [0]
    x = 0.0
    filled = False  # the line holds more than spaces: only then is a break before a word useful
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\n":
            starts.append(i + 1)
            x, filled = 0.0, False
            i += 1
            continue
        if char == " ":
            x += widths[i]
            i += 1
            continue
        j = i
        while j < n and text[j] not in " \n":
            j += 1
            if j - 1 > i and j < n and text[j - 1] in soft and text[j] not in " \n" and not text[j].isdigit():
                break
        word = sum(widths[i:j])
        if x + word <= width:
            x += word
        else:
            if filled:
                starts.append(i)
                x = 0.0
            if x + word <= width:
                x += word
            else:  # longer than a line: break between characters
                for k in range(i, j):
                    if x > 0 and x + widths[k] > width:
                        starts.append(k)
                        x = 0.0
                    x += widths[k]
        filled = True
        i = j
    return starts


#: Characters after which renderers also break a line inside a word (see ``breaks``).
SOFT_BREAKS = "-/"


def line_starts(para: Para, width: float, book: FontBook, slack: float = SLACK) -> list[int]:
    """Where each line of ``para`` starts (offsets into ``para.text``) in a box ``width``
    points wide, its indent taken off, breaking where PowerPoint and LibreOffice may (at
    spaces, and after a hyphen or slash inside a word). With ``slack=1.0`` the widths are
    the font files' own: the lines those programs draw, which the HTML slides draw too.
    The default ``SLACK`` gives the upper bound on the line count that heights are made of."""
    return breaks(para.text, _widths(para, book, slack), width - para.indent, SOFT_BREAKS)


def line_count(para: Para, width: float, book: FontBook) -> int:
    """How many lines ``para`` takes in a box ``width`` points wide (at least 1)."""
    return len(line_starts(para, width, book))


def height(para: Para, width: float, book: FontBook, first: bool = False) -> float:
    """Height of ``para`` in points, with its space before unless it opens the box."""
    return (0.0 if first else para.space_before) + line_count(para, width, book) * para.size * LINE


def total_height(paras: list[Para], width: float, book: FontBook) -> float:
    return sum(height(p, width, book, first=i == 0) for i, p in enumerate(paras))


def _cut_spans(spans: tuple[Span, ...], at: int) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    head: list[Span] = []
    tail: list[Span] = []
    pos = 0
    for span in spans:
        end = pos + len(span.text)
        if end <= at:
            head.append(span)
        elif pos >= at:
            tail.append(span)
        else:
            head.append(replace(span, text=span.text[: at - pos]))
            tail.append(replace(span, text=span.text[at - pos:]))
        pos = end
    # The break's spaces belong to neither line.
    if head:
        head[-1] = replace(head[-1], text=head[-1].text.rstrip(" "))
    if tail:
        tail[0] = replace(tail[0], text=tail[0].text.lstrip(" "))
    return tuple(s for s in head if s.text), tuple(s for s in tail if s.text)


def _cut(para: Para, width: float, room: float, book: FontBook, first: bool) -> tuple[Para | None, Para]:
    """Split ``para`` so its head fills at most ``room`` points; the head is None if not one line fits."""
    starts = line_starts(para, width, book)
    lead = 0.0 if first else para.space_before
    fit = int((room - lead) // (para.size * LINE))
    if fit <= 0:
        return None, para
    head, tail = _cut_spans(para.spans, starts[min(fit, len(starts) - 1)])
    return replace(para, spans=head), replace(para, spans=tail, continued=True, space_before=0.0)


def paginate(paras: list[Para], width: float, room: float, book: FontBook) -> list[list[Para]]:
    """Cut ``paras`` into pages that each fit a box ``width`` x ``room`` points.

    A group (a point and its sub-points) moves whole to the next page when it does not fit
    the rest of this one; only a group taller than a whole page is split between its
    paragraphs, and only a paragraph taller than a whole page is cut between lines.
    Always returns at least one page (an empty list gives ``[[]]``)."""
    pages: list[list[Para]] = [[]]
    used = 0.0
    groups: list[list[Para]] = []
    for para in paras:
        if groups and groups[-1][0].group == para.group:
            groups[-1].append(para)
        else:
            groups.append([para])
    for group in groups:
        alone = total_height(group, width, book)  # its height at the top of a page
        need = alone + (group[0].space_before if pages[-1] else 0.0)
        if pages[-1] and used + need > room and alone <= room:
            pages.append([])
            used = 0.0
        for para in group:
            pending: Para | None = para
            while pending is not None:
                first = not pages[-1]
                need = height(pending, width, book, first)
                if used + need <= room:
                    pages[-1].append(pending)
                    used += need
                    pending = None
                    continue
                head, tail = _cut(pending, width, room - used, book, first)
                if head is not None and head.spans:
                    pages[-1].append(head)
                    pending = tail if tail.spans else None
                if pending is not None:
                    if not pages[-1]:  # not one line fits an empty page: place it anyway, once
                        pages[-1].append(pending)
                        pending = None
                    pages.append([])
                    used = 0.0
    if len(pages) > 1 and not pages[-1]:
        pages.pop()
    return pages


def fit_size(paras: list[Para], width: float, room: float, book: FontBook, smallest: float) -> float:
    """The largest size (whole points, from the paragraphs' own size down to ``smallest``)
    at which ``paras`` fit ``width`` x ``room``; ``smallest`` when none does."""
    size = max(p.size for p in paras) if paras else smallest
    while size > smallest:
        scaled = [replace(p, size=size, space_before=p.space_before * size / p.size) for p in paras]
        if total_height(scaled, width, book) <= room:
            return size
        size -= 1
    return smallest


@dataclass(frozen=True)
class TableLayout:
    """How a table is set: font ``size``, column widths and row heights (points; row 0 is
    the header), and ``pages``: the body row indexes (0-based into the content rows) that
    go on each slide, each page under a repeated header."""

    size: float
    widths: tuple[float, ...]
    heights: tuple[float, ...]
    pages: tuple[tuple[int, ...], ...]
    fits: bool


#: Inner margins of a table cell, points (the deck writes the same values on every cell).
CELL_X = 6.0
CELL_Y = 4.0


def _column_widths(cells: list[list[tuple[Span, ...]]], width: float, size: float, book: FontBook) -> list[float]:
    count = max(len(row) for row in cells)
    natural = [0.0] * count
    longest = [0.0] * count  # the widest word: narrower, the column cuts a word
    for r, row in enumerate(cells):
        for c, spans in enumerate(row):
            para = Para(spans, size, bold=r == 0)
            advance = _widths(para, book)
            natural[c] = max(natural[c], sum(advance) + 2 * CELL_X)
            start = 0
            for word in para.text.split(" "):
                longest[c] = max(longest[c], sum(advance[start:start + len(word)]) + 2 * CELL_X)
                start += len(word) + 1
    # Columns share the width in proportion to their natural widths, but each column
    # keeps at least half an equal share so a short column is never squeezed to nothing,
    # and at least its widest word where all of those fit side by side.
    floors = [max(width / count / 2, w) for w in longest]
    if sum(floors) > width:
        floors = [width / count / 2] * count
    wants = [max(f, min(n, width)) for f, n in zip(floors, natural)]
    if sum(wants) <= width:
        spare = width - sum(wants)
        return [w + spare * w / sum(wants) for w in wants]
    rest = width - sum(floors)
    extra = [w - f for w, f in zip(wants, floors)]
    return [f + rest * e / sum(extra) if sum(extra) else width / count for f, e in zip(floors, extra)]


def _word_cut(cells: list[list[tuple[Span, ...]]], widths: list[float], size: float, book: FontBook) -> bool:
    """True when some word of some cell is wider than its column's text width."""
    for r, row in enumerate(cells):
        for c, spans in enumerate(row):
            para = Para(spans, size, bold=r == 0)
            text, advance = para.text, _widths(para, book)
            start = 0
            for word in text.split(" "):
                if sum(advance[start:start + len(word)]) > widths[c] - 2 * CELL_X:
                    return True
                start += len(word) + 1
    return False


def layout_table(cells: list[list[tuple[Span, ...]]], width: float, room: float, book: FontBook,
                 size: float, smallest: float) -> TableLayout:
    """Lay out a table (``cells[0]`` is the header) in a box ``width`` x ``room`` points.

    Rows never split; the table splits between rows, each page repeating the header.
    The size goes down a point at a time (not below ``smallest``) while some row and the
    header cannot share one page, or while a word is wider than its column (it would be
    cut between letters, which neither reads well nor searches); ``fits`` is False when
    even ``smallest`` leaves a row taller than a page."""
    while True:
        widths = _column_widths(cells, width, size, book)
        if size > smallest and _word_cut(cells, widths, size, book):
            size -= 1
            continue
        heights = []
        for r, row in enumerate(cells):
            # The lines as drawn (the font's own widths), not the slack's upper bound: an
            # extra line showed as an empty line under a cell that nearly filled its
            # column. PowerPoint and LibreOffice take a row's height as its least and grow
            # it if their text needs more; the HTML slides draw exactly these lines.
            lines = max((len(line_starts(Para(spans, size, bold=r == 0), widths[c] - 2 * CELL_X, book, slack=1.0))
                         for c, spans in enumerate(row)), default=1)
            heights.append(lines * size * LINE + 2 * CELL_Y)
        body_room = room - heights[0]
        fits = all(h <= body_room for h in heights[1:])
        if fits or size <= smallest:
            break
        size -= 1
    pages: list[list[int]] = [[]]
    used = 0.0
    for index, row_height in enumerate(heights[1:]):
        if pages[-1] and used + row_height > body_room:
            pages.append([])
            used = 0.0
        pages[-1].append(index)
        used += row_height
    return TableLayout(size, tuple(widths), tuple(heights), tuple(tuple(p) for p in pages), fits)
