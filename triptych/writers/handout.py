"""The handout: a print-ready, tagged PDF of slide cards, prose and talking points.

``templates/handout.html.j2`` lays the talk out (cover; per section its slide cards, its
body and its speaker notes; a closing page) and ``templates/handout.css.j2`` styles it
from the same theme as the deck. WeasyPrint turns the two into a PDF:

- **Paper**: ``ctx.theme.page_size`` (A4 or Letter; the theme's ``page.size`` or the CLI's
  ``--paper``).
- **Slide cards**: the section's slides as the deck lays them out, drawn by the shared
  slide renderer (``triptych.slides.html``) shrunk to the text column's width: the same
  words on the same lines as the deck, in the built-in look.
- **Layout** (``--handout``, else the theme's ``handout.layout``): "notes" sets each card
  the text column's width with its prose and talking points after it, a section starting
  a new page unless it fits on the current one; "compact" sets each card at
  ``COMPACT_CARD`` of the column with its talking points beside it and its prose after,
  sections following each other: two or three cards a page, as in PowerPoint's
  three-slides handout.
- **Accessible**: title, author, subject (subtitle, else the summary's first paragraph)
  and keywords (tags) in the metadata; images carry their alt text; headings are real
  ``h1``-``h3``. Content text is always escaped by the template.
- **Charts**: drawn as SVG in the slide card (the shared slide renderer's, through
  ``triptych.charts.draw``), their numbers printed as a table after the card: text
  inside a PDF's vector drawing reads back one letter at a time, so the table is what
  copying and screen readers get.
- **Drawable**: text no installed font can draw is a ``ContentError`` naming the field
  and the characters (``triptych.glyphs``), checked before rendering.

``triptych.pdfout`` makes the PDF (tagged PDF/UA-1, sandboxed, reproducible: shared with
the slides PDF and the carousel).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .. import bidi, glyphs, pdfout, shaping
from ..errors import ContentError
from ..model import Section, Talk
from ..render import render as render_template
from ..slides.html import classed, render_slides
from ..slides.layout import lay_out_talk
from ..theme import Theme
from . import Context, output

#: Which ``only:`` name governs its sections: its record's family.
FAMILY = output("handout").family

#: Paper sizes in millimetres (width, height).
PAPER_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
#: Page margins in millimetres: the top and bottom ones hold the running header and footer.
MARGIN_MM = {"top": 22.0, "right": 18.0, "bottom": 22.0, "left": 18.0}
#: The compact layout's card width, as a share of the text column; the talking points
#: take the rest, beside the card.
COMPACT_CARD = 0.56
#: The gap between a compact card and its talking points (mm).
COMPACT_GAP_MM = 6.0



@dataclass(frozen=True)
class Layout:
    """Measurements the stylesheet needs, derived from the theme and the paper."""

    page_size: str
    card_width_mm: float
    card_height_mm: float
    scale: float  # card width / slide width: deck sizes in pt times this = card sizes
    compact: bool = False  # cards beside their talking points (``layout_name``)

    def pt(self, size: float) -> str:
        """A deck font size in points, scaled to the card (CSS length)."""
        return f"{size * self.scale:.2f}pt"


def layout(theme: Theme, name: str = "notes") -> Layout:
    """The card size for ``theme`` and handout layout ``name``: as wide as the text column
    ("notes") or ``COMPACT_CARD`` of it ("compact"), as tall as the slide's aspect ratio says."""
    width, _ = PAPER_MM[theme.page_size]
    card_width = width - MARGIN_MM["left"] - MARGIN_MM["right"]
    compact = name == "compact"
    if compact:
        card_width = (card_width - COMPACT_GAP_MM) * COMPACT_CARD
    card_height = card_width * theme.slide_height / theme.slide_width
    return Layout(theme.page_size, card_width, card_height, card_width / 25.4 / theme.slide_width, compact)


def layout_name(ctx: Context) -> str:
    """The handout layout: ``--handout`` when given, else the theme's ``handout.layout``."""
    return ctx.options.get("handout_layout") or ctx.theme.handout_layout


@dataclass(frozen=True)
class CardView:
    """One section's slide cards: the slides the deck shows of it (more than one when its
    parts take several slides or continue), drawn by the shared slide renderer."""

    section: Section
    slides: tuple[Markup, ...]


def cards(talk: Talk, ctx: Context) -> tuple[list[CardView], str]:
    """Each handout section's cards, and the stylesheet they need. The slides are laid out
    from the deck's plan over the handout's sections (so a section only in the handout
    gets its slides too), in the built-in look, shrunk to the card's width."""
    laid = [s for s in lay_out_talk(talk, ctx, family=FAMILY) if s.section is not None]
    rendered = classed(render_slides(talk, ctx, scale=layout(ctx.theme, layout_name(ctx)).scale, laid=laid))
    by_section: dict[int, list[Markup]] = {}
    for slide, fragment in zip(rendered.laid, rendered.slides):
        by_section.setdefault(slide.section.index, []).append(fragment)
    return [CardView(s, tuple(by_section.get(s.index, ()))) for s in talk.sections_in(FAMILY)], rendered.css


def html(talk: Talk, ctx: Context, views: list[CardView] | None = None) -> str:
    """The handout as HTML (for the PDF, and for looking at when styling)."""
    from ..charts.words import value_text, warnings

    for message in warnings(talk):
        ctx.warn(message)
    return render_template(
        ctx.templates, "handout.html.j2",
        talk=talk, cards=views if views is not None else cards(talk, ctx)[0], subject=pdfout.subject(talk),
        created=pdfout.pdf_date(talk), compact=layout_name(ctx) == "compact",
        value_text=value_text,
    )


def css(talk: Talk, ctx: Context, slides_css: str | None = None) -> str:
    """The handout's stylesheet, from the theme, with the slide cards' own."""
    # Script fonts are named only when the text needs them (see glyphs.needs_lookup).
    extra = glyphs.installed_script_families() if glyphs.needs_lookup(talk) else ()
    return render_template(
        ctx.templates, "handout.css.j2",
        talk=talk, theme=ctx.theme, layout=layout(ctx.theme, layout_name(ctx)), margin=MARGIN_MM, gap=COMPACT_GAP_MM,
        direction=bidi.lang_direction(talk.lang),
        fonts={role: ctx.theme.css_family(role, extra) for role in ("heading", "body", "code")},
    ) + (slides_css if slides_css is not None else cards(talk, ctx)[1])


def render(talk: Talk, ctx: Context) -> bytes:
    """The handout PDF of ``talk`` (``pdfout.write_pdf``: tagged, sandboxed, reproducible).

    Raises ``ContentError`` when a field holds characters no installed font has, when
    the document names a URL the sandbox refuses, or for a template mistake. Other
    WeasyPrint warnings (a CSS property a customised template misspelt, say) go to
    ``ctx.warn``.
    """
    lacking = glyphs.missing(talk) or shaping.check(talk, ctx.theme)
    if lacking:
        raise ContentError(lacking)
    views, slides_css = cards(talk, ctx)
    return pdfout.write_pdf(talk, ctx, html(talk, ctx, views), css(talk, ctx, slides_css), FAMILY)


#: The text of every page of a PDF, in page order (PDFium; see ``pdfout.read_text``).
read_text = pdfout.read_text
