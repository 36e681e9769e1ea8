"""The parts a slide shows (points, table, comparison, quote, image), each cut into pages.

A part is laid out once for the box it gets (``*_pages``): the result is one page per
slide it needs, measured and split by ``triptych.fit``. A page is a small frozen value
that knows how to draw itself into a box of a slide; a slide whose parts take more than
one page each repeats (see ``slides``) until the longest part is shown. Points split
between paragraphs, a table between rows with its header repeated, a comparison's
columns side by side page by page; a quote is set smaller before it is split, and an
image never splits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Protocol

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.parts.image import Image as PptxImage

from ... import fit, markup
from ...model import Image, Section, Talk
from . import ooxml
from .canvas import SlideState, rect, text_into
from .geometry import GUTTER, Box, emu
from .text import Bullets, Style, fill, point_paras, spans, textbox, block_paras


def all_bullets(para: fit.Para) -> str:
    return "bullet"


class Page(Protocol):
    """What one slide shows of one part."""

    def draw(self, state: SlideState, style: Style, area: Box) -> None: ...


# ---------------------------------------------------------------- points (and any flowing text)

@dataclass(frozen=True)
class TextPage:
    paras: tuple[fit.Para, ...]
    color: str
    bullets: Bullets
    align: object = None

    def draw(self, state: SlideState, style: Style, area: Box) -> None:
        text_into(state, style, area, list(self.paras), self.color, self.bullets, align=self.align)


def text_pages(paras: list[fit.Para], box: Box, style: Style, color: str, bullets: Bullets,
               align=None) -> list[Page]:
    """``paras`` split into pages that each fit ``box``."""
    return [TextPage(tuple(page), color, bullets, align)
            for page in fit.paginate(paras, box.w, box.h * 0.98, style.book)]


# ---------------------------------------------------------------- table

@dataclass(frozen=True)
class TablePage:
    cells: tuple  # the header row, then every body row: spans per cell
    rows: tuple[int, ...]  # the body rows on this page (0 is the first body row)
    layout: fit.TableLayout
    caption: tuple[fit.Para, ...]
    dark: bool

    def draw(self, state: SlideState, style: Style, area: Box) -> None:
        layout = self.layout
        heights = [layout.heights[0]] + [layout.heights[r + 1] for r in self.rows]
        shape = state.slide.shapes.add_table(len(heights), len(layout.widths), emu(area.x), emu(area.y),
                                             emu(sum(layout.widths)), emu(sum(heights)))
        shape.name = "Table"
        tbl = shape.table
        tbl.first_row = True
        tbl.horz_banding = True
        ooxml.set_table_style(shape, ooxml.NO_TABLE_STYLE)
        for c, width in enumerate(layout.widths):
            tbl.columns[c].width = emu(width)
        for r, row_height in enumerate(heights):
            tbl.rows[r].height = emu(row_height)
            source = self.cells[0] if r == 0 else self.cells[self.rows[r - 1] + 1]
            for c, cell_spans in enumerate(source):
                cell = tbl.cell(r, c)
                cell.margin_left = cell.margin_right = emu(fit.CELL_X)
                cell.margin_top = cell.margin_bottom = emu(fit.CELL_Y)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE if r == 0 else MSO_ANCHOR.TOP
                cell.fill.solid()
                shade = "primary" if r == 0 else ("light" if r % 2 == 0 else "background")
                cell.fill.fore_color.rgb = style.color(shade)
                para = fit.Para(cell_spans, layout.size, bold=r == 0)
                cell.text_frame.word_wrap = True
                fill(cell.text_frame, [para], replace(style, branded=True), "on_primary" if r == 0 else "text")
        if self.caption:
            top = area.y + sum(heights) + 8
            textbox(state.slide, Box(area.x, top, area.w, area.bottom - top), list(self.caption), style,
                    "on_primary" if self.dark else "muted", "Caption")


def table_pages(section: Section, box: Box, dark: bool, style: Style, talk: Talk) -> list[Page]:
    """The table at the size that fits ``box`` (down to 10 pt), split between rows.
    A row too tall for a slide even then is warned about, naming its line."""
    table = section.table
    caption = [fit.Para(spans(table.caption), style.size("small"), italic=True)] if table.caption else []
    caption_h = fit.total_height(caption, box.w, style.book) + 8 if caption else 0.0
    cells = [[spans(c) for c in table.columns]] + [[spans(c) for c in row] for row in table.rows]
    count = max(len(r) for r in cells)
    cells = [row + [()] * (count - len(row)) for row in cells]
    layout = fit.layout_table(cells, box.w, (box.h - caption_h) * 0.98, style.book,
                              style.size("table"), min(10.0, style.size("table")))
    if not layout.fits:
        style.ctx.warn(f"{talk.path}:{talk.line(table.field)}: {table.field}: "
                       "a row is too tall for a slide even at the smallest size; it may run off the slide")
    frozen = tuple(tuple(row) for row in cells)
    return [TablePage(frozen, tuple(rows), layout, tuple(caption), dark) for rows in layout.pages]


# ---------------------------------------------------------------- comparison

_CARD_PAD = 16.0


@dataclass(frozen=True)
class CompareColumn:
    heading: tuple[fit.Para, ...]
    heading_height: float
    pages: tuple[tuple[fit.Para, ...], ...]


@dataclass(frozen=True)
class ComparePage:
    columns: tuple[CompareColumn, ...]
    number: int  # which page of each column this slide shows (a shorter column shows nothing)

    def draw(self, state: SlideState, style: Style, area: Box) -> None:
        pad = _CARD_PAD
        for column_box, column in zip(area.columns(2), self.columns):
            if style.branded:
                rect(state, style, column_box, "light", "Card")
                rect(state, style, Box(column_box.x, column_box.y, column_box.w, 5), "accent", "Card rule")
            inner = Box(column_box.x + pad, column_box.y + pad, column_box.w - 2 * pad, column_box.h - 2 * pad)
            head_h = column.heading_height
            textbox(state.slide, Box(inner.x, inner.y, inner.w, head_h), list(column.heading), style, "primary",
                    "Column heading")
            page = list(column.pages[self.number]) if self.number < len(column.pages) else []
            textbox(state.slide, Box(inner.x, inner.y + head_h, inner.w, inner.h - head_h), page, style, "text",
                    "Column points", bullets=all_bullets)


def compare_pages(section: Section, box: Box, dark: bool, style: Style, talk: Talk) -> list[Page]:
    """Two cards side by side, each a heading and its points; the points split page by page."""
    pad = _CARD_PAD
    head_size = style.size("body") * 1.1
    columns = []
    for column in section.compare:
        heading = (fit.Para(spans(column.title), head_size, role="heading", bold=True),)
        inner_w = (box.w - GUTTER) / 2 - 2 * pad
        head_h = fit.total_height(list(heading), inner_w, style.book) + 10
        paras = point_paras(column.points, style.size("body") * 0.9)
        pages = fit.paginate(paras, inner_w, (box.h - 2 * pad - head_h) * 0.98, style.book)
        columns.append(CompareColumn(heading, head_h, tuple(tuple(p) for p in pages)))
    count = max(len(c.pages) for c in columns)
    return [ComparePage(tuple(columns), number) for number in range(count)]


# ---------------------------------------------------------------- quote

_QUOTE_PAD = 28.0


def _quote_box(box: Box) -> Box:
    pad = _QUOTE_PAD
    return Box(box.x + pad + 8, box.y + pad, box.w - 2 * pad - 8, box.h - 2 * pad)


@dataclass(frozen=True)
class QuotePage:
    paras: tuple[fit.Para, ...]

    def draw(self, state: SlideState, style: Style, area: Box) -> None:
        if style.branded:
            rect(state, style, area, "light", "Quote panel")
            rect(state, style, Box(area.x, area.y, 6, area.h), "accent", "Quote rule")
        textbox(state.slide, _quote_box(area), list(self.paras), style, "text", "Quote", anchor=MSO_ANCHOR.MIDDLE)


def quote_pages(section: Section, box: Box, dark: bool, style: Style, talk: Talk) -> list[Page]:
    """The quote and its attribution on a panel, set smaller (down to 16 pt) before it splits."""
    quote = section.quote
    inner = _quote_box(box)
    body = style.size("body")
    by = [fit.Para(spans("\u2014 " + quote.by), body, space_before=body)] if quote.by else []
    paras = block_paras(quote.text, style.size("quote"), style.size("quote") * 0.5, italic=True)
    # Shrink before splitting: a quote cut mid-sentence across slides reads badly and the
    # parity check cannot find it whole. At 16pt the loader's longest quote fits one slide.
    size = fit.fit_size(paras + by, inner.w, inner.h * 0.98, style.book, min(16.0, style.size("quote")))
    scale = size / style.size("quote")
    paras = [replace(p, size=size, space_before=p.space_before * scale, indent=p.indent * scale) for p in paras]
    return [QuotePage(tuple(page)) for page in fit.paginate(paras + by, inner.w, inner.h * 0.98, style.book)]


# ---------------------------------------------------------------- image

@dataclass(frozen=True)
class ImagePage:
    image: Image
    caption: tuple[fit.Para, ...]
    dark: bool

    def draw(self, state: SlideState, style: Style, area: Box) -> None:
        """The picture as large as fits above its caption, centred, with its alt text."""
        caption = list(self.caption)
        cap_h = fit.total_height(caption, area.w, style.book) + 8 if caption else 0.0
        px_w, px_h = PptxImage.from_file(str(self.image.path)).size
        room = Box(area.x, area.y, area.w, area.h - cap_h)
        scale = min(room.w / px_w, room.h / px_h)
        w, h = px_w * scale, px_h * scale
        x = room.x + (room.w - w) / 2
        y = room.y + (room.h - h) / 2
        picture = state.slide.shapes.add_picture(str(self.image.path), emu(x), emu(y), emu(w), emu(h))
        ooxml.name_picture(picture, "Picture", markup.to_plain(self.image.alt))
        if caption:
            textbox(state.slide, Box(area.x, y + h + 8, area.w, cap_h), caption, style,
                    "on_primary" if self.dark else "muted", "Caption", align=PP_ALIGN.CENTER)


def image_pages(section: Section, box: Box, dark: bool, style: Style, talk: Talk) -> list[Page]:
    image = section.image
    caption = (fit.Para(spans(image.caption), style.size("small"), italic=True, space_before=0),) \
        if image.caption else ()
    return [ImagePage(image, caption, dark)]


#: A section's part (other than points) -> how it is laid out into pages.
PAGERS: dict[str, Callable[[Section, Box, bool, Style, Talk], list[Page]]] = {
    "table": table_pages,
    "compare": compare_pages,
    "quote": quote_pages,
    "image": image_pages,
}
