"""Tagged, reproducible, sandboxed PDFs from HTML and CSS (WeasyPrint), and reading them back.

The handout, the slides PDF and the carousel are each an HTML document and a stylesheet
made from templates; ``write_pdf`` turns one into PDF bytes the same way for all three:

- **Accessible**: PDF/UA-1 (tagged, with a structure tree), ``/Lang`` from the HTML's
  ``lang``, title, author, subject and keywords from its ``<meta>``; WeasyPrint embeds
  (subsets of) every font it uses.
- **Safe**: every URL the document names is fetched through ``triptych.sandbox`` (the
  content's folder, the templates folder and ``data:`` only); a refusal is a
  ``ContentError``. Text no installed font can draw is a ``ContentError`` too: the
  caller checks the content first (``glyphs.missing``), and WeasyPrint's own ".notdef
  glyph" warning is caught here as a second net.
- **Reproducible**: the same inputs and fonts give the same bytes. The PDF's dates are
  ``pdf_date(talk)`` (the caller writes them in the HTML's meta) and its file identifier
  is derived from the slug and the output's name (``identifier``).

WeasyPrint is imported inside ``write_pdf`` only (``triptych.weasy``): importing it takes
a large part of a cold build, which a build of the article alone must not pay. ``read_text`` reads a PDF back
with PDFium for the parity check.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import re
import threading
from pathlib import Path

from . import dates, emojis, glyphs, markup, pngstream, weasy, weasytrim
from .errors import ContentError, Problem
from .model import Talk
from .sandbox import Sandbox


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


def identifier(talk: Talk, output: str) -> bytes:
    """The PDF file identifier: fixed per slug and output ("handout", "slides"...), so
    rebuilding gives the same bytes and a revised PDF of the same talk keeps its identity
    (as PDF's /ID intends)."""
    return hashlib.sha256(f"triptych {output} {talk.slug}".encode()).hexdigest()[:32].encode()


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


def write_pdf(talk: Talk, ctx, html: str, css: str, output: str) -> bytes:
    """The PDF of the HTML document ``html`` styled by ``css``, for output ``output``
    ("handout", "slides", "carousel": named in the identifier and in warnings).

    Raises ``ContentError`` when the document names a URL the sandbox refuses or a
    character no font has. Other WeasyPrint warnings (a CSS property a customised
    template misspelt, say) go to ``ctx.warn``."""
    weasyprint = weasy.load()  # here, not at the top: see the module docstring
    pngstream.install()  # a PNG picture goes in as it is, not decoded and compressed again
    from weasyprint.urls import FatalURLFetchingError

    undrawable = glyphs.undrawable_emoji(talk)
    if undrawable:
        # Without an emoji font, an emoji would print as empty boxes: leave it out, and
        # say once (the same words from every PDF, so a build shows them once) what to install.
        html = emojis.strip(html, undrawable)
        shown = " ".join(undrawable[:8]) + (" ..." if len(undrawable) > 8 else "")
        ctx.warn(f"{talk.path}: no installed font can draw emoji, so the PDFs leave out {shown}; "
                 f"install an emoji font (on Debian: apt-get install fonts-noto-color-emoji) and rebuild")

    sandbox = Sandbox(talk.path, (talk.base_dir, ctx.templates))
    fetcher = sandbox.fetcher()
    try:
        with _rendering(talk) as captured:
            options = {
                "stylesheets": [weasyprint.CSS(string=css, base_url=ctx.templates.resolve().as_uri() + "/",
                                               url_fetcher=fetcher)],
                "pdf_variant": "pdf/ua-1",
                "pdf_identifier": identifier(talk, output),
            }
            with weasy.collector_paused():  # holding _RENDER_LOCK, as it asks
                source = weasyprint.HTML(string=html, base_url=talk.base_dir.resolve().as_uri() + "/",
                                         url_fetcher=fetcher)
                weasytrim.lean_user_agent_sheet(source, html, css)
                document = source.render(font_config=weasy.font_config(), **options)
                # Layout leaves cyclic garbage (about 70 MiB for 500 sections); freed
                # here, the PDF writer reuses that memory instead of growing past it.
                weasy.collect_young()
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
        raise ContentError([Problem(talk.path, 0, output, f"{m}; install a font that has them")
                            for m in dict.fromkeys(notdef)])
    for message in dict.fromkeys(captured.messages):
        if not _MACHINE_NOISE.search(message):
            ctx.warn(f"{talk.path}: {output}: {message}")
    return pdf


def page_images(pdf: bytes, width: int) -> list[bytes]:
    """Every page of the PDF ``pdf`` as a PNG ``width`` pixels wide (PDFium renders it;
    Pillow writes the PNG without a timestamp, so the same PDF gives the same bytes)."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        out = []
        for page in document:
            bitmap = page.render(scale=width / page.get_width())
            picture = bitmap.to_pil()
            if picture.width != width:  # rounding: a pixel too few or many
                picture = picture.resize((width, round(picture.height * width / picture.width)))
            buffer = io.BytesIO()
            picture.convert("RGB").save(buffer, format="PNG", optimize=False, compress_level=6)
            out.append(buffer.getvalue())
            bitmap.close()
            page.close()
        return out
    finally:
        document.close()


def read_text(path: Path) -> str:
    """The text of every page of the PDF at ``path``, in page order, one page per block
    separated by a blank line, as PDFium extracts it (independently of ``render``).

    PDFium (pypdfium2) rather than pypdf: the same text for our PDFs, an order of
    magnitude faster, and the read-back sits on the critical path of every build
    (docs/design.md). A file PDFium cannot open raises ``OSError``."""
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
            # next, marking the hyphen U+FFFE. Our PDFs never hyphenate (CSS
            # ``hyphens: none``), so such a hyphen is one the author typed: keep it.
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-")
            pages.append(text)
            textpage.close()
            page.close()
        return "\n\n".join(pages)
    finally:
        document.close()
