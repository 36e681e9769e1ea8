"""The handout's pages for the preview: the written PDF, page by page, as pictures and text.

The handout view shows the PDF itself, not its HTML in a browser: page breaks, headers,
footers and "Page n of N" are WeasyPrint's, and only the PDF has them. PDFium (already a
dependency: the parity check reads PDFs with it) gives each page's size and text when the
PDF is read, and draws a page's picture only when a browser asks for it (the view loads
pictures lazily, as they scroll into sight): drawing all 80 pages of a long handout after
every save would cost seconds. Pictures are ``WIDTH`` pixels wide (1.5 times an A4 page's
CSS width, sharp on a high-density screen); the last ``KEEP`` drawn are kept.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

#: Width of a page picture in pixels; the view shows it at two thirds of that.
WIDTH = 1200
#: Page pictures kept in memory per PDF (about 150 KB each).
KEEP = 40
#: PDFium is not safe to call from two threads at once; the server's threads take turns.
_PDFIUM = threading.Lock()


@dataclass(frozen=True)
class Page:
    """One page: its size in pixels at ``WIDTH`` and its text."""

    width: int
    height: int
    text: str


@dataclass
class Pages:
    """Every page of one PDF; ``digest`` names the PDF's bytes (it versions the pictures'
    URLs, so a browser never shows a stale cached page)."""

    digest: str
    pages: tuple[Page, ...]
    pdf: bytes = field(repr=False, default=b"")
    _drawn: OrderedDict = field(default_factory=OrderedDict, repr=False)

    def png(self, number: int) -> bytes | None:
        """Page ``number`` (from 1) as a PNG, drawn on first request; None past the end."""
        if not 1 <= number <= len(self.pages):
            return None
        with _PDFIUM:
            if number not in self._drawn:
                self._drawn[number] = _draw(self.pdf, number - 1)
                while len(self._drawn) > KEEP:
                    self._drawn.popitem(last=False)
            self._drawn.move_to_end(number)
            return self._drawn[number]


def digest(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()[:16]


def read_pages(pdf: bytes) -> Pages:
    """The pages of ``pdf`` (sizes and text; pictures on request). Raises ``OSError`` when
    PDFium cannot open the bytes."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as err:
            raise OSError(f"cannot read the PDF: {err}") from None
        out = []
        try:
            for page in document:
                textpage = page.get_textpage()
                text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-")
                scale = WIDTH / page.get_width()
                out.append(Page(WIDTH, round(page.get_height() * scale), text))
                textpage.close()
                page.close()
        finally:
            document.close()
    return Pages(digest(pdf), tuple(out), pdf)


def _draw(pdf: bytes, index: int) -> bytes:
    """Page ``index`` (from 0) of ``pdf`` as a PNG ``WIDTH`` pixels wide, written fast (zlib
    level 1: it only crosses the loopback). The caller holds ``_PDFIUM``."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[index]
        bitmap = page.render(scale=WIDTH / page.get_width())
        picture = bitmap.to_pil().convert("RGB")
        if picture.width != WIDTH:  # rounding: a pixel too few or many
            picture = picture.resize((WIDTH, round(picture.height * WIDTH / picture.width)))
        buffer = io.BytesIO()
        picture.save(buffer, format="PNG", compress_level=1)
        bitmap.close()
        page.close()
        return buffer.getvalue()
    finally:
        document.close()


__all__ = ["KEEP", "Page", "Pages", "WIDTH", "digest", "read_pages"]
