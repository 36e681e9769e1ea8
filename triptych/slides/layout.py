"""The measured layout of the slides: the plan's slides, their text measured and placed.

The slide plan (``plan``, from ``templates/deck.yaml.j2``) says which slides there are;
``lay_out`` measures their text with the theme's fonts (``triptych.fit``) and places every
piece as ``Slide`` records (``shapes``). The deck (python-pptx) and ``html`` (the slides
PDF, the handout's slide cards, the preview) draw the same records, so a slide carries the
same text at the same sizes in the same places everywhere.

A planned slide whose content does not fit becomes several slides titled
"<title> (2/3)": points continue between paragraphs (or between lines of one that is
taller than a slide), a table between rows under its repeated header, a quote shrinks
before it splits.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

from .. import bidi, fit, markup
from ..markup import Span
from ..model import Section, Talk
from ..theme import Theme
from . import code as listing
from .footer import footer_para
from .setting import Setting
from .plan import PlannedSlide, read_plan
from ..charts import words
from .shapes import (DARK, FOOTER, GUTTER, Box, Frame, Picture, Plot, Rect, Shape, Slide, SlideNumber, Table, Text,
                     block_paras, builtin_frame, mirrored, point_paras, rule_x, spans)


# ---------------------------------------------------------------- laying out

#: One slide's share of one part: given the box it goes in, the shapes that draw it.
Page = Callable[[Box], list[Shape]]


def lay_out_talk(talk: Talk, ctx, frame: Callable[[str], Frame] | None = None, family: str = "deck") -> list[Slide]:
    """Every slide of ``talk``'s deck (the sections ``only:`` shows in ``family``'s outputs:
    the deck's, or the handout's for its slide cards), from the plan template, measured
    with the theme's fonts. ``frame(layout)`` gives each
    layout's frame; the default is the built-in look's, drawn in its colours (the deck
    passes its master's frames, and then draws nothing over the designer's look)."""
    theme = ctx.theme
    plan = read_plan(talk, ctx, family)
    branded = frame is None
    if frame is None:
        width, height = theme.slide_width * 72, theme.slide_height * 72

        def frame(layout: str) -> Frame:
            return builtin_frame(layout, width, height)
    return lay_out(plan, Setting(talk, ctx.templates, theme, fit.FontBook(theme), branded, frame, ctx.warn))


def lay_out(plan: Sequence[PlannedSlide], setting: Setting) -> list[Slide]:
    """Every slide of ``plan``, measured and placed, numbered from 1. In the built-in look, a
    right-to-left talk's slides are laid out mirrored (``shapes.mirrored``); a user's
    master keeps its designer's places."""
    slides: list[Slide] = []
    for planned in plan:
        for one in listing.beside_or_apart(planned, setting):
            slides += _Layouter(setting, one).slides(len(slides) + 1)
    if setting.branded and bidi.lang_direction(setting.talk.lang) == bidi.RTL:
        slides = [mirrored(slide, setting.theme.slide_width * 72) for slide in slides]
    return slides


class _Layouter:
    """Lays out one planned slide (several slides when its content continues)."""

    def __init__(self, setting: Setting, planned: PlannedSlide):
        self.s = setting
        self.planned = planned
        self.frame = setting.frame(planned.layout)
        self.dark = self.frame.dark and setting.branded
        self.text_color = "on_cover" if self.dark else "text"

    def slides(self, first_number: int) -> list[Slide]:
        planned, frame, s = self.planned, self.frame, self.s
        parts = self.pages_of()
        count = max((len(p) for p in parts), default=1) or 1
        notes = planned.section.notes if planned.section else ""
        out = []
        for number in range(count):
            title = planned.title if count == 1 else s.say("continued_title", number + 1, count, title=planned.title)
            shapes: list[Shape] = self.decorations(planned.title)
            areas = frame.content.columns(len(parts)) if len(parts) > 1 else [frame.content]
            for pages, area in zip(parts, areas):
                if number < len(pages):
                    shapes += pages[number](area)
            if planned.layout != "title":
                shapes += self.footer(first_number + number)
            background = None
            if s.branded:
                background = "cover" if planned.layout in DARK else "light" if planned.layout == "section" else "background"
            out.append(Slide(first_number + number, planned.layout, self.dark, background, self.title(title),
                             tuple(shapes), tuple(self.notes(notes, number, count)), planned.section,
                             number + 1, count, None if s.branded else frame.backdrop))
        return out

    # -- the pieces every slide has
    def title(self, text: str) -> Text:
        s, box = self.s, self.frame.title
        big = self.planned.layout in ("title", "section")
        size = s.size("title") if big else s.size("heading")
        para = fit.Para(spans(text), size, role="heading", bold=True)
        fitted = replace(para, size=fit.fit_size([para], box.w, box.h * 0.96, s.book, min(14.0, size)))
        needed = fit.total_height([fitted], box.w, s.book) / 0.96
        if needed > box.h and s.branded:
            # Too long even at the smallest size: the box grows upwards into the top margin
            # (never below the top band), so the last line keeps its gap above the accent
            # rule instead of running into it; a title longer still is set smaller.
            top = max(TITLE_TOP, box.bottom - needed)
            box = Box(box.x, top, box.w, box.bottom - top)
            fitted = replace(para, size=fit.fit_size([para], box.w, box.h * 0.96, s.book, min(10.0, size)))
        # Titles sit on their accent rule (bottom-anchored), however many lines they take.
        return Text(box, (fitted,), "on_cover" if self.dark else "primary", "Title",
                    align="left", anchor="bottom")

    def decorations(self, title: str) -> list[Shape]:
        s, frame, layout = self.s, self.frame, self.planned.layout
        if not s.branded:
            return []

        def rule(gap: float, width: float, height: float) -> Rect:
            x = rule_x(frame.title, width, title, s.talk.lang)
            return Rect(Box(x, frame.title.bottom + gap, width, height), "accent", "Accent rule")

        if layout in DARK:
            if layout == "title":
                return [Rect(Box(0, 0, 14, s.theme.slide_height * 72), "accent", "Accent band"), rule(14, 72, 5)]
            return [rule(4, 56, 4)]
        if layout == "section":
            return [rule(12, 72, 5)]
        return [Rect(Box(0, 0, s.theme.slide_width * 72, 6), "primary", "Top band"), rule(4, 56, 4)]

    def footer(self, number: int) -> list[Shape]:
        s, frame = self.s, self.frame
        size = s.size("small")
        color = "on_cover" if self.dark else "muted"
        para = footer_para(s, frame.footer.w, size)
        return [Text(frame.footer, (para,), color, FOOTER, anchor="middle"),
                SlideNumber(frame.number, number, size, color)]

    def notes(self, notes: str, number: int, count: int) -> list[fit.Para]:
        if not notes and count == 1:
            return []
        size = 12.0
        paras = block_paras(notes, size, 6.0) if number == 0 else []
        if count > 1:
            line = self.s.say("continued_note", number + 1, count)
            paras.append(fit.Para((Span(line, italic=True),), size, space_before=6.0))
        return paras

    # -- the parts, each cut into the pages it needs for its box
    def pages_of(self) -> list[list[Page]]:
        s, planned, frame = self.s, self.planned, self.frame
        section = planned.section
        parts: list[list[Page]] = []
        count = len(planned.parts)
        areas = frame.content.columns(count) if count > 1 else [frame.content]
        if planned.layout in ("title", "closing") or planned.items or planned.text or planned.lines:
            paras = self.slide_text()
            if paras and planned.layout in ("agenda", "closing"):
                # A long agenda is better a little smaller than split over two slides; the
                # closing slide is one slide (its text is bounded: an excerpt, the author,
                # the tags), continued only if even the smallest size cannot hold it.
                size = fit.fit_size(paras, frame.content.w, frame.content.h * 0.98, s.book,
                                    round(s.size("body") * (0.75 if planned.layout == "agenda" else 0.6)))
                scale = size / paras[0].size
                paras = [replace(p, size=size, indent=p.indent * scale, space_before=p.space_before * scale)
                         for p in paras]
            if paras:
                bullet = (lambda p: "number") if planned.layout == "agenda" else \
                    (lambda p: "bullet" if p.level else "none")
                parts.append(self.points_pages(paras, frame.content, bullet, align="left"))
        for part, area in zip(planned.parts, areas):
            if part == "points":
                paras = point_paras(section.points, s.size("body"))
                reveal = s.theme.reveal if section.reveal is None else section.reveal
                parts.append(self.points_pages(paras, area, lambda p: "bullet", reveal=reveal))
            else:
                parts.append(getattr(self, f"{part}_pages")(section, area))
        return parts

    def slide_text(self) -> list[fit.Para]:
        """The text of title, agenda and closing slides: ``text``, ``items``, ``lines``."""
        planned = self.planned
        body = self.s.size("body")
        paras: list[fit.Para] = []
        if planned.text:
            paras += block_paras(planned.text, body, body * 0.5)
        # Room for the widest number an agenda shows ("12." fits 1.6 em; "120." needs more).
        indent = body * (1.6 + 0.55 * max(0, len(str(len(planned.items))) - 2))
        for group, item in enumerate(planned.items):
            paras.append(fit.Para(spans(item), body, level=1, indent=indent, space_before=body * 0.45,
                                  group=group + 1))
        for number, line in enumerate(planned.lines):
            big = planned.layout == "title" and number == 0
            size = body * 1.25 if big else body * 0.9
            gap = body * 1.2 if number == 0 and paras else body * 0.2
            paras.append(fit.Para(spans(line), size, space_before=gap,
                                  bold=number == 0 and planned.layout == "closing", group=10_000 + number))
        return paras

    def points_pages(self, paras: list[fit.Para], box: Box, bullet: Callable[[fit.Para], str],
                     align: str | None = None, reveal: bool = False) -> list[Page]:
        pages = fit.paginate(paras, box.w, box.h * 0.98, self.s.book)
        color = self.text_color

        def page_of(page: list[fit.Para]) -> Page:
            return lambda area: [replace(_text(area, page, color, "Content", align=align, bullet=bullet, body=True),
                                         reveal=reveal)]
        return [page_of(page) for page in pages]

    def table_pages(self, section: Section, box: Box) -> list[Page]:
        s, table = self.s, section.table
        caption = [fit.Para(spans(table.caption), s.size("small"), italic=True)] if table.caption else []
        caption_h = fit.total_height(caption, box.w, s.book) + 8 if caption else 0.0
        cells = [[spans(c) for c in table.columns]] + [[spans(c) for c in row] for row in table.rows]
        count = max(len(r) for r in cells)
        cells = [row + [()] * (count - len(row)) for row in cells]
        layout = fit.layout_table(cells, box.w, (box.h - caption_h) * 0.98, s.book,
                                  s.size("table"), min(10.0, s.size("table")))
        if not layout.fits:
            s.warn(f"{s.talk.path}:{s.talk.line(table.field)}: {table.field}: "
                   "a row is too tall for a slide even at the smallest size; it may run off the slide")
        caption_color = "on_cover" if self.dark else "muted"

        def page_of(rows: tuple[int, ...]) -> Page:
            def shapes(area: Box) -> list[Shape]:
                heights = (layout.heights[0],) + tuple(layout.heights[r + 1] for r in rows)
                chosen = (tuple(cells[0]),) + tuple(tuple(cells[r + 1]) for r in rows)
                out: list[Shape] = [Table(Box(area.x, area.y, sum(layout.widths), sum(heights)), chosen,
                                          layout.widths, heights, layout.size)]
                if caption:
                    top = area.y + sum(heights) + 8
                    out.append(_text(Box(area.x, top, area.w, area.bottom - top), caption, caption_color, "Caption"))
                return out
            return shapes
        return [page_of(rows) for rows in layout.pages]

    def compare_pages(self, section: Section, box: Box) -> list[Page]:
        s = self.s
        pad = 16.0
        head_size = s.size("body") * 1.1
        columns = []
        for column in section.compare:
            heading = [fit.Para(spans(column.title), head_size, role="heading", bold=True)]
            inner_w = (box.w - GUTTER) / 2 - 2 * pad
            head_h = fit.total_height(heading, inner_w, s.book) + 10
            paras = point_paras(column.points, s.size("body") * 0.9)
            pages = fit.paginate(paras, inner_w, (box.h - 2 * pad - head_h) * 0.98, s.book)
            columns.append((heading, head_h, pages))

        def page_of(number: int) -> Page:
            def shapes(area: Box) -> list[Shape]:
                out: list[Shape] = []
                # Both cards as tall as the longer side needs (never taller than the area):
                # a card stretched to the footer over three short points looks empty.
                inner_w = (area.w - GUTTER) / 2 - 2 * pad
                tallest = max(head_h + fit.total_height(pages[number] if number < len(pages) else [], inner_w, s.book)
                              for _, head_h, pages in columns)
                height = min(area.h, tallest + 2 * pad + s.size("body"))
                for column_box, (heading, head_h, pages) in zip(Box(area.x, area.y, area.w, height).columns(2), columns):
                    if s.branded:
                        out += [Rect(column_box, "light", "Card"),
                                Rect(Box(column_box.x, column_box.y, column_box.w, 5), "accent", "Card rule")]
                    inner = Box(column_box.x + pad, column_box.y + pad, column_box.w - 2 * pad, column_box.h - 2 * pad)
                    out.append(_text(Box(inner.x, inner.y, inner.w, head_h), heading, "primary", "Column heading"))
                    page = pages[number] if number < len(pages) else []
                    out.append(_text(Box(inner.x, inner.y + head_h, inner.w, inner.h - head_h), page, "text",
                                     "Column points", bullet=lambda p: "bullet"))
                return out
            return shapes
        return [page_of(n) for n in range(max(len(c[2]) for c in columns))]

    def quote_pages(self, section: Section, box: Box) -> list[Page]:
        s, quote = self.s, section.quote
        pad = 28.0
        inner = Box(box.x + pad + 8, box.y + pad, box.w - 2 * pad - 8, box.h - 2 * pad)
        by = [fit.Para(spans("\u2014 " + quote.by), s.size("body"), space_before=s.size("body"))] if quote.by else []
        paras = block_paras(quote.text, s.size("quote"), s.size("quote") * 0.5, italic=True)
        # Shrink before splitting: a quote cut mid-sentence across slides reads badly and the
        # parity check cannot find it whole. At 16pt the loader's longest quote fits one slide.
        size = fit.fit_size(paras + by, inner.w, inner.h * 0.98, s.book, min(16.0, s.size("quote")))
        scale = size / s.size("quote")
        paras = [replace(p, size=size, space_before=p.space_before * scale, indent=p.indent * scale) for p in paras]
        pages = fit.paginate(paras + by, inner.w, inner.h * 0.98, s.book)

        def page_of(page: list[fit.Para]) -> Page:
            def shapes(area: Box) -> list[Shape]:
                out: list[Shape] = []
                if s.branded:
                    out += [Rect(area, "light", "Quote panel"), Rect(Box(area.x, area.y, 6, area.h), "accent", "Quote rule")]
                quote_box = Box(area.x + pad + 8, area.y + pad, area.w - 2 * pad - 8, area.h - 2 * pad)
                out.append(_text(quote_box, page, "text", "Quote", anchor="middle"))
                return out
            return shapes
        return [page_of(page) for page in pages]

    def code_pages(self, section: Section, box: Box) -> list[Page]:
        s, code = self.s, section.code
        body = s.size("body")
        pages = listing.panel_pages(code, box, s.book, s.theme.colors, round(body * listing.SIZE), round(body * listing.MIN),
                                    listing.PAD, listing.caption_paras(s, section), "on_cover" if self.dark else "muted")
        if len(pages) > listing.SLIDES_WARN:
            s.warn(f"{s.talk.path}:{s.talk.line(code.field)}: {code.field}: the listing's "
                   f"{len(code.lines)} lines take {len(pages)} slides; show the lines that matter on the slides "
                   "(the article, page and handout carry the whole listing)")

        def page_of(shapes: list[Shape]) -> Page:
            def placed(area: Box) -> list[Shape]:
                return [_moved(shape, area.x - box.x, area.y - box.y) for shape in shapes]
            return placed
        return [page_of(page) for page in pages]

    def image_pages(self, section: Section, box: Box) -> list[Page]:
        s, image = self.s, section.image
        caption = [fit.Para(spans(image.caption), s.size("small"), italic=True, space_before=0)] if image.caption else []
        caption_color = "on_cover" if self.dark else "muted"

        def shapes(area: Box) -> list[Shape]:
            cap_h = fit.total_height(caption, area.w, s.book) + 8 if caption else 0.0
            px_w, px_h = pixel_size(image.path)
            room = Box(area.x, area.y, area.w, area.h - cap_h)
            scale = min(room.w / px_w, room.h / px_h)
            w, h = px_w * scale, px_h * scale
            x = room.x + (room.w - w) / 2
            y = room.y + (room.h - h) / 2
            out: list[Shape] = [Picture(Box(x, y, w, h), image.path, markup.to_plain(image.alt))]
            if caption:
                out.append(_text(Box(area.x, y + h + 8, area.w, cap_h), caption, caption_color, "Caption",
                                 align="center"))
            return out
        return [shapes]


    def chart_pages(self, section: Section, box: Box) -> list[Page]:
        s, chart = self.s, section.chart
        source = s.say("chart_source", source=chart.source) if chart.source else ""
        caption = [fit.Para(spans(source), s.size("small"), italic=True, space_before=0)] if source else []
        caption_color = "on_cover" if self.dark else "muted"
        alt = words.alt(chart, s.templates)

        def shapes(area: Box) -> list[Shape]:
            cap_h = fit.total_height(caption, area.w, s.book) + 8 if caption else 0.0
            out: list[Shape] = [Plot(Box(area.x, area.y, area.w, area.h - cap_h), chart, alt, chart_size(s.theme))]
            if caption:
                out.append(_text(Box(area.x, area.bottom - cap_h + 8, area.w, cap_h - 8), caption, caption_color,
                                 "Caption", align="center"))
            return out
        return [shapes]


def chart_size(theme: Theme) -> float:
    """The size of a chart's labels on a slide (points): a little under a table's text."""
    return round(theme.sizes["table"] * 0.8, 1)


#: How far from the slide's top edge a title may grow (points): below the top band.
TITLE_TOP = 14.0

def _text(box: Box, paras: list[fit.Para], color: str | None, name: str, align: str | None = None,
          anchor: str = "top", bullet: Callable[[fit.Para], str] = lambda p: "none", body: bool = False) -> Text:
    # The first paragraph of a box has no space above it (the box's edge is its margin).
    paras = [replace(p, space_before=0.0) if i == 0 else p for i, p in enumerate(paras)]
    return Text(box, tuple(paras), color, name, align, anchor, tuple(bullet(p) for p in paras), body)


def _moved(shape: Shape, dx: float, dy: float) -> Shape:
    """``shape`` moved by ``dx``, ``dy`` points (a page laid out for one box, drawn in another)."""
    if not dx and not dy:
        return shape
    box = shape.box
    return replace(shape, box=Box(box.x + dx, box.y + dy, box.w, box.h))


def pixel_size(path: Path) -> tuple[int, int]:
    """An image's size in pixels (Pillow reads only its header)."""
    from PIL import Image as PILImage

    with PILImage.open(path) as picture:
        return picture.size
