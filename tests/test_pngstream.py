"""triptych.pngstream: a PNG that a PDF can take as it is goes in as it is; every picture,
passed on or re-encoded by WeasyPrint, has exactly its own pixels in the PDF."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from triptych import pngstream, weasy


def png(mode: str, size=(23, 7), **save) -> bytes:
    """A picture of every value a channel takes, in ``mode``, saved as PNG."""
    width, height = size
    picture = Image.new("RGBA", size)
    picture.putdata([((x * 11 + y * 3) % 256, (x * 7 + y * 29) % 256, (x * y * 5 + x // 3) % 256,
                      (x * 13 + y * 17) % 256) for y in range(height) for x in range(width)])
    if mode == "I;16":
        picture = picture.convert("L").convert("I").point(lambda v: v * 257).convert("I;16")
    elif mode != "RGBA":
        picture = (picture if "A" in mode else picture.convert("RGB")).convert(mode)
    out = io.BytesIO()
    picture.save(out, format="PNG", **save)
    return out.getvalue()


def interlaced(data: bytes) -> bytes:
    """``data`` with its header saying "interlaced" (the rows are not, so only for ``stream``)."""
    header = bytearray(data[16:29])
    header[12] = 1
    chunk = b"IHDR" + bytes(header)
    return data[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + data[33:]


def test_an_8_bit_grey_or_rgb_png_is_passed_on_with_its_own_rows():
    for mode in ("RGB", "L"):
        data = png(mode)
        found = pngstream.stream(data)
        assert found is not None and found[0] == mode
        rows = zlib.decompress(found[1])  # what the PDF reader inflates: a filter byte, then a row
        assert len(rows) == 7 * (1 + 23 * len(mode))


@pytest.mark.parametrize("data", [
    png("RGBA"), png("LA"), png("P"), png("I;16"), png("1"), png("RGB", transparency=(0, 0, 0)),
    interlaced(png("RGB")), png("RGB")[:-30], b"GIF89a", b"",
], ids=["alpha", "grey-alpha", "palette", "16-bit", "1-bit", "transparent-colour", "interlaced", "cut-short",
        "not-png", "empty"])
def test_any_other_png_is_left_to_weasyprint(data):
    assert pngstream.stream(data) is None


def test_an_animated_png_is_left_to_weasyprint():
    out = io.BytesIO()
    first = Image.open(io.BytesIO(png("RGB")))
    first.save(out, format="PNG", save_all=True, append_images=[first.rotate(180)])
    assert pngstream.stream(out.getvalue()) is None


def pdf_of(pictures: list[bytes]) -> bytes:
    """A PDF, as our writers make them, showing each picture (as a ``data:`` URL)."""
    import base64

    weasyprint = weasy.load()
    pngstream.install()
    html = "".join(f'<img alt="" src="data:image/png;base64,{base64.b64encode(p).decode()}">' for p in pictures)
    return weasyprint.HTML(string=f"<!DOCTYPE html><html lang=en><title>t</title>{html}</html>").write_pdf()


def test_every_picture_has_its_own_pixels_in_the_pdf():
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    modes = ["RGB", "L", "RGBA", "LA", "P"]
    # Large enough for Pillow to write its rows in several IDAT chunks.
    pictures = [png(mode, size=(331, 241)) for mode in modes]
    pdf = pdf_of(pictures)
    for mode, picture in zip(modes, pictures):  # passed on as they are: the grey and the RGB one
        assert (pngstream.stream(picture)[1] in pdf) if mode in ("RGB", "L") else pngstream.stream(picture) is None
    document = pdfium.PdfDocument(pdf)
    drawn = [image.get_bitmap().to_pil() for page in document
             for image in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE])]
    assert len(drawn) == len(pictures)
    for mode, picture, shown in zip(modes, pictures, drawn):
        source = Image.open(io.BytesIO(picture))
        # The PDF holds the colours (an alpha channel goes in a mask of its own).
        expected = source.convert("L" if mode in ("L", "LA") else "RGB")
        assert shown.convert(expected.mode).tobytes() == expected.tobytes(), mode


def test_install_twice_wraps_once():
    from weasyprint.images import RasterImage

    weasy.load()
    pngstream.install()
    first = RasterImage.__dict__["_get_png_data"].__func__
    pngstream.install()
    assert RasterImage.__dict__["_get_png_data"].__func__ is first
    assert first._triptych_passthrough
