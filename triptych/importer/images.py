"""The pictures an article names: which local files may be copied, and where to."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from ..folder import IMAGE_FORMATS, MAX_IMAGE_BYTES


def image_check(src: str, source_dir: Path) -> Path | str:
    """The local picture ``src`` names, or why it is left out."""
    if urlsplit(src).scheme in ("http", "https") or src.startswith("//"):
        return f"remote image not fetched: {src}"
    if not src or urlsplit(src).scheme or Path(src).is_absolute() or re.match(r"^[A-Za-z]:|^[/\\]", src):
        return f"image '{src}' is not a file beside the article; left out"
    if ".." in Path(src).parts:
        return f"image '{src}' is outside the article's folder; left out"
    base = source_dir.resolve()
    target = (base / src).resolve()
    if base not in target.parents:
        return f"image '{src}' is outside the article's folder; left out"
    if not target.is_file():
        return f"image '{src}' not found beside the article; left out"
    if target.stat().st_size > MAX_IMAGE_BYTES:
        return f"image '{src}' is over {MAX_IMAGE_BYTES} bytes; left out"
    with target.open("rb") as fh:
        head = fh.read(8)
    if not any(head.startswith(magic) for magic in IMAGE_FORMATS):
        return f"image '{src}' is not a PNG, JPEG or GIF; left out"
    return target
