"""Where a build finds its templates, and ``triptych --init``: a new project from the starter.

Templates, first match wins:

1. ``--templates DIR`` when given;
2. ``./templates`` when the working folder has one (a project's own, as ``--init
   --with-templates`` makes it: it wins over the packaged ones, as a Pelican or MkDocs
   theme override does; it is used whole, so it must hold every template and theme.yaml);
3. ``DEFAULT_TEMPLATES``: in an installed triptych, the templates packaged inside it (the
   wheel carries the repository's ``templates/`` as ``triptych/templates/``); in a clone
   of the repository, its top-level ``templates/``.

``init(folder)`` writes ``content/first-talk.yaml`` (``triptych/starter/``, a talk that
uses every part of the content format and builds cleanly as it is) and the picture it
shows, drawn here; ``with_templates`` also copies the default templates. It never
overwrites: if any file it would write exists, it writes nothing and names them all.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _default_templates() -> Path:
    packaged = _PACKAGE / "templates"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "templates"


#: The templates used when neither ``--templates`` nor ``./templates`` names others.
DEFAULT_TEMPLATES = _default_templates()

#: The starter talk, as shipped in the package.
STARTER = _PACKAGE / "starter" / "first-talk.yaml"
#: Where ``init`` puts the starter talk and its picture, relative to the project folder.
STARTER_TALK = Path("content") / "first-talk.yaml"
STARTER_IMAGE = Path("content") / "images" / "three-panels.png"


def project_templates(folder: Path = Path(".")) -> Path:
    """The templates a plain ``triptych`` in ``folder`` uses: ``folder/templates`` when it
    is a folder (relative, so messages name ``templates/x.j2``), else ``DEFAULT_TEMPLATES``."""
    own = folder / "templates"
    return own if own.is_dir() else DEFAULT_TEMPLATES


class ExistsError(Exception):
    """``init`` would overwrite these files (``paths``); nothing was written."""

    def __init__(self, paths: list[Path]):
        super().__init__(", ".join(map(str, paths)))
        self.paths = paths


def init(folder: str | os.PathLike[str], with_templates: bool = False,
         today: dt.date | None = None) -> list[Path]:
    """Create a project in ``folder`` (made if missing) and return the files written, in
    order. The starter talk is dated ``today`` (default: the local date).

    Raises ``ExistsError`` naming every file that already exists, and every file where
    a folder must go, before writing any; ``OSError`` when a folder cannot be written
    (the files written until then stay). A
    file that appears between the check and the write is not overwritten either (files
    are opened for exclusive creation).
    """
    folder = Path(folder)
    files: dict[Path, bytes] = {
        folder / STARTER_TALK: _starter_talk(today or dt.date.today()),
        folder / STARTER_IMAGE: draw_three_panels(),
    }
    if with_templates:
        for source in sorted(p for p in DEFAULT_TEMPLATES.iterdir() if p.is_file()):
            files[folder / "templates" / source.name] = source.read_bytes()
    existing = [path for path in files if path.exists() or path.is_symlink()]
    # A file where a folder must go ("talks" given "--init talks/new") is in the way too.
    existing += sorted({parent for path in files for parent in path.parents
                        if (parent.exists() or parent.is_symlink()) and not parent.is_dir()})
    if existing:
        raise ExistsError(existing)
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "xb") as out:
                out.write(data)
        except FileExistsError:
            raise ExistsError([path]) from None
    return list(files)


def _starter_talk(today: dt.date) -> bytes:
    text = STARTER.read_text(encoding="utf-8")
    return text.replace('date: "YYYY-MM-DD"', f'date: "{today.isoformat()}"', 1).encode("utf-8")


def draw_three_panels(width: int = 1200, height: int = 675) -> bytes:
    """The starter's picture as PNG bytes: three panels side by side in the default theme's
    colours, a slide (title bar and bullet points), an article page (a heading and lines
    of text) and a printed handout (a slide card above its text). No words, so no font is
    needed, and the same Pillow gives the same bytes."""
    from PIL import Image, ImageDraw

    navy, teal, light, grey, white = "#1F3A5F", "#2A9D8F", "#EEF3F7", "#A9BBD0", "#FFFFFF"
    image = Image.new("RGB", (width, height), light)
    draw = ImageDraw.Draw(image)
    unit = width // 40  # the layout is on a 40-column grid
    top, bottom = 4 * unit, height - 4 * unit

    def lines(x0: int, y0: int, x1: int, count: int, gap: int) -> None:
        for i in range(count):
            end = x1 if i % 3 != 2 else x0 + (x1 - x0) * 2 // 3  # every third line ends short
            draw.rounded_rectangle((x0, y0 + i * gap, end, y0 + i * gap + unit // 3), unit // 6, fill=grey)

    def bullets(x0: int, y0: int, x1: int, count: int, size: int) -> None:
        for i in range(count):
            cy = y0 + i * size * 5 // 2
            draw.ellipse((x0, cy, x0 + size, cy + size), fill=teal)
            draw.rounded_rectangle((x0 + 2 * size, cy + size // 4, x1 - i * 2 * size, cy + size * 3 // 4),
                                   size // 4, fill=grey)

    # Left panel: a 16:9 slide, centred vertically.
    x0, x1 = 2 * unit, 15 * unit
    slide_h = (x1 - x0) * 9 // 16
    y0 = (height - slide_h) // 2
    draw.rounded_rectangle((x0, y0, x1, y0 + slide_h), unit // 3, fill=white, outline=grey, width=2)
    draw.rectangle((x0 + 2, y0 + 2, x1 - 2, y0 + 2 * unit), fill=navy)
    bullets(x0 + unit, y0 + 3 * unit, x1 - unit, 3, unit // 2)
    # Middle panel: an article page.
    x0, x1 = 17 * unit, 26 * unit
    draw.rounded_rectangle((x0, top, x1, bottom), unit // 3, fill=white, outline=grey, width=2)
    draw.rounded_rectangle((x0 + unit, top + unit, x1 - 2 * unit, top + 2 * unit), unit // 6, fill=navy)
    lines(x0 + unit, top + 3 * unit, x1 - unit, 13, unit * 3 // 4)
    # Right panel: a handout page, a small copy of the slide above its text.
    x0, x1 = 28 * unit, 38 * unit
    draw.rounded_rectangle((x0, top, x1, bottom), unit // 3, fill=white, outline=grey, width=2)
    card_h = (x1 - x0 - 2 * unit) * 9 // 16
    draw.rounded_rectangle((x0 + unit, top + unit, x1 - unit, top + unit + card_h), unit // 4, fill=white,
                           outline=teal, width=2)
    draw.rectangle((x0 + unit + 2, top + unit + 2, x1 - unit - 2, top + 2 * unit), fill=navy)
    bullets(x0 + 2 * unit, top + 5 * unit // 2, x1 - 2 * unit, 2, unit // 3)
    lines(x0 + unit, top + 2 * unit + card_h, x1 - unit, 8, unit * 3 // 4)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()

