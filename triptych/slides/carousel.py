"""The carousel's pages: a LinkedIn "document" post read by swiping on a phone.

``templates/carousel.yaml.j2`` plans the pages (a cover, then for each section shown in
the carousel one page per part, then a closing page); ``lay_out`` measures and places
them as ``shapes.Slide`` records, which ``html`` draws like the deck's slides. Made for a
phone, at 1080 px wide (a CSS pixel is 0.75 pt, so the page is 810 pt wide):

- 1080 x 1350 px (4:5, ``portrait``) or 1080 x 1080 px (``square``);
- large type: points at 42 px, sub-points at 36 px, table cells, quotes and captions at no
  less than 32 px (``MIN_TEXT``); only the page number and the author line under it are smaller;
- one idea a page: points that do not fit continue on the next page titled "<title> (2/2)"
  instead of shrinking; a table (split between rows, its header repeated), a comparison,
  a quote, a picture, a chart and a code listing (at 32 px, continuing between lines) each
  get pages of their own;
- every page but the cover carries its number as "3/12".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import bidi, fit, markup
from ..charts import words
from ..context import Context
from ..markup import Span
from ..model import Section, Talk
from ..render import say
from ..schema import Choice, ListOf, Record, Scalar
from . import code as listing
from .layout import pixel_size
from .plan import read_rendered, section_of
from .shapes import Box, Picture, Plot, Rect, Slide, Table, Text, block_paras, mirrored, point_paras, rule_x, spans

PLAN_TEMPLATE = "carousel.yaml.j2"
#: The carousel's ``only:`` name.
FAMILY = "carousel"
#: Page sizes in CSS pixels (1 px = 0.75 pt): what LinkedIn's guides agree on.
SIZES = {"portrait": (1080, 1350), "square": (1080, 1080)}
PX = 0.75
#: The smallest text on a page but its number: 32 px at 1080 px wide.
MIN_TEXT = 32 * PX
KINDS = ("cover", "section", "points", "compare", "table", "quote", "image", "chart", "code", "closing")

_MARGIN = 60.0
#: The smallest text on a page (points): 32 px at 1080 px wide.
_BODY_MIN = 32 * PX
_POINT = 42 * PX


@dataclass(frozen=True)
class PlannedPage:
    """One page of the carousel's plan (see templates/carousel.yaml.j2)."""

    kind: str
    section: Section | None = None
    title: str = ""
    lines: tuple[str, ...] = ()
    cue: str = ""


def _page(r, node, where: str, values: dict) -> PlannedPage | None:
    kind, section = values.get("kind"), values.get("section")
    if kind and kind not in ("cover", "closing") and section is None:
        r.error(node, where, f"a {kind} page needs the section it shows")
        return None
    if kind in ("points", "compare", "table", "quote", "image", "chart", "code") and not getattr(section, kind):
        r.error(node, where, f"'{kind}' is not a part of this page's section")
        return None
    return PlannedPage(**values) if kind else None


_AS_IS = Scalar()
PAGE = Record(PlannedPage, {
    "kind": Choice("page kind", KINDS, otherwise="the kinds are: {choices}", required=True),
    "section": Scalar(check=section_of),
    "title": _AS_IS,
    "lines": ListOf(_AS_IS),
    "cue": _AS_IS,
}, make=_page)


def read_plan(talk: Talk, ctx: Context) -> list[PlannedPage]:
    """The carousel's checked plan for ``talk`` (mistakes in it as ``plan.read_rendered``
    reports them)."""
    return read_rendered(talk, ctx, PLAN_TEMPLATE, "pages", PAGE, talk.sections_in(FAMILY))


def size_of(ctx: "Context") -> str:
    """``portrait`` or ``square``: ``--carousel-size``, else the theme's ``carousel: {size:}``."""
    return ctx.options.get("carousel_size") or ctx.theme.carousel_size


def page_size(ctx: "Context") -> tuple[float, float]:
    """The page's width and height in points."""
    width, height = SIZES[size_of(ctx)]
    return width * PX, height * PX


def lay_out(talk: Talk, ctx: "Context") -> list[Slide]:
    """Every page of ``talk``'s carousel, measured and placed, numbered "n/N" but the cover."""
    width, height = page_size(ctx)
    pager = _Pager(talk, ctx, width, height)
    pages: list[tuple[PlannedPage, str, list]] = []
    for planned in read_plan(talk, ctx):
        pages += pager.pages(planned)
    total = len(pages)
    out = []
    for number, (planned, title, shapes) in enumerate(pages, 1):
        dark = planned.kind in ("cover", "closing")
        if planned.kind != "cover":
            shapes = shapes + pager.footer(number, total, dark)
        background = "cover" if dark else "light" if planned.kind == "section" else "background"
        out.append(Slide(number, planned.kind, dark, background, pager.title(planned, title),
                         tuple(shapes), (), planned.section))
    if bidi.lang_direction(talk.lang) == bidi.RTL:
        out = [mirrored(page, width) for page in out]
    return out


class _Pager:
    """Cuts planned pages into laid-out ones (more than one when a part continues)."""

    def __init__(self, talk: Talk, ctx: "Context", width: float, height: float):
        self.talk, self.ctx, self.width, self.height = talk, ctx, width, height
        self.book = fit.FontBook(ctx.theme)
        self._footer_names: dict[tuple[float, float], str] = {}
        self.title_box = Box(_MARGIN, _MARGIN, width - 2 * _MARGIN, 150.0)
        top = self.title_box.bottom + 40
        self.content = Box(_MARGIN, top, width - 2 * _MARGIN, height - _MARGIN - 40 - top)

    # -- the frame of every page
    def title(self, planned: PlannedPage, text: str) -> Text:
        if planned.kind == "cover":
            box, size, smallest = Box(_MARGIN, self.height * 0.16, self.width - 2 * _MARGIN, self.height * 0.4), 60.0, 36.0
        elif planned.kind == "closing":
            box, size, smallest = Box(_MARGIN, self.height * 0.12, self.width - 2 * _MARGIN, 200.0), 45.0, 30.0
        elif planned.kind == "section":  # a divider, as the deck's section slide
            box, size, smallest = Box(_MARGIN, self.height * 0.25, self.width - 2 * _MARGIN, self.height * 0.3), 54.0, 36.0
        else:
            box, size, smallest = self.title_box, 39.0, 30.0
        para = fit.Para(spans(text), size, role="heading", bold=True)
        fitted = fit.fit_size([para], box.w, box.h * 0.96, self.book, smallest)
        if fit.total_height([replace(para, size=fitted)], box.w, self.book) > box.h * 0.96:
            # A title too long for its box even at the title's smallest size is set smaller,
            # down to the body's minimum (32 px), rather than run out of its box.
            fitted = fit.fit_size([para], box.w, box.h * 0.96, self.book, _BODY_MIN)
        dark = planned.kind in ("cover", "closing")
        return Text(box, (replace(para, size=fitted),), "on_cover" if dark else "primary", "Title",
                    align="left", anchor="bottom")

    def rule(self, planned: PlannedPage, title: Text, text: str) -> list:
        top = title.box.bottom + 14
        band = [Rect(Box(0, 0, 20, self.height), "accent", "Accent band")] if planned.kind == "cover" else \
            [] if planned.kind in ("closing", "section") else [Rect(Box(0, 0, self.width, 10), "primary", "Top band")]
        x = rule_x(title.box, 90, text, self.talk.lang)
        return band + [Rect(Box(x, top, 90, 7), "accent", "Accent rule")]

    def footer(self, number: int, total: int, dark: bool) -> list:
        size = 18.0
        color = "on_cover" if dark else "muted"
        y = self.height - _MARGIN * 0.5 - size * fit.LINE
        author = fit.Para((Span(self.footer_name(size, self.width * 0.6)),), size)
        count = fit.Para((Span(say(self.ctx.templates, "page_of", number, total, lang=self.talk.lang)),), size, bold=True)
        return [Text(Box(_MARGIN, y, self.width * 0.6, size * fit.LINE), (author,), color, "Footer"),
                Text(Box(self.width - _MARGIN - 160, y, 160, size * fit.LINE), (count,), color, "Page number",
                     align="right")]

    def footer_name(self, size: float, width: float) -> str:
        """The author's name as it fits on one line ``width`` wide at ``size``: whole, else
        cut at a word with an ellipsis (the whole name is on the cover and the closing
        page); a name that wrapped ran out of the footer's box to the page's edge."""
        name = self.talk.author.name
        if (size, width) in self._footer_names:  # the same on every page
            return self._footer_names[size, width]

        def fits(text: str) -> bool:
            return fit.total_height([fit.Para((Span(text),), size)], width, self.book) <= size * fit.LINE * 1.05

        words = name.split()
        shorter = [" ".join(words[:k]).rstrip(" ,;:.-\u2013\u2014\u00b7") + "\u2026" for k in range(len(words) - 1, 0, -1)]
        shorter += [words[0][:k] + "\u2026" for k in range(len(words[0]) - 1, 0, -1)] if words else []
        found = next((text for text in [name, *shorter] if fits(text)), "\u2026")
        self._footer_names[size, width] = found
        return found

    # -- the pages of one planned page
    def pages(self, planned: PlannedPage) -> list[tuple[PlannedPage, str, list]]:
        section = planned.section
        if planned.kind in ("cover", "closing"):
            return [(planned, planned.title, self.rule(planned, self.title(planned, planned.title), planned.title)
                     + self.lines(planned))]
        bodies = getattr(self, f"{planned.kind}_pages")(section)
        count = len(bodies)
        out = []
        for number, shapes in enumerate(bodies, 1):
            title = section.title if count == 1 else say(self.ctx.templates, "continued_title", number, count,
                                                         lang=self.talk.lang, title=section.title)
            out.append((planned, title, self.rule(planned, self.title(planned, title), title) + shapes))
        return out

    def lines(self, planned: PlannedPage) -> list:
        title = self.title(planned, planned.title)
        top = title.box.bottom + 50
        box = Box(_MARGIN, top, self.width - 2 * _MARGIN, self.height - _MARGIN - 60 - top)
        sizes = [44 * PX] + [40 * PX] * len(planned.lines)
        paras = [fit.Para(spans(line), size, space_before=size * 0.6) for line, size in zip(planned.lines, sizes)]
        paras = self._fitted(paras, box)
        shapes: list = [Text(box, tuple(paras), "on_cover", "Lines", align="left")] if paras else []
        if planned.cue:
            cue = fit.Para(spans(planned.cue), 40 * PX, bold=True)
            shapes.append(Text(Box(_MARGIN, self.height - _MARGIN - 60, self.width - 2 * _MARGIN, 60), (cue,),
                               "on_cover", "Swipe", align="right", anchor="bottom"))
        return shapes

    def _fitted(self, paras: list[fit.Para], box: Box) -> list[fit.Para]:
        """``paras`` set smaller (not below ``MIN_TEXT``) when they do not fit ``box``."""
        if not paras:
            return []
        size = fit.fit_size(paras, box.w, box.h, self.book, MIN_TEXT)
        scale = size / max(p.size for p in paras)
        return [replace(p, size=max(MIN_TEXT, p.size * scale), space_before=p.space_before * scale,
                        indent=p.indent * scale) for p in paras]

    def _flow(self, paras: list[fit.Para], name: str = "Content") -> list[list]:
        """``paras`` cut into pages of the content box, each a bulleted text box."""
        box = self.content
        pages = fit.paginate(paras, box.w, box.h * 0.98, self.book)
        bullets = lambda p: "bullet" if p.level else "none"  # noqa: E731
        return [[Text(box, tuple(_first(page)), "text", name, "left", "top", tuple(bullets(p) for p in page), True)]
                for page in pages]

    def section_pages(self, section: Section) -> list[list]:
        return [[]]

    def points_pages(self, section: Section) -> list[list]:
        return self._flow(_large(point_paras(section.points, _POINT)))

    def compare_pages(self, section: Section) -> list[list]:
        paras: list[fit.Para] = []
        for number, column in enumerate(section.compare):
            paras.append(fit.Para(spans(column.title), 48 * PX, role="heading", bold=True,
                                  space_before=0.0 if number == 0 else 48 * PX, group=-1 - number))
            paras += _large(point_paras(column.points, _POINT))
        return self._flow(paras)

    def quote_pages(self, section: Section) -> list[list]:
        quote, box = section.quote, self.content
        inner = Box(box.x + 36, box.y + 30, box.w - 60, box.h - 60)
        by = [fit.Para(spans("\u2014 " + quote.by), 40 * PX, space_before=40 * PX)] if quote.by else []
        paras = block_paras(quote.text, 56 * PX, 28 * PX, italic=True)
        size = fit.fit_size(paras + by, inner.w, inner.h * 0.98, self.book, MIN_TEXT)
        scale = size / (56 * PX)
        paras = [replace(p, size=max(MIN_TEXT, p.size * scale), space_before=p.space_before * scale) for p in paras]
        pages = fit.paginate(paras + by, inner.w, inner.h * 0.98, self.book)
        return [[Rect(box, "light", "Quote panel"), Rect(Box(box.x, box.y, 8, box.h), "accent", "Quote rule"),
                 Text(inner, tuple(_first(page)), "text", "Quote", anchor="middle")] for page in pages]

    def table_pages(self, section: Section) -> list[list]:
        table, box = section.table, self.content
        caption = [fit.Para(spans(table.caption), MIN_TEXT, italic=True)] if table.caption else []
        caption_h = fit.total_height(caption, box.w, self.book) + 12 if caption else 0.0
        cells = [[spans(c) for c in table.columns]] + [[spans(c) for c in row] for row in table.rows]
        count = max(len(r) for r in cells)
        cells = [row + [()] * (count - len(row)) for row in cells]
        layout = fit.layout_table(cells, box.w, (box.h - caption_h) * 0.98, self.book, MIN_TEXT, 18.0)
        out = []
        for rows in layout.pages:
            heights = (layout.heights[0],) + tuple(layout.heights[r + 1] for r in rows)
            chosen = (tuple(cells[0]),) + tuple(tuple(cells[r + 1]) for r in rows)
            shapes: list = [Table(Box(box.x, box.y, sum(layout.widths), sum(heights)), chosen, layout.widths,
                                  heights, layout.size)]
            if caption:
                top = box.y + sum(heights) + 12
                shapes.append(Text(Box(box.x, top, box.w, box.bottom - top), tuple(caption), "muted", "Caption"))
            out.append(shapes)
        return out

    def code_pages(self, section: Section) -> list[list]:
        """A listing at ``MIN_TEXT`` (large type; long lines wrap with the continuation
        mark), continuing over pages rather than shrinking, its caption on every page."""
        code = section.code
        caption = [fit.Para(spans(code.caption), MIN_TEXT, italic=True)] if code.caption else []
        return listing.panel_pages(code, self.content, self.book, self.ctx.theme.colors, MIN_TEXT, MIN_TEXT, 24.0,
                                   caption, "muted")

    def image_pages(self, section: Section) -> list[list]:
        image, box = section.image, self.content
        caption = [fit.Para(spans(image.caption), MIN_TEXT, italic=True)] if image.caption else []
        cap_h = fit.total_height(caption, box.w, self.book) + 16 if caption else 0.0
        px_w, px_h = pixel_size(image.path)
        scale = min(box.w / px_w, (box.h - cap_h) / px_h)
        w, h = px_w * scale, px_h * scale
        x, y = box.x + (box.w - w) / 2, box.y + (box.h - cap_h - h) / 2
        shapes: list = [Picture(Box(x, y, w, h), image.path, markup.to_plain(image.alt))]
        if caption:
            shapes.append(Text(Box(box.x, y + h + 16, box.w, cap_h), tuple(caption), "muted", "Caption",
                               align="center"))
        return [shapes]


    def chart_pages(self, section: Section) -> list[list]:
        chart, box = section.chart, self.content
        source = say(self.ctx.templates, "chart_source", source=chart.source) if chart.source else ""
        caption = [fit.Para(spans(source), MIN_TEXT, italic=True)] if source else []
        cap_h = fit.total_height(caption, box.w, self.book) + 16 if caption else 0.0
        shapes: list = [Plot(Box(box.x, box.y, box.w, box.h - cap_h), chart, words.alt(chart, self.ctx.templates),
                             MIN_TEXT)]
        if caption:
            shapes.append(Text(Box(box.x, box.bottom - cap_h + 16, box.w, cap_h - 16), tuple(caption), "muted",
                               "Caption", align="center"))
        return [shapes]


def _large(paras: list[fit.Para]) -> list[fit.Para]:
    """Sub-points no smaller than ``MIN_TEXT`` (the slides set them at 86 % of a point)."""
    return [replace(p, size=max(p.size, MIN_TEXT)) for p in paras]


def _first(paras: list[fit.Para]) -> list[fit.Para]:
    return [replace(p, space_before=0.0) if i == 0 else p for i, p in enumerate(paras)]
