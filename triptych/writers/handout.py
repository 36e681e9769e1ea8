"""The handout: a print-ready, tagged PDF of slide cards, prose and talking points.

``templates/handout.html.j2`` lays the talk out (cover; per section a slide card, its
body and its speaker notes; a closing page) and ``templates/handout.css.j2`` styles it
from the same theme as the deck. WeasyPrint turns the two into a PDF:

- **Paper**: ``ctx.theme.page_size`` (A4 or Letter; the theme's ``page.size`` or the CLI's
  ``--paper``). Slide cards keep the deck's aspect ratio and scale the deck's font sizes
  by the ratio of card width to slide width, so a card looks like the slide shrunk.
- **Accessible**: title, author, subject (subtitle, else the summary's first paragraph)
  and keywords (tags) in the metadata; images carry their alt text; headings are real
  ``h1``-``h3``. Content text is always escaped by the template.
- **Drawable**: text no installed font can draw is a ``ContentError`` naming the field
  and the characters (``triptych.glyphs``), checked before rendering.

``triptych.pdfout`` makes the PDF (tagged PDF/UA-1, sandboxed, reproducible: shared with
the slides PDF and the carousel).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import glyphs, pdfout
from ..errors import ContentError
from ..model import Section, Talk
from ..render import render as render_template
from ..theme import Theme
from . import Context, output

#: Which ``only:`` name governs its sections: its record's family.
FAMILY = output("handout").family

#: A table with more rows than this is printed after its slide card instead of in it:
#: the card must not split across pages, but a long table may (its header repeated).
#: Eight rows is what fits a card at the theme's table size with one-line cells.
CARD_TABLE_ROWS = 8

#: Paper sizes in millimetres (width, height).
PAPER_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
#: Page margins in millimetres: the top and bottom ones hold the running header and footer.
MARGIN_MM = {"top": 22.0, "right": 18.0, "bottom": 22.0, "left": 18.0}



@dataclass(frozen=True)
class Layout:
    """Measurements the stylesheet needs, derived from the theme and the paper."""

    page_size: str
    card_width_mm: float
    card_height_mm: float
    scale: float  # card width / slide width: deck sizes in pt times this = card sizes

    def pt(self, size: float) -> str:
        """A deck font size in points, scaled to the card (CSS length)."""
        return f"{size * self.scale:.2f}pt"


def layout(theme: Theme) -> Layout:
    """The card size for ``theme``: as wide as the text column, as tall as the slide's
    aspect ratio says."""
    width, _ = PAPER_MM[theme.page_size]
    card_width = width - MARGIN_MM["left"] - MARGIN_MM["right"]
    card_height = card_width * theme.slide_height / theme.slide_width
    return Layout(theme.page_size, card_width, card_height, card_width / 25.4 / theme.slide_width)


@dataclass(frozen=True)
class CardView:
    """How one section's slide card is drawn."""

    section: Section
    table_in_card: bool

    @property
    def table_after(self) -> bool:
        return self.section.table is not None and not self.table_in_card


def cards(talk: Talk) -> list[CardView]:
    return [CardView(s, s.table is not None and len(s.table.rows) <= CARD_TABLE_ROWS)
            for s in talk.sections_in(FAMILY)]


def html(talk: Talk, ctx: Context) -> str:
    """The handout as HTML (for the PDF, and for looking at when styling)."""
    return render_template(
        ctx.templates, "handout.html.j2",
        talk=talk, cards=cards(talk), subject=pdfout.subject(talk), created=pdfout.pdf_date(talk),
        image_url=lambda image: image.path.resolve().as_uri(),
    )


def css(talk: Talk, ctx: Context) -> str:
    """The handout's stylesheet, from the theme."""
    # Script fonts are named only when the text needs them (see glyphs.needs_lookup).
    extra = glyphs.installed_script_families() if glyphs.needs_lookup(talk) else ()
    return render_template(
        ctx.templates, "handout.css.j2",
        theme=ctx.theme, layout=layout(ctx.theme), margin=MARGIN_MM,
        fonts={role: ctx.theme.css_family(role, extra) for role in ("heading", "body", "code")},
    )


def render(talk: Talk, ctx: Context) -> bytes:
    """The handout PDF of ``talk`` (``pdfout.write_pdf``: tagged, sandboxed, reproducible).

    Raises ``ContentError`` when a field holds characters no installed font has, when
    the document names a URL the sandbox refuses, or for a template mistake. Other
    WeasyPrint warnings (a CSS property a customised template misspelt, say) go to
    ``ctx.warn``.
    """
    lacking = glyphs.missing(talk)
    if lacking:
        raise ContentError(lacking)
    return pdfout.write_pdf(talk, ctx, html(talk, ctx), css(talk, ctx), FAMILY)


#: The text of every page of a PDF, in page order (PDFium; see ``pdfout.read_text``).
read_text = pdfout.read_text
