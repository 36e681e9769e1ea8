"""The carousel: a 4:5 (or square) PDF made for a LinkedIn document post, read on a phone.

Its pages come from its own plan (``templates/carousel.yaml.j2``) and layout
(``triptych.slides.carousel``: a cover, one idea a page in large type, a closing page with
the canonical URL as text), drawn by the shared slide renderer (``triptych.slides.html``)
and written by ``triptych.pdfout`` (tagged, fonts embedded, sandboxed, the same bytes for
the same content). LinkedIn takes at most ``MAX_PAGES`` pages and ``MAX_BYTES`` bytes:
a carousel past either is written with a warning that says so and what to do (the
carousel is a default output, so a long talk's plain build still makes all of them);
with ``--strict`` (``ctx.options["strict"]``) it is a ``ContentError`` instead, and nothing
is written.
Sections follow the ``carousel`` name of ``only:``.
"""

from __future__ import annotations

from .. import glyphs, pdfout, shaping
from ..errors import ContentError, Problem, warn_or_raise
from ..model import Talk
from ..slides import carousel
from ..slides.html import classed, render_slides
from . import Context, output
from .slides import document

#: Which ``only:`` name governs its sections: its record's family.
FAMILY = output("carousel").family
#: LinkedIn's limits for a document post.
MAX_PAGES = 300
MAX_BYTES = 100 * 1024 * 1024


def past_limit(talk: Talk, ctx: Context, message: str) -> None:
    """A carousel LinkedIn would refuse: a warning (the carousel is still written), or
    with ``--strict`` a ``ContentError``."""
    warn_or_raise([Problem(talk.path, 0, "carousel", message)], bool(ctx.options.get("strict")), ctx.warn)


def html(talk: Talk, ctx: Context) -> tuple[str, str]:
    """The carousel's HTML document and stylesheet. Past ``MAX_PAGES``: ``past_limit``."""
    laid = carousel.lay_out(talk, ctx)
    if len(laid) > MAX_PAGES:
        past_limit(talk, ctx, f"{len(laid)} pages, and LinkedIn takes at most {MAX_PAGES}: leave sections out "
                              "of the carousel with only: (every name but carousel), or split the talk")
    return document(talk, ctx, classed(render_slides(talk, ctx, laid, size=carousel.page_size(ctx))))


def render(talk: Talk, ctx: Context) -> bytes:
    """The carousel PDF of ``talk``. Raises ``ContentError`` for a plan template mistake,
    text no installed font has, a URL the sandbox refuses, or, with ``--strict``, a
    carousel LinkedIn would refuse (over ``MAX_PAGES`` pages or ``MAX_BYTES`` bytes; else
    a warning)."""
    lacking = glyphs.missing(talk) or shaping.check(talk, ctx.theme)
    if lacking:
        raise ContentError(lacking)
    document, stylesheet = html(talk, ctx)
    pdf = pdfout.write_pdf(talk, ctx, document, stylesheet, "carousel")
    if len(pdf) > MAX_BYTES:
        past_limit(talk, ctx, f"the PDF is {len(pdf) / 1024 / 1024:.1f} MB, and LinkedIn takes at most "
                              f"{MAX_BYTES / 1024 / 1024:g} MB: use smaller pictures, or leave sections out "
                              "of the carousel with only:")
    return pdf


#: The text of every page, in page order (PDFium; see ``pdfout.read_text``).
read_text = pdfout.read_text
