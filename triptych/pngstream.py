"""PNG pictures into a PDF as they are, where WeasyPrint would decode and encode them again.

WeasyPrint 70 writes a PNG picture into a PDF by decoding it and compressing its pixels
again (Pillow, zlib), once per PDF. For the sample's one 1600 x 900 diagram that is
about 0.1 s of CPU in each of the handout, the slides PDF and the carousel, some 15% of
the handout's instructions.

It need not: a PDF image stream compressed with ``/FlateDecode`` and PNG predictors,
which WeasyPrint writes, holds exactly what a PNG file's ``IDAT`` chunks hold when the
PNG has 8 bits per channel, is grey or RGB and is not interlaced: the rows, each with
its filter byte, deflated. So ``install()`` makes WeasyPrint take such a file's own
``IDAT`` data (``stream``): the same pixels, without decoding or encoding them. Any other
PNG (16 bits, a palette, alpha or a transparent colour, interlaced, animated) and any
picture WeasyPrint has already changed (turned, scaled down) goes WeasyPrint's way.
The PDF's bytes differ from WeasyPrint's own (another compression of the same rows);
the same input still gives the same bytes.
"""

from __future__ import annotations

import struct

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: PNG colour types whose 8-bit rows a PDF reads as they are: grey, RGB.
_COLOR_TYPES = {0: "L", 2: "RGB"}


def stream(data: bytes) -> tuple[str, bytes] | None:
    """The Pillow mode ("L" or "RGB") and the ``IDAT`` data, joined, of the PNG file
    ``data`` when a PDF image stream can take that data as it is: 8 bits per channel,
    grey or RGB, no transparent colour, not interlaced, not animated, complete. Else None."""
    if not data.startswith(_SIGNATURE):
        return None
    header, chunks, pos, ended = b"", [], len(_SIGNATURE), False
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length:
            return None  # cut short
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind in (b"tRNS", b"acTL"):  # a transparent colour (WeasyPrint adds alpha), an animation
            return None
        elif kind == b"IEND":
            ended = True
            break
        pos += 12 + length  # length, type, data, CRC
    if len(header) != 13 or not chunks or not ended:
        return None
    _, _, depth, color, compression, filters, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or color not in _COLOR_TYPES or compression or filters or interlace:
        return None
    return _COLOR_TYPES[color], b"".join(chunks)


def _passes(pillow_image) -> bytes | None:
    """The file's own ``IDAT`` data for a picture Pillow has opened and not yet decoded
    (so not changed: ``tile`` is emptied on decoding), else None."""
    from PIL import PngImagePlugin

    source = getattr(pillow_image, "fp", None)
    if not isinstance(pillow_image, PngImagePlugin.PngImageFile) or not pillow_image.tile \
            or not hasattr(source, "getvalue"):
        return None
    found = stream(source.getvalue())
    if found is None or found[0] != pillow_image.mode:
        return None
    return found[1]


def install() -> None:
    """Make WeasyPrint's ``RasterImage`` pass such PNG files on as they are (once per
    process; WeasyPrint must be importable). If a later WeasyPrint has no
    ``_get_png_data``, nothing is changed."""
    from weasyprint.images import RasterImage

    original = RasterImage.__dict__.get("_get_png_data")
    if not isinstance(original, staticmethod) or getattr(original.__func__, "_triptych_passthrough", False):
        return
    encode = original.__func__

    def png_data(pillow_image) -> bytes:
        data = _passes(pillow_image)
        return data if data is not None else encode(pillow_image)

    png_data._triptych_passthrough = True  # type: ignore[attr-defined]
    png_data.__wrapped__ = encode  # type: ignore[attr-defined]
    RasterImage._get_png_data = staticmethod(png_data)


__all__ = ["install", "stream"]
