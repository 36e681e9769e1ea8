"""The handout: a print-ready, tagged PDF of slide cards, prose and talking points.

``templates/handout.html.j2`` lays the talk out (cover; per section a slide card, its
body and its speaker notes; a closing page) and ``templates/handout.css.j2`` styles it
from the same theme as the deck. WeasyPrint turns the two into a PDF:

- **Paper**: ``ctx.theme.page_size`` (A4 or Letter; the theme's ``page.size`` or the CLI's
  ``--paper``). Slide cards keep the deck's aspect ratio and scale the deck's font sizes
  by the ratio of card width to slide width, so a card looks like the slide shrunk.
- **Accessible**: PDF/UA-1 (tagged, with a structure tree), ``/Lang`` from ``talk.lang``,
  title, author, subject (subtitle, else the summary's first paragraph) and keywords
  (tags) in the metadata; images carry their alt text; headings are real ``h1``-``h3``;
  WeasyPrint embeds (subsets of) every font it uses.
- **Safe**: every URL the document names is fetched through ``triptych.sandbox`` (the
  content's folder, the templates folder and ``data:`` only); a refusal is a
  ``ContentError``. Content text is always escaped by the template.
- **Drawable**: text no installed font can draw is a ``ContentError`` naming the field
  and the characters (``triptych.glyphs``), checked before rendering, and again
  after it through WeasyPrint's own ".notdef glyph" warning.
- **Reproducible**: the same talk, templates, theme and fonts give the same bytes. The
  PDF's dates are ``talk.date`` (else ``SOURCE_DATE_EPOCH``, else none at all, never the
  clock) and its file identifier is derived from the slug.

WeasyPrint is imported inside ``render`` only (``triptych.weasy``): importing it takes
0.4 s, which a build of the article alone must not pay.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import logging
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from .. import dates, glyphs, markup, weasy
from ..errors import ContentError, Problem
from ..model import Section, Talk
from ..render import render as render_template
from ..sandbox import Sandbox
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


def pdf_date(talk: Talk) -> str:
    """The W3C date written as the PDF's creation and modification date: ``talk.date``,
    else ``SOURCE_DATE_EPOCH`` (UTC), else "" (no date: still reproducible). A
    ``SOURCE_DATE_EPOCH`` that is not an integer is ignored rather than fatal, as the
    reproducible-builds convention asks."""
    if talk.date is not None:
        return talk.date.isoformat()
    moment = dates.stamp(talk)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def subject(talk: Talk) -> str:
    """The PDF's subject: the subtitle, else the first paragraph of the summary (plain)."""
    if talk.subtitle:
        return talk.subtitle
    first = markup.blocks(talk.summary)
    return first[0].plain if first else ""


def identifier(talk: Talk) -> bytes:
    """The PDF file identifier: fixed per slug, so rebuilding gives the same bytes and a
    revised handout of the same talk keeps its identity (as PDF's /ID intends)."""
    return hashlib.sha256(f"triptych handout {talk.slug}".encode()).hexdigest()[:32].encode()


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
        talk=talk, cards=cards(talk), subject=subject(talk), created=pdf_date(talk),
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


#: Serialises the process-wide changes ``_rendering`` makes (environment, loggers).
_RENDER_LOCK = threading.Lock()

#: 1980-01-01T00:00:00Z, the timestamp reproducible builds conventionally fall back on.
_FALLBACK_EPOCH = int(dates.EPOCH_1980.timestamp())

#: WeasyPrint warnings about the machine, not the content or templates: not passed on.
_MACHINE_NOISE = re.compile(r"HarfBuzz-Subset", re.IGNORECASE)


def font_epoch(talk: Talk) -> str:
    """The ``SOURCE_DATE_EPOCH`` to subset fonts under: the environment's own when set,
    else midnight UTC of ``talk.date``, else 1980-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return epoch
    if talk.date is not None:
        return str(int(dt.datetime.combine(talk.date, dt.time(), dt.timezone.utc).timestamp()))
    return str(_FALLBACK_EPOCH)


class _Captured(logging.Handler):
    """WeasyPrint's warnings during one render."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _rendering(talk: Talk):
    """Around WeasyPrint's rendering: capture its warnings, make font subsetting
    reproducible and quiet. Yields the ``_Captured`` handler.

    WeasyPrint subsets fonts with fontTools where HarfBuzz-subset is missing, and
    fontTools stamps each subset font's ``head.modified`` with the current time unless
    ``SOURCE_DATE_EPOCH`` is set, so without it no two PDFs are alike. fontTools also
    logs "'created' timestamp seems very low" for fonts such as Carlito: noise to a
    user. Loggers and the environment are process-wide, hence the lock; all is restored.
    """
    with _RENDER_LOCK:
        old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = font_epoch(talk)
        font_logger, weasy_logger = logging.getLogger("fontTools"), logging.getLogger("weasyprint")
        font_level, weasy_level = font_logger.level, weasy_logger.level
        font_logger.setLevel(logging.ERROR)
        weasy_logger.setLevel(logging.WARNING)
        captured = _Captured()
        weasy_logger.addHandler(captured)
        try:
            yield captured
        finally:
            weasy_logger.removeHandler(captured)
            weasy_logger.setLevel(weasy_level)
            font_logger.setLevel(font_level)
            if old_epoch is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = old_epoch


def render(talk: Talk, ctx: Context) -> bytes:
    """The handout PDF of ``talk``.

    Raises ``ContentError`` when a field holds characters no installed font has, when
    the document names a URL the sandbox refuses, or for a template mistake. Other
    WeasyPrint warnings (a CSS property a customised template misspelt, say) go to
    ``ctx.warn``.
    """
    lacking = glyphs.missing(talk)
    if lacking:
        raise ContentError(lacking)
    document_html = html(talk, ctx)
    stylesheet = css(talk, ctx)

    weasyprint = weasy.load()  # here, not at the top: see the module docstring
    from weasyprint.urls import FatalURLFetchingError

    sandbox = Sandbox(talk.path, (talk.base_dir, ctx.templates))
    fetcher = sandbox.fetcher()
    try:
        with _rendering(talk) as captured:
            options = {
                "stylesheets": [weasyprint.CSS(string=stylesheet, base_url=ctx.templates.resolve().as_uri() + "/",
                                               url_fetcher=fetcher)],
                "pdf_variant": "pdf/ua-1",
                "pdf_identifier": identifier(talk),
            }
            with weasy.collector_paused():  # holding _RENDER_LOCK, as it asks
                document = weasyprint.HTML(
                    string=document_html, base_url=talk.base_dir.resolve().as_uri() + "/", url_fetcher=fetcher,
                ).render(**options)
                # Layout leaves cyclic garbage (about 70 MiB for 500 sections); freed
                # here, the PDF writer reuses that memory instead of growing past it.
                gc.collect()
                pdf = document.write_pdf(**options)
                del document
    except FatalURLFetchingError:
        # Only the sandbox raises this (WeasyPrint turns every other fetch failure into
        # a fatal one too, because the fetcher fails on errors); its problems say why.
        if sandbox.problems:
            raise sandbox.error() from None
        raise
    notdef = [m for m in captured.messages if glyphs.NOTDEF_MESSAGE.search(m)]
    if notdef:
        raise ContentError([Problem(talk.path, 0, "handout", f"{m}; install a font that has them")
                            for m in dict.fromkeys(notdef)])
    for message in dict.fromkeys(captured.messages):
        if not _MACHINE_NOISE.search(message):
            ctx.warn(f"{talk.path}: handout: {message}")
    return pdf


def read_text(path: Path) -> str:
    """The text of every page of the PDF at ``path``, in page order, one page per block
    separated by a blank line, as PDFium extracts it (independently of ``render``).

    PDFium (pypdfium2) rather than pypdf: the same text for our PDFs, about 30 times
    faster (9 ms against 280 ms for the sample), and the read-back sits on the critical
    path of every build. A file PDFium cannot open raises ``OSError``."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(os.fspath(path))
    except pdfium.PdfiumError as err:
        raise OSError(f"cannot read {path} as a PDF: {err}") from None
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            # PDFium ends lines with CRLF, and joins a line that ends in a hyphen to the
            # next, marking the hyphen U+FFFE. The handout never hyphenates (CSS
            # ``hyphens: none``), so such a hyphen is one the author typed: keep it.
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-")
            pages.append(text)
            textpage.close()
            page.close()
        return "\n\n".join(pages)
    finally:
        document.close()
