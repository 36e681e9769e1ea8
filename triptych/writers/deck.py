"""The deck: a native, editable .pptx with speaker notes, drawn from the slide plan.

How a deck is made:

1. **Plan.** ``templates/deck.yaml.j2`` renders the slide plan (which slides, which
   layout, which parts of which section) as YAML; it is read back with the strict YAML
   reader and checked (``_plan``). A section's ``layout:`` that no layout has is a
   ``ContentError`` at that line, listing the layouts.
2. **Master.** The built-in look starts from python-pptx's template (its layouts carry the
   standard PowerPoint names), set to the theme's slide size, with every position,
   colour, font and decoration drawn from ``ctx.theme``. With ``theme.master`` (theme.yaml
   ``master:`` or ``--master``) the user's .pptx/.potx is used instead: layouts are found
   by name (``LAYOUTS``), their title, subtitle and body placeholders are filled where the
   master put them, and nothing is drawn over the designer's work except the footer.
3. **Fit.** Nothing is left to autofit: every paragraph has an explicit size and line
   spacing, measured with the theme's font files (``triptych.fit``). Points that do not
   fit continue on slides titled "<title> (2/2)"; a tall table splits between rows with
   its header repeated; a long title is set smaller; long words and URLs wrap.
4. **Write.** Runs carry bold, italic, code (code font) and links from ``markup.to_spans``
   and the talk's language; notes come from ``markup.blocks``. The core properties come
   from the content; the zip is rewritten with fixed timestamps and order, so the same
   inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.parts.image import Image as PptxImage
from pptx.util import Emu, Pt

from .. import dates, fit, markup
from ..errors import ContentError
from ..model import Point, Section, Talk
from ..render import render as render_template
from ..yamldata import parse
from . import Context

FAMILY = "deck"
SUFFIX = ".pptx"
PLAN_TEMPLATE = "deck.yaml.j2"

#: Triptych layout -> the master layout names looked for, in order (case-insensitive).
#: A master may name a layout after triptych's own name ("bullets") or use PowerPoint's.
LAYOUTS: dict[str, tuple[str, ...]] = {
    "title": ("title", "Title Slide"),
    "agenda": ("agenda", "Title and Content", "bullets"),
    "section": ("section", "Section Header", "Title Only"),
    "bullets": ("bullets", "Title and Content"),
    "table": ("table", "Title Only"),
    "compare": ("compare", "Title Only"),
    "quote": ("quote", "Title Only"),
    "image": ("image", "Title Only"),
    "closing": ("closing", "Title Only"),
}
PARTS = ("points", "table", "compare", "quote", "image")
#: Layouts drawn on the primary colour (text in on_primary) in the built-in look.
DARK = ("title", "closing")

_TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
_NO_TABLE_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # "No Style, No Grid": we fill cells ourselves
_TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_PRESENTATION_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_GUTTER = 24.0  # points between side-by-side parts


# ---------------------------------------------------------------- the plan

@dataclass(frozen=True)
class PlannedSlide:
    """One entry of the slide plan (see templates/deck.yaml.j2 for the fields)."""

    layout: str
    title: str = ""
    section: Section | None = None
    parts: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    text: str = ""
    lines: tuple[str, ...] = ()


def literal(text: str) -> str:
    """``text`` escaped so that inline Markdown shows it as written (names, titles, tags)."""
    return re.sub(r"([\\`*_{}\[\]()>#+\-.!<])", r"\\\1", text or "")


def _plan(talk: Talk, ctx: Context) -> list[PlannedSlide]:
    sections = talk.sections_in(FAMILY)
    for section in sections:
        if section.layout and section.layout not in LAYOUTS:
            field_path = f"{section.field}.layout"
            raise ContentError.one(talk.path, talk.line(field_path), field_path,
                                   f"unknown layout '{section.layout}'; the layouts are: {', '.join(LAYOUTS)}")
    text = render_template(ctx.templates, PLAN_TEMPLATE, talk=talk, sections=sections, literal=literal,
                           date_text=dates.display(talk.date, talk.lang))
    where = str(ctx.templates / PLAN_TEMPLATE)
    root, problems = parse(text)
    if problems or root is None or root.kind != "map":
        detail = problems[0].message if problems else "the plan must be a mapping with 'slides:'"
        raise ContentError.one(where, problems[0].line if problems else 0, "slides", f"rendered plan: {detail}")
    top = {k.value: v for k, v in root.items}
    slides_node = top.get("slides")
    if slides_node is None or slides_node.kind != "seq":
        raise ContentError.one(where, root.line, "slides", "rendered plan: 'slides:' must be a list")
    by_index = {s.index: s for s in talk.sections}
    plan = []
    for number, node in enumerate(slides_node.items):
        here = f"slides[{number}]"
        if node.kind != "map":
            raise ContentError.one(where, node.line, here, "rendered plan: each slide must be a mapping")
        values = {k.value: v for k, v in node.items}

        def text_of(key: str) -> str:
            value = values.get(key)
            return value.value if value is not None and value.kind == "scalar" else ""

        def list_of(key: str) -> tuple[str, ...]:
            value = values.get(key)
            return tuple(v.value for v in value.items if v.kind == "scalar") if value is not None and value.kind == "seq" else ()

        layout = text_of("layout")
        if layout not in LAYOUTS:
            raise ContentError.one(where, node.line, f"{here}.layout",
                                   f"rendered plan: unknown layout '{layout}'; the layouts are: {', '.join(LAYOUTS)}")
        section = None
        if "section" in values:
            try:
                section = by_index[int(text_of("section"))]
            except (ValueError, KeyError):
                raise ContentError.one(where, node.line, f"{here}.section",
                                       f"rendered plan: no section {text_of('section')!r}") from None
        parts = list_of("parts")
        for part in parts:
            if part not in PARTS or section is None or not getattr(section, part):
                raise ContentError.one(where, node.line, f"{here}.parts",
                                       f"rendered plan: '{part}' is not a part of this slide's section")
        plan.append(PlannedSlide(layout, text_of("title") or (section.title if section else ""), section,
                                 parts, list_of("items"), text_of("text"), list_of("lines")))
    return plan


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

    def columns(self, count: int, gutter: float = _GUTTER) -> list["Box"]:
        width = (self.w - gutter * (count - 1)) / count
        return [Box(self.x + i * (width + gutter), self.y, width, self.h) for i in range(count)]


def _emu(points: float) -> Emu:
    return Emu(int(round(points * 12700)))


def _pt(length: int) -> float:
    return length / 12700


@dataclass
class Frame:
    """Where a slide's pieces go: title, content, footer (points), and whether it is dark."""

    title: Box
    content: Box
    footer: Box
    number: Box
    dark: bool


def _builtin_frame(layout: str, width: float, height: float) -> Frame:
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


def _placeholder_box(shape) -> Box:
    return Box(_pt(shape.left), _pt(shape.top), _pt(shape.width), _pt(shape.height))


def _master_frame(slide_layout, layout: str, width: float, height: float) -> Frame:
    """The frame from the user's master layout: its placeholders' positions where it has them."""
    base = _builtin_frame(layout, width, height)
    title = body = footer = number = None
    for shape in slide_layout.placeholders:
        kind = shape.placeholder_format.type
        if kind in _TITLE_TYPES and title is None:
            title = _placeholder_box(shape)
        elif kind in (*_BODY_TYPES, PP_PLACEHOLDER.SUBTITLE) and body is None:
            body = _placeholder_box(shape)
        elif kind == PP_PLACEHOLDER.FOOTER:
            footer = _placeholder_box(shape)
        elif kind == PP_PLACEHOLDER.SLIDE_NUMBER:
            number = _placeholder_box(shape)
    title = title or base.title
    if body is None:
        top = title.bottom + height * 0.04
        body = Box(title.x, top, title.w, max(height * 0.2, height - 48 - top))
    return Frame(title, body, footer or base.footer, number or base.number, False)


# ---------------------------------------------------------------- text

@dataclass
class Style:
    """Everything writing runs needs: the theme, its fonts, the talk's language."""

    ctx: Context
    book: fit.FontBook
    lang: str
    branded: bool  # True for the built-in look: colours and decorations are ours to set

    def color(self, name: str) -> RGBColor:
        return RGBColor.from_string(self.ctx.theme.colors[name])

    def size(self, name: str) -> float:
        return self.ctx.theme.sizes[name]


def _set_bullet(paragraph, para: fit.Para, style: Style, bullet: str, color: str) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    for tag in ("a:buClr", "a:buFont", "a:buChar", "a:buNone", "a:buAutoNum"):
        for old in p_pr.findall(qn(tag)):
            p_pr.remove(old)
    if bullet == "none" or para.continued:
        p_pr.set("marL", str(int(_emu(para.indent))))
        p_pr.set("indent", "0")
        p_pr.append(p_pr.makeelement(qn("a:buNone"), {}))
        return
    # A hanging indent: the bullet sits at the left of the gap, the text (and its wrapped
    # lines) at ``para.indent``, which is where ``fit`` measured the text from.
    hanging = para.indent if para.level <= 1 else min(para.indent, para.size * 1.3)
    p_pr.set("marL", str(int(_emu(para.indent))))
    p_pr.set("indent", str(-int(_emu(hanging))))
    clr = p_pr.makeelement(qn("a:buClr"), {})
    clr.append(clr.makeelement(qn("a:srgbClr"), {"val": style.ctx.theme.colors[color]}))
    p_pr.append(clr)
    if bullet == "number":
        p_pr.append(p_pr.makeelement(qn("a:buFont"), {"typeface": "+mj-lt"}))
        p_pr.append(p_pr.makeelement(qn("a:buAutoNum"), {"type": "arabicPeriod"}))
    else:
        p_pr.append(p_pr.makeelement(qn("a:buFont"), {"typeface": "Arial"}))
        p_pr.append(p_pr.makeelement(qn("a:buChar"), {"char": "\u2022" if para.level <= 1 else "\u2013"}))


def _write_para(paragraph, para: fit.Para, style: Style, color: str | None,
                align=None, bullet: str = "none", bullet_color: str = "accent") -> None:
    """Fill a python-pptx paragraph with ``para``'s runs at its measured size and spacing."""
    paragraph.line_spacing = Pt(para.size * fit.LINE)
    paragraph.space_before = Pt(para.space_before)
    paragraph.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    _set_bullet(paragraph, para, style, bullet, bullet_color)
    if para.level >= 2:
        # The outline level, for PowerPoint's outline view and screen readers; the look
        # is fixed by the explicit indent and bullet above, whatever the master's levels.
        paragraph.level = para.level - 1
    for span in para.spans:
        pieces = span.text.split("\n")
        for number, piece in enumerate(pieces):
            if number:
                paragraph.add_line_break()
            if not piece:
                continue
            run = paragraph.add_run()
            run.text = piece
            font = run.font
            face = style.book.span_face(span, para.role, para.bold, para.italic)
            font.name = face.written
            font.size = Pt(para.size)
            font.bold = para.bold or span.bold or None
            font.italic = para.italic or span.italic or None
            if color and (style.branded or span.href):
                font.color.rgb = style.color("accent" if span.href and color == "text" else color)
            if span.href:
                run.hyperlink.address = span.href
            run._r.get_or_add_rPr().set("lang", style.lang)


def _prepare_frame(text_frame, anchor=MSO_ANCHOR.TOP, inset: float = 0.0) -> None:
    text_frame.word_wrap = True
    text_frame.auto_size = MSO_AUTO_SIZE.NONE
    text_frame.vertical_anchor = anchor
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(text_frame, side, _emu(inset))


def _fill(text_frame, paras: list[fit.Para], style: Style, color: str | None, align=None,
          bullets: Callable[[fit.Para], str] = lambda p: "none") -> None:
    """Replace the text of ``text_frame`` with ``paras`` (an empty list leaves one empty paragraph)."""
    text_frame.clear()
    for number, para in enumerate(paras):
        paragraph = text_frame.paragraphs[0] if number == 0 else text_frame.add_paragraph()
        _write_para(paragraph, replace(para, space_before=0.0) if number == 0 else para,
                    style, color, align, bullets(para))


def _textbox(slide, box: Box, paras: list[fit.Para], style: Style, color: str | None, name: str,
             align=None, anchor=MSO_ANCHOR.TOP, bullets: Callable[[fit.Para], str] = lambda p: "none"):
    shape = slide.shapes.add_textbox(_emu(box.x), _emu(box.y), _emu(box.w), _emu(box.h))
    shape.name = name
    _prepare_frame(shape.text_frame, anchor)
    _fill(shape.text_frame, paras, style, color, align, bullets)
    return shape


def _spans(text: str) -> tuple[markup.Span, ...]:
    return tuple(markup.to_spans(text))


def _point_paras(points: tuple[Point, ...], size: float) -> list[fit.Para]:
    paras = []
    for group, point in enumerate(points):
        paras.append(fit.Para(_spans(point.text), size, level=1, indent=size * 1.1,
                              space_before=size * 0.55, group=group))
        for sub in point.points:
            paras.append(fit.Para(_spans(sub.text), size * 0.86, level=2, indent=size * 1.1 + size * 1.2,
                                  space_before=size * 0.25, group=group))
    return paras


def _block_paras(text: str, size: float, space: float, **kw) -> list[fit.Para]:
    """Block Markdown as paragraphs; list items get a bullet-width indent and level."""
    out = []
    for block in markup.blocks(text):
        level = min(block.level, 2)
        # Source line breaks inside a paragraph are soft: they read as spaces.
        spans = tuple(replace(s, text=s.text.replace("\n", " ")) for s in block.spans)
        out.append(fit.Para(spans, size, level=level, indent=size * 1.1 * level,
                            space_before=space, **kw))
    return out


# ---------------------------------------------------------------- parts

@dataclass
class Page:
    """What one slide shows of one part: a callable that draws it into a box."""

    draw: Callable[[object, Box], None]


class SlideBuilder:
    """Draws the slides of one planned slide (more than one when its content continues)."""

    def __init__(self, prs, style: Style, talk: Talk, master: bool):
        self.prs = prs
        self.style = style
        self.talk = talk
        self.master = master
        self.width = _pt(prs.slide_width)
        self.height = _pt(prs.slide_height)
        self._layouts = {layout.name.lower(): layout for layout in prs.slide_layouts}

    # -- layouts
    def layout_for(self, name: str):
        for wanted in LAYOUTS[name]:
            found = self._layouts.get(wanted.lower())
            if found is not None:
                return found
        source = str(self.style.ctx.theme.master or "the built-in master")
        raise ContentError.one(source, 0, "master",
                               f"layout '{name}' needs a layout named {' or '.join(repr(n) for n in LAYOUTS[name])}; "
                               f"this master has: {', '.join(repr(n) for n in self._layouts_named())}")

    def _layouts_named(self) -> list[str]:
        return [layout.name for layout in self.prs.slide_layouts]

    def frame(self, name: str, slide_layout) -> Frame:
        if self.master:
            return _master_frame(slide_layout, name, self.width, self.height)
        return _builtin_frame(name, self.width, self.height)

    # -- part pagination: each returns the pages of one part for a box
    def points_pages(self, paras: list[fit.Para], box: Box, color: str, bullets, align=None) -> list[Page]:
        pages = fit.paginate(paras, box.w, box.h * 0.98, self.style.book)
        out = []
        for page in pages:
            def draw(slide, area, page=page):
                self.text_into(slide, area, page, color, bullets, align=align)
            out.append(Page(draw))
        return out

    def text_into(self, slide, area: Box, paras, color, bullets, name="Content", align=None):
        body = self.take_body(slide)
        if body is not None:
            body.left, body.top, body.width, body.height = (_emu(area.x), _emu(area.y), _emu(area.w), _emu(area.h))
            _prepare_frame(body.text_frame)
            _fill(body.text_frame, paras, self.style, color, align=align, bullets=bullets)
        else:
            _textbox(slide, area, paras, self.style, color, name, align=align, bullets=bullets)

    def take_body(self, slide):
        """The slide's unused body placeholder (removed from the free list), or None."""
        free = getattr(slide, "_triptych_free_body", None)
        if free:
            return free.pop(0)
        return None

    def table_pages(self, section: Section, box: Box, dark: bool) -> list[Page]:
        table = section.table
        style = self.style
        caption = [fit.Para(_spans(table.caption), style.size("small"), italic=True)] if table.caption else []
        caption_h = fit.total_height(caption, box.w, style.book) + 8 if caption else 0.0
        cells = [[_spans(c) for c in table.columns]] + [[_spans(c) for c in row] for row in table.rows]
        count = max(len(r) for r in cells)
        cells = [row + [()] * (count - len(row)) for row in cells]
        layout = fit.layout_table(cells, box.w, (box.h - caption_h) * 0.98, style.book,
                                  style.size("table"), min(10.0, style.size("table")))
        if not layout.fits:
            style.ctx.warn(f"{self.talk.path}:{self.talk.line(table.field)}: {table.field}: "
                           "a row is too tall for a slide even at the smallest size; it may run off the slide")
        out = []
        for rows in layout.pages:
            def draw(slide, area, rows=rows):
                self.draw_table(slide, area, cells, rows, layout, caption, dark)
            out.append(Page(draw))
        return out

    def draw_table(self, slide, area: Box, cells, rows, layout: fit.TableLayout, caption, dark) -> None:
        style = self.style
        heights = [layout.heights[0]] + [layout.heights[r + 1] for r in rows]
        shape = slide.shapes.add_table(len(heights), len(layout.widths), _emu(area.x), _emu(area.y),
                                       _emu(sum(layout.widths)), _emu(sum(heights)))
        shape.name = "Table"
        tbl = shape.table
        tbl.first_row = True
        tbl.horz_banding = True
        style_id = shape._element.graphic.graphicData.tbl.tblPr.find(qn("a:tableStyleId"))
        if style_id is not None:
            style_id.text = _NO_TABLE_STYLE
        for c, width in enumerate(layout.widths):
            tbl.columns[c].width = _emu(width)
        for r, row_height in enumerate(heights):
            tbl.rows[r].height = _emu(row_height)
            source = cells[0] if r == 0 else cells[rows[r - 1] + 1]
            for c, spans in enumerate(source):
                cell = tbl.cell(r, c)
                cell.margin_left = cell.margin_right = _emu(fit.CELL_X)
                cell.margin_top = cell.margin_bottom = _emu(fit.CELL_Y)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE if r == 0 else MSO_ANCHOR.TOP
                cell.fill.solid()
                fill = "primary" if r == 0 else ("light" if r % 2 == 0 else "background")
                cell.fill.fore_color.rgb = style.color(fill)
                para = fit.Para(spans, layout.size, bold=r == 0)
                cell.text_frame.word_wrap = True
                _fill(cell.text_frame, [para], replace(style, branded=True), "on_primary" if r == 0 else "text")
        if caption:
            top = area.y + sum(heights) + 8
            _textbox(slide, Box(area.x, top, area.w, area.bottom - top), caption, style,
                     "on_primary" if dark else "muted", "Caption")

    def compare_pages(self, section: Section, box: Box, dark: bool) -> list[Page]:
        style = self.style
        pad = 16.0
        head_size = style.size("body") * 1.1
        columns = []
        for column in section.compare:
            heading = [fit.Para(_spans(column.title), head_size, role="heading", bold=True)]
            inner_w = (box.w - _GUTTER) / 2 - 2 * pad
            head_h = fit.total_height(heading, inner_w, style.book) + 10
            paras = _point_paras(column.points, style.size("body") * 0.9)
            pages = fit.paginate(paras, inner_w, (box.h - 2 * pad - head_h) * 0.98, style.book)
            columns.append((heading, head_h, pages))
        count = max(len(c[2]) for c in columns)
        out = []
        for number in range(count):
            def draw(slide, area, number=number):
                for column_box, (heading, head_h, pages) in zip(area.columns(2), columns):
                    if style.branded:
                        self.rect(slide, column_box, "light", "Card")
                        self.rect(slide, Box(column_box.x, column_box.y, column_box.w, 5), "accent", "Card rule")
                    inner = Box(column_box.x + pad, column_box.y + pad, column_box.w - 2 * pad, column_box.h - 2 * pad)
                    _textbox(slide, Box(inner.x, inner.y, inner.w, head_h), heading, style, "primary", "Column heading")
                    page = pages[number] if number < len(pages) else []
                    _textbox(slide, Box(inner.x, inner.y + head_h, inner.w, inner.h - head_h), page, style, "text",
                             "Column points", bullets=lambda p: "bullet")
            out.append(Page(draw))
        return out

    def quote_pages(self, section: Section, box: Box, dark: bool) -> list[Page]:
        style = self.style
        quote = section.quote
        pad = 28.0
        inner = Box(box.x + pad + 8, box.y + pad, box.w - 2 * pad - 8, box.h - 2 * pad)
        by = [fit.Para(_spans("\u2014 " + quote.by), style.size("body"), space_before=style.size("body"))] if quote.by else []
        paras = _block_paras(quote.text, style.size("quote"), style.size("quote") * 0.5, italic=True)
        # Shrink before splitting: a quote cut mid-sentence across slides reads badly and the
        # parity check cannot find it whole. At 16pt the loader's longest quote fits one slide.
        size = fit.fit_size(paras + by, inner.w, inner.h * 0.98, style.book, min(16.0, style.size("quote")))
        scale = size / style.size("quote")
        paras = [replace(p, size=size, space_before=p.space_before * scale, indent=p.indent * scale) for p in paras]
        pages = fit.paginate(paras + by, inner.w, inner.h * 0.98, style.book)
        out = []
        for page in pages:
            def draw(slide, area, page=page):
                if style.branded:
                    self.rect(slide, area, "light", "Quote panel")
                    self.rect(slide, Box(area.x, area.y, 6, area.h), "accent", "Quote rule")
                quote_box = Box(area.x + pad + 8, area.y + pad, area.w - 2 * pad - 8, area.h - 2 * pad)
                _textbox(slide, quote_box, page, style, "text", "Quote", anchor=MSO_ANCHOR.MIDDLE)
            out.append(Page(draw))
        return out

    def image_pages(self, section: Section, box: Box, dark: bool) -> list[Page]:
        style = self.style
        image = section.image
        caption = [fit.Para(_spans(image.caption), style.size("small"), italic=True, space_before=0)] if image.caption else []

        def draw(slide, area):
            cap_h = fit.total_height(caption, area.w, style.book) + 8 if caption else 0.0
            px_w, px_h = PptxImage.from_file(str(image.path)).size
            room = Box(area.x, area.y, area.w, area.h - cap_h)
            scale = min(room.w / px_w, room.h / px_h)
            w, h = px_w * scale, px_h * scale
            x = room.x + (room.w - w) / 2
            y = room.y + (room.h - h) / 2
            picture = slide.shapes.add_picture(str(image.path), _emu(x), _emu(y), _emu(w), _emu(h))
            c_nv_pr = picture._element.nvPicPr.cNvPr
            c_nv_pr.set("name", "Picture")
            c_nv_pr.set("descr", markup.to_plain(image.alt))  # python-pptx puts the file name here
            if caption:
                _textbox(slide, Box(area.x, y + h + 8, area.w, cap_h), caption, style,
                         "on_primary" if dark else "muted", "Caption", align=PP_ALIGN.CENTER)
        return [Page(draw)]

    # -- drawing helpers
    def rect(self, slide, box: Box, color: str, name: str):
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, _emu(box.x), _emu(box.y), _emu(box.w), _emu(box.h))
        shape.name = name
        shape.fill.solid()
        shape.fill.fore_color.rgb = self.style.color(color)
        shape.line.fill.background()
        shape.shadow.inherit = False
        # Decorations go to the back of the z-order and first in the reading order, where
        # a screen reader passes over them (they hold no text).
        tree = slide.shapes._spTree
        tree.remove(shape._element)
        tree.insert(2 + getattr(slide, "_triptych_decorations", 0), shape._element)
        slide._triptych_decorations = getattr(slide, "_triptych_decorations", 0) + 1
        return shape

    # -- one planned slide
    def build(self, planned: PlannedSlide, notes: str) -> None:
        style = self.style
        slide_layout = self.layout_for(planned.layout)
        frame = self.frame(planned.layout, slide_layout)
        dark = frame.dark and style.branded
        text_color = "on_primary" if dark else "text"
        parts = self.pages_of(planned, frame, dark, text_color)
        count = max((len(p) for p in parts), default=1) or 1
        for number in range(count):
            slide = self.prs.slides.add_slide(slide_layout)
            self.decorate(slide, planned.layout, frame)
            title = planned.title if count == 1 else f"{planned.title} ({number + 1}/{count})"
            self.title(slide, planned, frame, title, dark, count > 1)
            areas = frame.content.columns(len(parts)) if len(parts) > 1 else [frame.content]
            for pages, area in zip(parts, areas):
                if number < len(pages):
                    pages[number].draw(slide, area)
            self.drop_unused(slide)
            if planned.layout != "title":
                self.footer(slide, frame, dark)
            self.notes(slide, notes, number, count, title)

    def pages_of(self, planned: PlannedSlide, frame: Frame, dark: bool, text_color: str) -> list[list[Page]]:
        style = self.style
        section = planned.section
        parts: list[list[Page]] = []
        count = len(planned.parts)
        areas = frame.content.columns(count) if count > 1 else [frame.content]
        if planned.layout in ("title", "closing") or planned.items or planned.text or planned.lines:
            paras = self.slide_text(planned)
            if paras and planned.layout == "agenda":
                # A long agenda is better a little smaller than split over two slides.
                size = fit.fit_size(paras, frame.content.w, frame.content.h * 0.98, style.book,
                                    round(style.size("body") * 0.75))
                scale = size / paras[0].size
                paras = [replace(p, size=size, indent=p.indent * scale, space_before=p.space_before * scale)
                         for p in paras]
            if paras:
                bullets = (lambda p: "number") if planned.layout == "agenda" else \
                    (lambda p: "bullet" if p.level else "none")
                parts.append(self.points_pages(paras, frame.content, text_color, bullets, align=PP_ALIGN.LEFT))
        for part, area in zip(planned.parts, areas):
            if part == "points":
                paras = _point_paras(section.points, style.size("body"))
                parts.append(self.points_pages(paras, area, text_color, lambda p: "bullet"))
            else:
                parts.append(getattr(self, f"{part}_pages")(section, area, dark))
        return parts

    def slide_text(self, planned: PlannedSlide) -> list[fit.Para]:
        """The text of title, agenda and closing slides: ``text``, ``items``, ``lines``."""
        style = self.style
        body = style.size("body")
        paras: list[fit.Para] = []
        if planned.text:
            paras += _block_paras(planned.text, body, body * 0.5)
        for group, item in enumerate(planned.items):
            paras.append(fit.Para(_spans(item), body, level=1, indent=body * 1.6, space_before=body * 0.45,
                                  group=group + 1))
        for number, line in enumerate(planned.lines):
            big = planned.layout == "title" and number == 0
            size = body * 1.25 if big else body * 0.9
            gap = body * 1.2 if number == 0 and paras else body * 0.2
            paras.append(fit.Para(_spans(line), size, space_before=gap, bold=number == 0 and planned.layout == "closing",
                                  group=10_000 + number))
        return paras

    def title(self, slide, planned: PlannedSlide, frame: Frame, text: str, dark: bool, continued: bool) -> None:
        style = self.style
        big = planned.layout in ("title", "section")
        size = style.size("title") if big else style.size("heading")
        para = fit.Para(_spans(text), size, role="heading", bold=True)
        fitted = fit.fit_size([para], frame.title.w, frame.title.h * 0.96, style.book, min(14.0, size))
        para = replace(para, size=fitted)
        holder = next((s for s in slide.placeholders if s.placeholder_format.type in _TITLE_TYPES), None)
        if holder is None:
            holder = slide.shapes.add_textbox(0, 0, 0, 0)
            style.ctx.warn(f"master layout {slide.slide_layout.name!r} has no title placeholder; "
                           "the slide title is a text box, which screen readers do not announce as a title")
        if not self.master:
            holder.left, holder.top = _emu(frame.title.x), _emu(frame.title.y)
            holder.width, holder.height = _emu(frame.title.w), _emu(frame.title.h)
        anchor = MSO_ANCHOR.BOTTOM  # titles sit on their accent rule, however many lines they take
        _prepare_frame(holder.text_frame, anchor)
        _fill(holder.text_frame, [para], style, "on_primary" if dark else "primary", align=PP_ALIGN.LEFT)
        # Move the title to the front of the reading order (after decorations).
        tree = slide.shapes._spTree
        tree.remove(holder._element)
        tree.insert(2 + getattr(slide, "_triptych_decorations", 0), holder._element)
        slide._triptych_free_body = [s for s in slide.placeholders
                                     if s.placeholder_format.type in (*_BODY_TYPES, PP_PLACEHOLDER.SUBTITLE)]

    def decorate(self, slide, layout: str, frame: Frame) -> None:
        if not self.style.branded:
            return
        slide.background.fill.solid()
        if layout in DARK:
            slide.background.fill.fore_color.rgb = self.style.color("primary")
            if layout == "title":
                self.rect(slide, Box(0, 0, 14, self.height), "accent", "Accent band")
                self.rect(slide, Box(frame.title.x, frame.title.bottom + 14, 72, 5), "accent", "Accent rule")
            else:
                self.rect(slide, Box(frame.title.x, frame.title.bottom + 4, 56, 4), "accent", "Accent rule")
        elif layout == "section":
            slide.background.fill.fore_color.rgb = self.style.color("light")
            self.rect(slide, Box(frame.title.x, frame.title.bottom + 12, 72, 5), "accent", "Accent rule")
        else:
            slide.background.fill.fore_color.rgb = self.style.color("background")
            self.rect(slide, Box(0, 0, self.width, 6), "primary", "Top band")
            self.rect(slide, Box(frame.title.x, frame.title.bottom + 4, 56, 4), "accent", "Accent rule")

    def drop_unused(self, slide) -> None:
        """Remove placeholders nothing was put in, so no "Click to add text" shows."""
        for shape in list(slide.placeholders):
            if shape.placeholder_format.type in _TITLE_TYPES:
                continue
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                shape._element.getparent().remove(shape._element)

    def footer(self, slide, frame: Frame, dark: bool) -> None:
        style = self.style
        size = style.size("small")
        color = "on_primary" if dark else "muted"
        words = " \u00b7 ".join(x for x in (self.talk.title, self.talk.author.name) if x)
        para = fit.Para((markup.Span(words),), size)
        # The footer is one line: shrink it rather than let it wrap below the slide.
        fitted = fit.fit_size([para], frame.footer.w, size * fit.LINE * 1.05, style.book, 6.0)
        _textbox(slide, frame.footer, [replace(para, size=fitted)], style, color, "Footer", anchor=MSO_ANCHOR.MIDDLE)
        number = _textbox(slide, frame.number, [], style, color, "Slide number", align=PP_ALIGN.RIGHT,
                          anchor=MSO_ANCHOR.MIDDLE)
        paragraph = number.text_frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.RIGHT
        fld = paragraph._p.makeelement(qn("a:fld"), {"id": "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", "type": "slidenum"})
        r_pr = fld.makeelement(qn("a:rPr"), {"lang": style.lang, "sz": str(int(size * 100))})
        if style.branded:
            fill = r_pr.makeelement(qn("a:solidFill"), {})
            fill.append(fill.makeelement(qn("a:srgbClr"), {"val": style.ctx.theme.colors[color]}))
            r_pr.append(fill)
        fld.append(r_pr)
        text = fld.makeelement(qn("a:t"), {})
        text.text = str(len(self.prs.slides))
        fld.append(text)
        end = paragraph._p.find(qn("a:endParaRPr"))
        if end is not None:
            end.addprevious(fld)
        else:
            paragraph._p.append(fld)

    def notes(self, slide, notes: str, number: int, count: int, title: str) -> None:
        if not notes and count == 1:
            return
        size = 12.0
        paras = _block_paras(notes, size, 6.0) if number == 0 else []
        if count > 1:
            line = ("(Continues on the next slide.)" if number == 0 else
                    f"(Continued from the previous slide; this is part {number + 1} of {count}.)")
            paras.append(fit.Para((markup.Span(line, italic=True),), size, space_before=6.0))
        frame = slide.notes_slide.notes_text_frame
        _fill(frame, paras, replace(self.style, branded=False), None,
              bullets=lambda p: "bullet" if p.level else "none")


# ---------------------------------------------------------------- the file

def _open_master(theme) -> tuple[object, bool]:
    if theme.master is None:
        prs = Presentation()
        prs.slide_width = _emu(theme.slide_width * 72)
        prs.slide_height = _emu(theme.slide_height * 72)
        size = prs.part._element.find(qn("p:sldSz"))
        if size is not None and "type" in size.attrib:
            del size.attrib["type"]  # the template says "screen4x3"; the size is now custom
        return prs, False
    path = Path(theme.master)
    try:
        data = path.read_bytes()
        if path.suffix.lower() == ".potx":
            data = _as_presentation(data)
        prs = Presentation(io.BytesIO(data))
    except Exception as err:  # a broken master is the user's file, not our bug
        raise ContentError.one(str(path), 0, "master", f"cannot open the master: {err}") from None
    # A master may carry example slides: the deck keeps its layouts, not its slides.
    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        prs.part.drop_rel(slide_id.rId)
        id_list.remove(slide_id)
    return prs, True


def _as_presentation(data: bytes) -> bytes:
    """A .potx package with its main part retyped as a presentation, so python-pptx opens it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(_TEMPLATE_TYPE, _PRESENTATION_TYPE)
            target.writestr(info.filename, content)
    return out.getvalue()


def _stamp(talk: Talk) -> dt.datetime:
    """The deck's created/modified time (``dates.stamp``, else 1980-01-01), as the naive
    UTC datetime python-pptx writes."""
    return (dates.stamp(talk) or dates.EPOCH_1980).replace(tzinfo=None)


def _core(prs, talk: Talk) -> None:
    props = prs.core_properties
    props.title = talk.title
    props.author = talk.author.name
    props.subject = markup.to_plain(talk.subtitle)
    props.keywords = ", ".join(talk.tags)
    props.language = talk.lang
    props.comments = ""
    props.category = ""
    props.last_modified_by = talk.author.name
    props.revision = 1
    props.created = props.modified = _stamp(talk)


_APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            '<Application>triptych</Application><Slides>{slides}</Slides><Notes>{notes}</Notes>'
            '</Properties>')


def _reproducible(data: bytes, slides: int, notes: int) -> bytes:
    """The package with fixed entry times, modes and order; without the template's
    thumbnail (a picture of someone else's slide) and with our own app.xml."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in source.namelist() if n != "docProps/thumbnail.jpeg"]
    first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in names]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in first + sorted(n for n in names if n not in first):
            content = source.read(name)
            if name == "_rels/.rels":
                content = re.sub(rb'<Relationship [^>]*Target="docProps/thumbnail.jpeg"[^>]*/>', b"", content)
            elif name == "[Content_Types].xml":
                content = re.sub(rb'<Override PartName="/docProps/thumbnail.jpeg"[^>]*/>', b"", content)
            elif name == "docProps/app.xml":
                content = _APP_XML.format(slides=slides, notes=notes).encode()
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            target.writestr(info, content, compresslevel=6)
    return out.getvalue()


def render(talk: Talk, ctx: Context) -> bytes:
    """The deck for ``talk`` as .pptx bytes: the same talk, templates and theme give the same bytes.

    Raises ``ContentError`` for an unknown ``layout:`` (at its line), a plan template
    mistake, or a master that cannot be opened or lacks a layout the plan needs."""
    plan = _plan(talk, ctx)
    prs, master = _open_master(ctx.theme)
    style = Style(ctx, fit.FontBook(ctx.theme), talk.lang or "en", branded=not master)
    builder = SlideBuilder(prs, style, talk, master)
    for planned in plan:
        builder.build(planned, planned.section.notes if planned.section else "")
    _core(prs, talk)
    buffer = io.BytesIO()
    prs.save(buffer)
    notes = sum(1 for slide in prs.slides if slide.has_notes_slide)
    return _reproducible(buffer.getvalue(), len(prs.slides), notes)


def read_text(path: Path) -> str:
    """Every slide's text, then its notes, in slide order: one line per paragraph or table
    cell, shapes in reading (document) order. Line breaks inside a paragraph become spaces."""
    prs = Presentation(str(path))
    lines: list[str] = []

    def paragraphs(text_frame) -> None:
        for paragraph in text_frame.paragraphs:
            text = paragraph.text.replace("\v", " ").strip()
            if text:
                lines.append(text)

    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                paragraphs(shape.text_frame)
            elif getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    for cell in row.cells:
                        paragraphs(cell.text_frame)
        if slide.has_notes_slide:
            paragraphs(slide.notes_slide.notes_text_frame)
    return "\n".join(lines) + "\n"
