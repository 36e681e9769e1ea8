"""The files a content file names (its images, a chart's data, its theme file), confined to
the content file's own folder: no URL, no absolute path, nothing that leaves the folder
('..', a symlink pointing out), a file that is there (else the closest name is
suggested), of a known kind and under its size limit. ``ContentReader`` is the schema
reader that knows that folder.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from .schema import Reader

MAX_IMAGE_BYTES = 20_000_000
IMAGE_FORMATS = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg", b"GIF87a": "gif", b"GIF89a": "gif"}


class ContentReader(Reader):
    """A ``Reader`` that also knows the content folder (images are confined to it) and the
    talk's slug."""

    def __init__(self, path: str, base_dir: Path, slug: str, bracket_budget: int | None = None):
        super().__init__(path, bracket_budget=bracket_budget)
        self.base_dir, self.slug = base_dir, slug

    @property
    def display_dir(self) -> str:
        parent = str(Path(self.path).parent)
        return parent + "/" if parent != "." else "./"


def image_path(r: ContentReader, line: int, where: str, src: str) -> Path | None:
    """Resolve ``src`` inside the content folder, refusing anything that leaves it
    (absolute paths, '..', symlinks pointing out), URLs and non-images."""
    target = content_file(r, line, where, src, "image", MAX_IMAGE_BYTES)
    if target is None:
        return None
    with target.open("rb") as fh:
        head = fh.read(8)
    if not any(head.startswith(magic) for magic in IMAGE_FORMATS):
        r.error(line, where, f"'{src}' is not a PNG, JPEG or GIF image")
        return None
    return target


def inside_folder(r: ContentReader, line: int, where: str, src: str, kind: str, rule: str) -> Path | None:
    """The existing file ``src`` names inside the content folder, or None after reporting
    why not: a URL, an absolute path, a path that leaves the folder ('..', a symlink
    pointing out; ``rule`` says what must stay in), or a file that is not there (with the
    closest file in the folder, when one is close). ``kind`` names the file in messages."""
    if "://" in src or src.startswith("data:"):
        r.error(line, where, "must be a file in the content folder, not a URL")
        return None
    if Path(src).is_absolute() or src.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", src):
        r.error(line, where, f"'{src}' is an absolute path; give a path relative to {r.display_dir}")
        return None
    base = r.base_dir.resolve()
    target = (base / src).resolve()
    if base != target and base not in target.parents:
        r.error(line, where, f"'{src}' is outside the content folder {r.display_dir}; {rule}")
        return None
    if not target.is_file():
        close = closest_file(base, src)
        hint = f"; did you mean '{close}'?" if close else ""
        r.error(line, where, f"{kind} '{src}' not found in {r.display_dir}{hint}")
        return None
    return target


def content_file(r: ContentReader, line: int, where: str, src: str, kind: str, limit: int) -> Path | None:
    """The file ``src`` names inside the content folder (``inside_folder``: no URL, no
    absolute path, nothing that leaves the folder, a file that is there), at most ``limit``
    bytes; None after reporting why not. ``kind`` names the file ("data file")."""
    target = inside_folder(r, line, where, src, kind, f"{kind}s must live inside it")
    if target is None:
        return None
    size = target.stat().st_size
    if size > limit:
        r.error(line, where, f"{kind} '{src}' is {size} bytes; at most {limit} are allowed")
        return None
    return target


def closest_file(base: Path, src: str) -> str | None:
    """The file inside folder ``base`` whose path is closest to ``src`` (a relative path
    that names nothing), written as ``src`` is, or None when none is close enough.

    Each part of ``src`` that does not exist is swapped for the closest name in its folder
    (``images/vector-spaces.png`` -> ``images/vector-space.png``, ``image/pic.png`` ->
    ``images/pic.png``). Names are close when their stems are (ratio 0.7 or more), so
    ``a.png`` never suggests ``b.png``, while ``diagram.png`` suggests ``diagram.jpg``.
    Hidden files are never suggested, nor anything that resolves outside ``base``."""
    parts = [p for p in Path(src).parts if p not in ("", ".")]
    folder, found = base, []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if (folder / part).is_dir() and not last:
            folder, found = folder / part, found + [part]
            continue
        try:
            names = [c.name for c in folder.iterdir() if not c.name.startswith(".")
                     and (c.is_file() if last else c.is_dir())]
        except OSError:
            return None
        name = _closest_name(part, names)
        if name is None:
            return None
        folder, found = folder / name, found + [name]
    if not found or not folder.is_file() or base.resolve() not in folder.resolve().parents:
        return None
    return "/".join(found)


def _closest_name(name: str, names: list[str]) -> str | None:
    stem = Path(name).stem
    ranked = sorted(sorted(names), key=lambda n: -difflib.SequenceMatcher(None, name, n).ratio())
    for candidate in ranked[:5]:
        if difflib.SequenceMatcher(None, stem, Path(candidate).stem).ratio() >= 0.7:
            return candidate
    return None
