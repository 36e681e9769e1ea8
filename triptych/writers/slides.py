"""The slides PDF: the deck as a tagged 16:9 PDF, one page per slide, without the notes.

The pages are the HTML slides of ``triptych.slides.html`` (the deck's own plan and measured
layout, so every line ends where it ends in PowerPoint and LibreOffice), laid out by
WeasyPrint at the slide's size (``templates/slides.html.j2``, ``templates/slides-pdf.css.j2``)
and written by ``triptych.pdfout``: PDF/UA-1 with the talk's metadata, fonts embedded,
links clickable, sandboxed, the same bytes for the same inputs. Sections follow the
deck's ``only:`` name: a section shown in the deck is on these pages.
"""

from __future__ import annotations

from .. import glyphs, pdfout, shaping
from ..slides import html as slide_html
from ..slides import layout
from ..slides.shapes import Slide
from ..errors import ContentError
from ..model import Talk
from ..render import render as render_template
from . import Context

FAMILY = "deck"
SUFFIX = ".slides.pdf"


def lay_out(talk: Talk, ctx: Context) -> list[Slide]:
    """The deck's slides as laid out, for an output that draws them (``slides.html``): the
    built-in look's without python-pptx; with a theme's master, its frames as the deck
    reads them (python-pptx is imported only then). Raises ``ContentError`` for what the
    deck would refuse (an unknown layout, a plan template mistake)."""
    if ctx.theme.master is None:
        return layout.lay_out_talk(talk, ctx)
    from . import deck

    return deck.lay_out(talk, ctx)


def document(talk: Talk, ctx: Context, rendered: slide_html.RenderedSlides) -> tuple[str, str]:
    """The HTML document and stylesheet of a PDF whose pages are ``rendered``, one a page
    of their size (``templates/slides.html.j2``, ``templates/slides-pdf.css.j2``)."""
    page = render_template(ctx.templates, "slides-pdf.css.j2", width=rendered.width, height=rendered.height)
    return render_template(ctx.templates, "slides.html.j2", talk=talk, slides=rendered.slides,
                           subject=pdfout.subject(talk), created=pdfout.pdf_date(talk),
                           width=rendered.width, height=rendered.height), page + rendered.css


def size(ctx: Context) -> tuple[float, float] | None:
    """The pages' size in points on a theme's master: its slides' (a 4:3 master makes 4:3
    pages, as its deck has); None for the built-in look's (the theme's slide size)."""
    if ctx.theme.master is None:
        return None
    from . import deck

    return deck.slide_size(ctx)


def html(talk: Talk, ctx: Context) -> tuple[str, str]:
    """The slides PDF's HTML document and stylesheet."""
    rendered = slide_html.render_slides(talk, ctx, lay_out(talk, ctx), size=size(ctx))
    return document(talk, ctx, slide_html.classed(rendered))


def render(talk: Talk, ctx: Context) -> bytes:
    """The slides PDF of ``talk``. Raises ``ContentError`` as the deck does (an unknown
    layout, a plan template mistake) and as the handout does (text no installed font has,
    a URL the sandbox refuses)."""
    lacking = glyphs.missing(talk) or shaping.check(talk, ctx.theme)
    if lacking:
        raise ContentError(lacking)
    document, stylesheet = html(talk, ctx)
    return pdfout.write_pdf(talk, ctx, document, stylesheet, "slides")


#: The text of every page, in page order (PDFium; see ``pdfout.read_text``).
read_text = pdfout.read_text
