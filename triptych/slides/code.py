"""A code listing on slides and carousel pages: a panel of measured, coloured rows.

``rows`` turns a listing (``model.Code``) into the rows it is drawn in at a size and a
width: one row per line, and a line wider than the panel wraps onto more rows, each
starting with the line's own indentation and the continuation mark ``MARK`` (so nothing
runs off the slide, and a reader sees the line goes on). Breaks are measured with
``triptych.fit`` (at spaces where it can, between characters in a long word) with its
slack on top, so PowerPoint and LibreOffice never wrap a row again and the HTML slides
draw exactly these rows. Tabs are shown as spaces to the next multiple of ``TAB`` columns.

Each run is coloured by its Pygments token kind (``triptych.highlight``) from a palette
that keeps 4.5:1 contrast on the panel; when the listing emphasises lines, the others are
drawn in the dimmed palette (3:1) and an accent bar marks the emphasised ones. ``panel_pages`` sets the listing as large as fits a box
(from ``size`` down to ``smallest``), then cuts it between rows into pages, keeping a
wrapped line's rows together where it can.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import fit, highlight
from ..markup import Span
from ..model import Code, Section
from .plan import PlannedSlide
from .setting import Setting
from .shapes import Box, CodeText, Rect, Shape, Text, point_paras, spans

#: Marks a row that continues the line above it (a wrapped line).
MARK = highlight.CONTINUES
#: Columns a tab advances to (the page and handout set ``tab-size`` to the same).
TAB = 4


@dataclass(frozen=True)
class Row:
    """One drawn row of a listing: its runs (code spans) and each run's RGB colour;
    ``line`` is the listing's line it belongs to (0-based), ``first`` False on the rows
    a wrapped line continues on."""

    spans: tuple[Span, ...]
    colors: tuple[str, ...]
    line: int
    first: bool = True


def rows(code: Code, size: float, width: float, book: fit.FontBook, panel: str, text: str) -> list[Row]:
    """The rows ``code`` is drawn in at ``size`` points in a box ``width`` points wide, on a
    ``panel`` background with plain code in ``text`` (RGB hex)."""
    bright = highlight.palette(panel, text)
    dim = highlight.dimmed(panel, text) if code.highlight else bright
    emphasised = set(code.highlight)
    out: list[Row] = []
    for number, runs in enumerate(highlight.line_runs(code.text, code.lang)):
        colors = bright if number + 1 in emphasised or not emphasised else dim
        pieces = _expand_tabs([(colors[kind], value) for kind, value in runs])
        out += _wrap(pieces, number, size, width, book, colors["c"])
    return out


def _expand_tabs(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    column, out = 0, []
    for color, value in pieces:
        if "\t" in value:
            expanded = ""
            for char in value:
                if char == "\t":
                    expanded += " " * (TAB - (column + len(expanded)) % TAB)
                else:
                    expanded += char
            value = expanded
        column += len(value)
        out.append((color, value))
    return out


def _wrap(pieces: list[tuple[str, str]], number: int, size: float, width: float, book: fit.FontBook,
          mark_color: str) -> list[Row]:
    """One line's coloured pieces as rows no wider than ``width``."""
    line = "".join(value for _color, value in pieces)
    indent = line[:len(line) - len(line.lstrip(" "))]
    # A continuation row starts at the line's indentation (at most half the width), then the mark.
    prefix = indent[:int(width / 2 / max(book.face("code").metrics.char_width(" ") * size, 0.1))] + MARK + " "
    prefix_w = book.face("code").metrics.width(prefix, size) * fit.SLACK
    out: list[Row] = []
    rest = pieces
    while True:
        # The rest of the line is measured alone, in the width the prefix leaves it.
        spans = tuple(Span(value, code=True) for _c, value in rest)
        starts = fit.line_starts(fit.Para(spans, size, role="code", indent=prefix_w if out else 0.0),
                                 width, book)
        lead = [(mark_color, prefix)] if out else []
        if len(starts) == 1:
            out.append(Row(tuple(Span(v, code=True) for _c, v in lead + rest), tuple(c for c, _v in lead + rest),
                           number, not out))
            return out
        head, rest = _split(rest, starts[1])
        out.append(Row(tuple(Span(v, code=True) for _c, v in lead + head), tuple(c for c, _v in lead + head),
                       number, not out))


def _split(pieces: list[tuple[str, str]], at: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    head, tail, pos = [], [], 0
    for color, value in pieces:
        end = pos + len(value)
        if end <= at:
            head.append((color, value))
        elif pos >= at:
            tail.append((color, value))
        else:
            head.append((color, value[:at - pos]))
            tail.append((color, value[at - pos:]))
        pos = end
    return head, tail


def para(row: Row, size: float) -> fit.Para:
    """The paragraph a row is set as: one line of the code font at ``size``."""
    return fit.Para(row.spans, size, role="code", group=row.line)


def panel_pages(code: Code, box: Box, book: fit.FontBook, colors: dict[str, str], size: float, smallest: float,
                pad: float, caption: list[fit.Para], caption_color: str, panel: str = "light") -> list[list[Shape]]:
    """``code`` in a panel at the top of ``box``: as large as fits (``size`` down to
    ``smallest``, whole points), else at ``smallest`` over as many pages as it takes.
    Each page is the panel (a ``Rect`` of theme colour ``panel``, ``pad`` points of
    margin), the rows in it (``CodeText``) and, on every page, ``caption`` under it."""
    cap_h = fit.total_height(caption, box.w, book) + pad * 0.6 if caption else 0.0
    inner_w = box.w - 2 * pad
    room = box.h - cap_h - 2 * pad
    chosen, laid = smallest, None
    current = size
    while True:
        laid = rows(code, current, inner_w, book, colors[panel], colors["text"])
        if len(laid) * current * fit.LINE <= room or current <= smallest:
            chosen = current
            break
        current = max(smallest, current - 1)
    pages = _pages(laid, max(1, int(room // (chosen * fit.LINE))))
    out = []
    for page in pages:
        height = len(page) * chosen * fit.LINE
        panel_box = Box(box.x, box.y, box.w, height + 2 * pad)
        shapes: list[Shape] = [Rect(panel_box, panel, "Code panel"),
                               *_marks(page, code.highlight, panel_box, box.y + pad, chosen * fit.LINE),
                               CodeText(Box(box.x + pad, box.y + pad, inner_w, height),
                                        tuple(para(r, chosen) for r in page), tuple(r.colors for r in page))]
        if caption:
            top = panel_box.bottom + pad * 0.6
            shapes.append(Text(Box(box.x, top, box.w, max(cap_h, box.bottom - top)), tuple(caption), caption_color,
                               "Caption"))
        out.append(shapes)
    return out


#: The width of the bar that marks emphasised lines at the panel's left edge (points).
MARK_BAR = 5.0


def _marks(page: list[Row], emphasised: tuple[int, ...], panel: Box, top: float, pitch: float) -> list[Rect]:
    """An accent bar at the panel's left edge beside each run of emphasised rows (a
    wrapped line's rows included), so they stand out beyond their brighter colours."""
    marked = set(emphasised)
    bars: list[Rect] = []
    start = None
    for k, row in enumerate([*page, None]):
        on = row is not None and row.line + 1 in marked
        if on and start is None:
            start = k
        elif not on and start is not None:
            bars.append(Rect(Box(panel.x, top + start * pitch, MARK_BAR, (k - start) * pitch), "accent",
                             "Code emphasis"))
            start = None
    return bars


def _pages(laid: list[Row], per_page: int) -> list[list[Row]]:
    """Rows cut into pages of ``per_page``; a wrapped line's rows move whole to the next
    page when they fit one (a line longer than a page is cut between its rows)."""
    pages: list[list[Row]] = [[]]
    i = 0
    while i < len(laid):
        j = i + 1
        while j < len(laid) and not laid[j].first:
            j += 1
        block = laid[i:j]
        if pages[-1] and len(pages[-1]) + len(block) > per_page and len(block) <= per_page:
            pages.append([])
        for row in block:
            if len(pages[-1]) >= per_page:
                pages.append([])
            pages[-1].append(row)
        i = j
    return pages


def fits_beside(code: Code, width: float, height: float, book: fit.FontBook, colors: dict[str, str], size: float,
                pad: float, panel: str = "light") -> bool:
    """True when ``code`` fits a box ``width`` x ``height`` at ``size`` on one page with
    no line wrapped: then it may share a slide with points."""
    laid = rows(code, size, width - 2 * pad, book, colors[panel], colors["text"])
    return all(r.first for r in laid) and len(laid) * size * fit.LINE <= height - 2 * pad


#: A listing's size on a slide, and the smallest it is set at before it continues on
#: another slide, as shares of the theme's body size (18 pt and 14 pt at 22 pt).
SIZE = 0.82
MIN = 0.64
#: A listing longer than this many slides gets a warning: nobody reads that on a screen.
SLIDES_WARN = 3
#: The gap between a listing's panel and its caption (points).
PAD = 14.0


def beside_or_apart(planned: PlannedSlide, s: Setting) -> list[PlannedSlide]:
    """A code slide the plan gave points and a listing is kept when both fit side by side
    (the points on one slide, the listing on one at its full size with no line wrapped);
    otherwise it becomes a bullets slide and a code slide. A section's own ``layout:`` is
    the author's choice and is kept as it is."""
    section = planned.section
    if planned.layout != "code" or set(planned.parts) != {"points", "code"} or section is None or section.layout:
        return [planned]
    area = s.frame("code").content.columns(2)[0]
    paras = point_paras(section.points, s.size("body"))
    points_fit = len(fit.paginate(paras, area.w, area.h * 0.98, s.book)) == 1
    caption = caption_paras(s, section)
    room = area.h - (fit.total_height(caption, area.w, s.book) + PAD if caption else 0.0)
    size = round(s.size("body") * SIZE)
    if points_fit and fits_beside(section.code, area.w, room, s.book, s.theme.colors, size, PAD):
        return [planned]
    return [replace(planned, layout="bullets", parts=("points",)), replace(planned, parts=("code",))]


def caption_paras(s: Setting, section: Section) -> list[fit.Para]:
    """The listing's caption as one italic paragraph in the small size; none without a caption."""
    code = section.code
    return [fit.Para(spans(code.caption), s.size("small"), italic=True)] if code.caption else []
