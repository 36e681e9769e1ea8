"""The colours of a user's .pptx/.potx master: its theme's colour scheme (``a:clrScheme``).

On a user's master the deck sets colours only where it draws something itself: table
cells, bullets and links. Those take the master's scheme colours (``ROLES``), so a table
header looks like the master's own tables (accent 1, text in light 1) and a link like its
links (hyperlink), and ``triptych.contrast`` checks those pairs. The scheme is read from
the package without python-pptx: the presentation's first slide master, its theme part.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")
#: The scheme's twelve colours, in the order PowerPoint lists them.
SCHEME = ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
          "hlink", "folHlink")
#: Theme colour name -> the scheme colour the deck uses for it on a user's master.
ROLES = {"text": "dk1", "background": "lt1", "muted": "dk2", "light": "lt2", "primary": "accent1",
         "on_primary": "lt1", "accent": "accent1", "link": "hlink"}
_MAX_PART = 5_000_000  # bytes of one XML part read: a theme is a few kilobytes


def read_scheme(path: Path) -> dict[str, str]:
    """The colour scheme of the first slide master of ``path`` as {name: RRGGBB}: each of
    ``SCHEME`` that the file sets as an sRGB or system colour (``lastClr``). Raises
    ``ValueError`` saying what is missing when the file is not a presentation with a themed
    master (a broken zip, no master, no theme, a scheme without dk1 and lt1)."""
    try:
        with zipfile.ZipFile(path) as package:
            presentation = _xml(package, "ppt/presentation.xml")
            first = presentation.find(f"{_P}sldMasterIdLst/{_P}sldMasterId")
            if first is None:
                raise ValueError("it has no slide master")
            master = _target(package, "ppt/presentation.xml", rid=first.get(f"{_R}id"))
            theme = _target(package, master, kind="/theme")
            scheme = _xml(package, theme).find(f"{_A}themeElements/{_A}clrScheme")
    except (OSError, zipfile.BadZipFile, KeyError, ElementTree.ParseError) as err:
        raise ValueError(f"cannot read its colours ({err})") from None
    if scheme is None:
        raise ValueError("its theme has no colour scheme")
    colors = {}
    for name in SCHEME:
        element = scheme.find(f"{_A}{name}")
        if element is None or not len(element):
            continue
        value = element[0].get("val") if element[0].tag == f"{_A}srgbClr" else element[0].get("lastClr")
        if value and _HEX.match(value):
            colors[name] = value.upper()
    if "dk1" not in colors or "lt1" not in colors:
        raise ValueError("its colour scheme sets no dark 1 and light 1 colours")
    colors.setdefault("dk2", colors["dk1"])
    colors.setdefault("lt2", colors["lt1"])
    colors.setdefault("accent1", colors["dk2"])
    colors.setdefault("hlink", colors["accent1"])
    return colors


def roles(scheme: dict[str, str]) -> dict[str, str]:
    """The deck's colour names (``ROLES``) in the master's colours."""
    return {role: scheme[name] for role, name in ROLES.items()}


def _xml(package: zipfile.ZipFile, name: str) -> ElementTree.Element:
    if package.getinfo(name).file_size > _MAX_PART:
        raise ValueError(f"{name} is over {_MAX_PART} bytes")
    return ElementTree.fromstring(package.read(name))


def _target(package: zipfile.ZipFile, source: str, rid: str | None = None, kind: str = "") -> str:
    """The part that ``source``'s relationship ``rid`` (or its first of type ``kind``) names."""
    folder, name = posixpath.split(source)
    rels = _xml(package, posixpath.join(folder, "_rels", name + ".rels"))
    for rel in rels.iter(f"{_REL}Relationship"):
        if (rid and rel.get("Id") == rid) or (kind and rel.get("Type", "").endswith(kind)):
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
    raise KeyError(f"{source} names no {'part ' + rid if rid else kind.strip('/')}")
