"""The slides as HTML and CSS: one picture of a slide for every output that is not the .pptx.

    from triptych.slides import layout, render_slides
    laid = layout.lay_out_talk(talk, ctx)        # ctx: a writers.Context
    rendered = render_slides(talk, ctx, laid)
    rendered.css                                 # one stylesheet for all the fragments
    rendered.slides                              # one HTML fragment (a <section>) per slide
    rendered.laid                                # the ``slides.shapes.Slide`` each was drawn from

It draws the deck's own measured layout (``layout``, from the same slide plan): every box at the position and size the .pptx gives it, every paragraph at its
measured size and line spacing, and **every line ending where ``triptych.fit`` measured
it**, so the slides PDF, the handout's slide cards and the preview show the same words
on the same lines as the deck, whatever the browser or PDF engine would wrap. A
paragraph's lines are joined by line breaks and set with ``white-space: pre``: an engine
breaks there and never rewraps them (one box per paragraph, not per line: a quarter
fewer elements for a PDF engine to style and lay out). A listing's rows are one block each.

- Lengths are in points times ``scale`` (1.0: a 960 x 540 pt slide at its size; the
  handout draws it smaller). Colours and fonts are the theme's (``templates/slides.css.j2``).
- Each fragment is a ``<section class="tp-slide">`` of the slide's size holding absolutely
  positioned boxes, each placed by its margins from the slide's top left corner (where
  a box with ``left`` and ``top`` auto starts). The slide itself is not positioned, so a
  PDF engine lays its boxes out with the page, once: positioned, it was their
  containing block, and WeasyPrint laid them out with it, again each time the handout
  moved a section that did not fit to the next page (the sample's handout: 220 box
  layouts for 115 boxes, now 164; 6% of its instructions). Its direction is
  left to right (boxes take the talk's, ``dir="rtl"``), since a right-to-left
  container would place such a box from its right edge. A page that shows a slide
  framed or clipped (the preview) positions it itself. The slide title is a heading
  (``<h1>`` on the title slide, ``<h{heading}>`` elsewhere), bullet points are list items,
  pictures and charts (SVG pictures, ``triptych.charts.draw``) carry their alt text, links
  are ``<a href>`` (clickable in a PDF): tagged PDF
  engines make an accessible structure of it.
- A paragraph that runs right to left (``fit.Para.runs``, as in the deck) carries
  ``dir="rtl"``, is set from the right with its indent and bullet on the right; a table
  whose header runs right to left lays its columns out from the right. Against a
  right-to-left talk, a left-to-right paragraph carries ``dir="ltr"``.
- Content text is always escaped; it can never add markup.
- Speaker notes are not drawn (``Slide.notes`` has them for a caller that wants them).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

from markupsafe import Markup, escape

from .. import bidi, fit, glyphs, masterscheme
from ..markup import Span
from ..render import render as render_template
from . import shapes
from .shapes import CodeText, Picture, Plot, Rect, Slide, SlideNumber, Table, Text

#: The stylesheet template (theme colours and fonts; the class names below).
CSS_TEMPLATE = "slides.css.j2"


@dataclass(frozen=True)
class RenderedSlides:
    """The slides of one talk as HTML: ``slides[i]`` draws ``laid[i]``; ``css`` styles them all."""

    css: str
    slides: tuple[Markup, ...]  # safe HTML: a template inserts them as they are
    laid: tuple[Slide, ...]
    width: float  # one slide, points (scale applied)
    height: float


def render_slides(talk, ctx, laid: Sequence[Slide], scale: float = 1.0, heading: int = 2,
                  image_url: Callable[[Path], str] | None = None,
                  size: tuple[float, float] | None = None) -> RenderedSlides:
    """Slides already laid out (``laid``) as HTML fragments, with the stylesheet for them.

    ``laid`` is what the caller shows: the deck's slides (``writers.slides.lay_out``, which
    reads a user's master's frames when the theme names one), a subset of them, or the
    carousel's pages, whose ``size`` in points is not the theme's slide size.
    ``image_url(path)`` gives a picture's ``src`` (default: its ``file:`` URI, which the
    PDF writers' sandbox allows for the content's own folder)."""
    url = image_url or (lambda path: path.resolve().as_uri())
    book = fit.FontBook(ctx.theme)
    theme = ctx.theme
    width, height = size or (theme.slide_width * 72, theme.slide_height * 72)
    drawer = _Drawer(theme, book, scale, heading, url, bidi.lang_direction(talk.lang))
    return RenderedSlides(css(talk, ctx, scale), tuple(Markup(drawer.slide(s, width, height)) for s in laid), tuple(laid),
                          width * scale, height * scale)


#: An element of ours with an inline style (attribute values are escaped, so hold no "<>").
_STYLED = re.compile(r'<(\w+)([^<>]*?) style="([^"]*)"')
_CLASS = re.compile(r' class="([^"]*)"')
#: Attributes of ours only a browser reads (the preview's): WeasyPrint 70 reads no ARIA
#: and no ``data-`` attribute, and parses each (attributes are escaped, so text is never one).
_BROWSER_ONLY = re.compile(r' (?:aria-hidden="true"|data-slide="\d+")')


def classed(rendered: RenderedSlides) -> RenderedSlides:
    """``rendered`` with each distinct inline ``style`` turned into a class (``tp-s0``,
    ``tp-s1``... in order of first use) whose rule is appended to its stylesheet: the same
    picture, for a PDF engine. WeasyPrint parses every ``style`` attribute on its own and
    computes its element's style from scratch; a deck repeats a few dozen styles hundreds
    of times, and as classes it lays out the sample's slides PDF, carousel and handout
    about a sixth faster. Attributes only a browser reads (``aria-hidden``, ``data-slide``)
    are left out: tokenising, storing and wrapping them was 2% of the sample's slides PDF.
    The fragments' own (single-class) rules follow every other rule
    of the sheet, so they win where the inline styles did (the handout's sheet styles
    elements and classes no more specifically). Fragments in the same order give the same
    names, so the same bytes."""
    names: dict[str, str] = {}

    def name(match: re.Match) -> str:
        tag, attrs, style = match.groups()
        cls = names.setdefault(style, f"tp-s{len(names)}")
        if ' class="' in attrs:
            attrs = _CLASS.sub(lambda c: f' class="{c[1]} {cls}"', attrs, count=1)
        else:
            attrs += f' class="{cls}"'
        return f"<{tag}{attrs}"

    slides = tuple(Markup(_BROWSER_ONLY.sub("", _STYLED.sub(name, str(fragment)))) for fragment in rendered.slides)
    rules = "".join(f".{cls} {{ {style} }}\n" for style, cls in names.items())
    return replace(rendered, slides=slides, css=rendered.css + "\n/* the slides' boxes, lines and colours */\n" + rules)


def css(talk, ctx, scale: float = 1.0) -> str:
    """The slides' stylesheet for ``talk`` (script fonts named only when its text needs them)."""
    extra = glyphs.installed_script_families() if glyphs.needs_lookup(talk) else ()
    return render_template(ctx.templates, CSS_TEMPLATE, theme=ctx.theme, scale=scale, cell={"x": fit.CELL_X, "y": fit.CELL_Y},
                           fonts={role: ctx.theme.css_family(role, extra) for role in ("heading", "body", "code")},
                           direction=bidi.lang_direction(talk.lang))


def _num(value: float) -> str:
    # Two decimals, no "-0.00": the same layout always gives the same text.
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


#: The colour the master sets text in, on a slide with a master's backdrop (``_Drawer.ink``).
_MASTER_TEXT = "master text"


def span_html(span: Span, code_attrs: str = "", link_attrs: str = "") -> str:
    """One styled run as escaped inline HTML: code, italic, bold, then the link around it.
    ``code_attrs`` and ``link_attrs`` are extra attributes (already escaped) for the
    ``<code>`` and ``<a>`` elements."""
    text = str(escape(span.text))
    if span.code:
        text = f"<code{code_attrs}>{text}</code>"
    if span.italic:
        text = f"<i>{text}</i>"
    if span.bold:
        text = f"<b>{text}</b>"
    if span.href:
        text = f'<a href="{escape(span.href)}"{link_attrs}>{text}</a>'
    return text


class _Drawer:
    def __init__(self, theme, book: fit.FontBook, scale: float, heading: int, url: Callable[[Path], str],
                 base: str = bidi.LTR):
        self.theme, self.book, self.scale, self.heading, self.url = theme, book, scale, heading, url
        self.base = base  # the talk's direction: the document's
        #: Theme colour name -> RRGGBB for the slide being drawn, on a user's master: its
        #: scheme's, and ``_MASTER_TEXT``, the colour it sets text in (``Backdrop.text``).
        self.ink: dict[str, str] = {}

    def pt(self, value: float) -> str:
        return _num(value * self.scale) + "pt"

    def color(self, name: str) -> str:
        return "#" + (self.ink[name] if name in self.ink else self.theme.colors[name])

    def master_picture(self, box: shapes.Box, data: bytes, media_type: str) -> str:
        # Decoration: no alt text to read (a tagged PDF leaves it out of the reading order).
        source = f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"
        return f'<img class="tp-picture tp-master-picture" style="{self.place(box)}" src="{source}" alt="">'

    def backdrop(self, backdrop: shapes.Backdrop) -> str:
        """The CSS background of a slide on a user's master: a colour, a gradient, or a
        picture stretched over the slide (as a ``data:`` URL: it is inside the master)."""
        if backdrop.picture:
            data = base64.b64encode(backdrop.picture).decode("ascii")
            return f";background:url(data:{backdrop.picture_type};base64,{data}) 0 0/100% 100% no-repeat"
        if backdrop.stops:
            stops = ",".join(f"#{color} {_num(at * 100)}%" for color, at in backdrop.stops)
            return f";background:linear-gradient({_num(90 + backdrop.angle)}deg,{stops})"
        return f";background:#{backdrop.color}" if backdrop.color else ""

    def place(self, box: shapes.Box, dy: float = 0.0) -> str:
        """A box's place and size; ``dy`` moves it down (up if negative)."""
        # Margins from the slide's corner, not left and top: an absolutely placed box whose
        # left and top are auto starts where it would have been in the slide's flow (its
        # top left corner: every box is out of flow), so the slide need not be positioned,
        # and its boxes are laid out once, with the page (see the module docstring). The
        # top is the sum of the two lengths as written (to the hundredth), as they were
        # when the move was a margin of its own.
        top = float(_num(box.y * self.scale)) + (float(_num(dy * self.scale)) if dy else 0.0)
        return (f"margin-left:{self.pt(box.x)};margin-top:{_num(top)}pt;"
                f"width:{self.pt(box.w)};height:{self.pt(box.h)}")

    def slide(self, slide: Slide, width: float, height: float) -> str:
        background = f";background:{self.color(slide.background)}" if slide.background else ""
        self.ink = {}
        if slide.backdrop:
            # As the deck: what it draws itself (table cells, bullets, links) in the master's
            # scheme colours; text, which it leaves to the master, in the master's text colour.
            self.ink = masterscheme.roles(self.theme.master_colors) if self.theme.master_colors else {}
            self.ink[_MASTER_TEXT] = slide.backdrop.text or self.ink.get("text", self.theme.colors["text"])
            background = self.backdrop(slide.backdrop)
        classes = f"tp-slide tp-{slide.layout}" + (" tp-dark" if slide.dark else "")
        out = [f'<section class="{classes}" data-slide="{slide.number}" '
               f'style="width:{self.pt(width)};height:{self.pt(height)}{background}">']
        if slide.backdrop:  # a master's pictures (a logo), behind everything the deck draws
            out += [self.master_picture(*picture) for picture in slide.backdrop.pictures]
        # Decorations lie behind the text, as in the deck's z-order; the title reads first.
        out += [self.rect(s) for s in slide.shapes if isinstance(s, Rect)]
        level = 1 if slide.layout == "title" else self.heading
        out.append(self.text(slide.title, f"h{level}", "tp-title"))
        for shape in slide.shapes:
            if isinstance(shape, Text):
                out.append(self.text(shape, "div", "tp-" + shape.name.lower().replace(" ", "-")))
            elif isinstance(shape, Table):
                out.append(self.table(shape))
            elif isinstance(shape, Picture):
                out.append(self.picture(shape))
            elif isinstance(shape, Plot):
                out.append(self.plot(shape, f"s{slide.number}-"))
            elif isinstance(shape, CodeText):
                out.append(self.code(shape))
            elif isinstance(shape, SlideNumber):
                out.append(self.number(shape))
        out.append("</section>")
        return "\n".join(out)

    def rect(self, rect: Rect) -> str:
        return f'<div class="tp-rect" style="{self.place(rect.box)};background:{self.color(rect.color)}"></div>'

    def number(self, shape: SlideNumber) -> str:
        size = self.pt(shape.size)
        line = self.pt(shape.size * fit.LINE)
        top = shape.box.y + (shape.box.h - shape.size * fit.LINE) / 2
        box = shapes.Box(shape.box.x, top, shape.box.w, shape.size * fit.LINE)
        return (f'<div class="tp-box tp-number" style="{self.place(box)};font-size:{size};line-height:{line};'
                f'color:{self.color(_MASTER_TEXT if self.ink else shape.color)}">{shape.number}</div>')

    def picture(self, picture: Picture) -> str:
        return (f'<img class="tp-picture" style="{self.place(picture.box)}" src="{escape(self.url(picture.path))}" '
                f'alt="{escape(picture.alt)}">')

    def plot(self, plot: Plot, prefix: str) -> str:
        """A chart as an SVG picture (text kept as text, in the theme's font), with its alt text."""
        from ..charts import draw  # matplotlib: only for a talk with a chart

        svg = draw.svg(plot.chart, self.theme, plot.box.w, plot.box.h, plot.size, prefix)
        url = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return f'<img class="tp-picture tp-chart" style="{self.place(plot.box)}" src="{url}" alt="{escape(plot.alt)}">'

    # -- text
    def text(self, text: Text, tag: str, cls: str) -> str:
        box = text.box
        laid = [shapes.lines(p, box.w, self.book) for p in text.paras]
        tall = sum((p.space_before if i else 0.0) + len(ls) * p.size * fit.LINE
                   for i, (p, ls) in enumerate(zip(text.paras, laid)))
        offset = {"top": 0.0, "middle": (box.h - tall) / 2, "bottom": box.h - tall}[text.anchor]
        color = _MASTER_TEXT if self.ink else text.color or "text"  # on a master, text is the master's
        # An anchored block starts lower; the box keeps its place and size. Text taller than
        # its box (words too long to fit at the smallest size) gives a negative offset: the
        # box moves up by it instead, so a bottom-anchored block grows upwards from its
        # bottom as in PowerPoint (padding cannot be negative: WeasyPrint drops it, warns,
        # and the text ran down over whatever is under the box).
        one = len(text.paras) == 1 and (text.paras[0].continued or text.bullet(0) == "none")
        # The box of one paragraph is that paragraph: its space before moves the box down.
        down = text.paras[0].space_before if one else 0.0
        style = f"{self.place(box, dy=down + min(0.0, offset))};color:{self.color(color)}"
        if offset > 0:
            style += f";padding-top:{self.pt(offset)}"
        if text.align:
            style += f";text-align:{text.align}"
        if one:
            # One paragraph without a bullet (a title, a footer, a caption): the box is the
            # paragraph (a heading, else a <p>), one element where a box and a paragraph in it
            # drew the same.
            attrs, classes, para_style, body = self.para_parts(text.paras[0], laid[0], color, text.align, spaced=False)
            tag = "p" if tag == "div" else tag
            return f'<{tag}{attrs} class="tp-box {cls} {classes}" style="{style};{para_style}">{body}</{tag}>'
        inner = []
        open_list = False
        for number, (para, para_lines) in enumerate(zip(text.paras, laid)):
            bullet = "none" if para.continued else text.bullet(number)
            listed = bullet != "none" and tag == "div"
            if listed and not open_list:
                inner.append('<ul class="tp-list">')
                open_list = True
            elif not listed and open_list:
                inner.append("</ul>")
                open_list = False
            inner.append(self.para(para, para_lines, bullet, color, "li" if listed else "p", align=text.align))
        if open_list:
            inner.append("</ul>")
        return f'<{tag} class="tp-box {cls}" style="{style}">' + "".join(inner) + f"</{tag}>"

    def para(self, para: fit.Para, para_lines: list[tuple[Span, ...]], bullet: str, color: str, tag: str,
             align: str | None = None) -> str:
        attrs, classes, style, body = self.para_parts(para, para_lines, color, align)
        marker = ""
        if bullet != "none":
            start = "right" if para.runs(self.base) == bidi.RTL else "left"
            left = para.indent - shapes.hanging(para)
            char = f"{shapes.ordinal(para)}." if bullet == "number" else shapes.bullet_char(para)
            kind = " tp-numbered" if bullet == "number" else ""
            ink = f";color:{self.color('accent')}" if self.ink else ""  # the master's, as on the deck
            # A width wider than the marker (no character of it is wider than its size),
            # set from its start: a PDF engine otherwise measures the marker's text twice
            # more to shrink its box to fit, and the marker is drawn where it was.
            wide = self.pt((len(char) + 1) * para.size)
            marker = (f'<span class="tp-bullet{kind}" style="{start}:{self.pt(left)};width:{wide}{ink}" '
                      f'aria-hidden="true">{char}</span>')
        return f'<{tag}{attrs} class="{classes}" style="{style}">{marker}{body}</{tag}>'

    def para_parts(self, para: fit.Para, para_lines: list[tuple[Span, ...]], color: str,
                   align: str | None, spaced: bool = True) -> tuple[str, str, str, str]:
        """A paragraph's attributes (its direction), classes, style and lines, as HTML; its
        space before as a top margin unless not ``spaced`` (the caller places it)."""
        runs = para.runs(self.base)
        # The start side: where the indent and the bullet go, and where the lines are set
        # from (a centred or right-set box keeps its alignment, as in the deck).
        start = "right" if runs == bidi.RTL else "left"
        style = (f"font-size:{self.pt(para.size)};line-height:{self.pt(para.size * fit.LINE)};"
                 f"padding-{start}:{self.pt(para.indent)}")
        if runs == bidi.RTL and align in (None, "left"):
            style += ";text-align:right"
        elif runs != self.base and align in (None, "left"):
            style += ";text-align:left"
        if para.space_before and spaced:
            style += f";margin-top:{self.pt(para.space_before)}"
        classes = f"tp-p tp-{para.role}" + (" tp-bold" if para.bold else "") + (" tp-italic" if para.italic else "")
        link = ("link" if "link" in self.ink else "accent") if color in ("text", _MASTER_TEXT) else color
        # One block, its lines joined by line breaks (``white-space: pre`` on ``.tp-p``): the
        # engine breaks where we did and nowhere else, with no box per line to lay out.
        body = "\n".join("".join(self.run(s, link) for s in line) for line in para_lines)
        return self._dir(runs), classes, style, body

    def run(self, span: Span, link_color: str) -> str:
        return span_html(span, ' class="tp-code"', f' style="color:{self.color(link_color)}"')

    def _dir(self, runs: str) -> str:
        return f' dir="{runs}"' if runs != self.base else ""

    def code(self, code: CodeText) -> str:
        # A listing is a <pre>: one block per row, as the layout cut them (each row was
        # measured to fit, so it is one line here too), each run in its colour.
        rows = []
        for para, colors in zip(code.paras, code.colors):
            runs = "".join(f'<span style="color:#{color}">{escape(span.text)}</span>'
                           for span, color in zip(para.spans, colors))
            rows.append(f'<span class="tp-line tp-code-row" style="height:{self.pt(para.size * fit.LINE)}">{runs}</span>')
        size = code.paras[0].size if code.paras else 0.0
        # Code reads left to right, in a right-to-left talk too.
        return (f'<pre class="tp-box tp-code-block" dir="ltr" style="{self.place(code.box)};font-size:{self.pt(size)};'
                f'line-height:{self.pt(size * fit.LINE)}"><code>' + "".join(rows) + "</code></pre>")

    # -- tables
    def table(self, table: Table) -> str:
        # The table flows inside an absolutely placed box: PDF engines lay out positioned
        # boxes more reliably than positioned tables.
        out = [f'<div class="tp-box tp-table-box" style="{self.place(table.box)}">',
               f'<table{self._dir(table.runs(self.base))} class="tp-table" style="width:{self.pt(table.box.w)}">']
        out.append("<colgroup>" + "".join(f'<col style="width:{self.pt(w)}">' for w in table.widths) + "</colgroup>")
        for r, (row, row_height) in enumerate(zip(table.cells, table.heights)):
            if r == 0:
                out.append("<thead>")
            elif r == 1:
                out.append("<tbody>")
            cells = []
            for c in range(len(row)):
                para = table.para(r, c)
                width = table.widths[c] - 2 * fit.CELL_X
                tag, scope = ("th", ' scope="col"') if r == 0 else ("td", "")
                fill, color = table.fill(r), table.ink(r)
                cells.append(f'<{tag}{scope} style="background:{self.color(fill)};color:{self.color(color)}">'
                             + self.para(para, shapes.lines(para, width, self.book), "none", color, "p")
                             + f"</{tag}>")
            out.append(f'<tr style="height:{self.pt(row_height)}">' + "".join(cells) + "</tr>")
            if r == 0:
                out.append("</thead>")
        if len(table.cells) > 1:
            out.append("</tbody>")
        out.append("</table></div>")
        return "".join(out)
