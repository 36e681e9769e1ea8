"""The theme file (templates/theme.yaml): colours, fonts, sizes, slide and page size.

Read with the same strict YAML reader as content, so a mistake in the theme is reported
as ``templates/theme.yaml:LINE: field: message`` (exit 2), never a traceback.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, Problem
from .files import as_path, display_path
from .schema import Choice, Field, ListOf, Record, Reader, Text
from .yamldata import Node, parse

_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")
_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)\s*(in|cm|mm|pt)$")
_PER_INCH = {"in": 1.0, "cm": 1 / 2.54, "mm": 1 / 25.4, "pt": 1 / 72}
PAGE_SIZES = ("A4", "Letter")
COLOR_NAMES = ("primary", "accent", "text", "muted", "background", "light", "on_primary")
FONT_ROLES = ("heading", "body", "code")
SIZE_NAMES = ("title", "heading", "body", "small", "table", "quote")
CAROUSEL_SIZES = ("portrait", "square")


@dataclass(frozen=True)
class Theme:
    """A validated theme. Colours are 6-digit hex strings, sizes points, slide size inches.

    ``fonts[role]`` is a fallback list of family names, most wanted first.
    ``master`` is an absolute path to the user's .pptx/.potx, or None for the built-in look.
    """

    name: str
    colors: dict[str, str]
    fonts: dict[str, tuple[str, ...]]
    sizes: dict[str, float]
    slide_width: float
    slide_height: float
    page_size: str
    master: Path | None = None
    carousel_size: str = "portrait"  # the carousel's pages: "portrait" (4:5) or "square"
    path: Path | None = field(default=None, compare=False)

    def css_family(self, role: str, extra: tuple[str, ...] = ()) -> str:
        """A CSS ``font-family`` value for ``role``: the theme's families, then ``extra``
        (fonts installed for other scripts), then a generic family; duplicates dropped.

        Each name is a CSS string with ``\\``, ``"`` and ``<`` escaped and control characters
        removed, so a theme can end neither the declaration nor a ``<style>`` element. The
        value is safe to mark ``Markup`` (autoescaping would turn the quotes into ``&#34;``,
        which CSS inside ``<style>`` does not decode)."""
        names = [_CSS_CONTROL.sub("", name) for name in (*self.fonts[role], *extra)]
        generic = "monospace" if role == "code" else "sans-serif"
        return ", ".join([_css_string(name) for name in dict.fromkeys(names) if name.strip()] + [generic])


_CSS_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _css_string(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'


def _length(value: str) -> float | None:
    match = _LENGTH.match(value.strip())
    return float(match.group(1)) * _PER_INCH[match.group(2)] if match else None


def _hex(r: Reader, node: Node, where: str, value: str) -> str:
    if not _HEX.match(value):
        r.error(node, where, "must be six hex digits such as 1F3A5F")
        return ""
    return value.upper()


def _points(r: Reader, node: Node, where: str, value: str) -> float | None:
    try:
        size = float(value)
    except ValueError:
        size = float("nan")
    if not 4 <= size <= 200:
        r.error(node, where, "must be a number of points between 4 and 200")
        return None
    return size


def _inches(r: Reader, node: Node, where: str, value: str) -> float | None:
    inches = _length(value)
    if inches is None or not 1 <= inches <= 56:
        r.error(node, where, "must be a length such as 13.333in or 33.867cm (1 to 56 inches)")
        return None
    return inches


def _paper(r: Reader, node: Node, where: str, value: str) -> str:
    if value not in PAGE_SIZES:
        r.error(node, where, f"'{value}' is not one of {', '.join(PAGE_SIZES)}")
        return ""
    return value


class _Families(Field):
    """A font role: one family name or a list of them, most wanted first."""

    _name = Text(markdown=False)

    def read(self, r: Reader, node: Node, where: str) -> tuple[str, ...] | None:
        items = [node] if node.kind == "scalar" else ListOf.nodes(r, node, where)
        if items is None:
            return None
        names = tuple(r.read(self._name, item, where) for item in items)
        if not names or not all(names):
            r.error(node, where, "must name font families: one name or a list such as [Calibri, Carlito, DejaVu Sans]")
            return None
        return names


_SCALAR = Text(markdown=False)
THEME = Record(None, {
    "name": _SCALAR,
    "colors": Record(None, {name: Text(markdown=False, check=_hex, required=True) for name in COLOR_NAMES}, required=True),
    "fonts": Record(None, {role: _Families() for role in FONT_ROLES}, required=True),
    "sizes": Record(None, {name: Text(markdown=False, check=_points) for name in SIZE_NAMES}, required=True),
    "slide": Record(None, {name: Text(markdown=False, check=_inches, required=True) for name in ("width", "height")},
                    required=True),
    "page": Record(None, {"size": Text(markdown=False, check=_paper)}, required=True),
    "carousel": Record(None, {"size": Choice("carousel size", CAROUSEL_SIZES)}),
    "master": _SCALAR,
})


def load_theme(path: str | os.PathLike[str], page_size: str | None = None,
               master: str | os.PathLike[str] | None = None) -> Theme:
    """Read ``path``. ``page_size`` and ``master`` (from the CLI) override the file's.
    Every mistake in the file is reported at once, an unknown key with a did-you-mean.
    A master that is not there is blamed where its name came from: ``--master`` when
    given here, else the theme file's ``master:`` line."""
    path = as_path(path)
    master = None if master is None else as_path(master)
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ContentError.one(shown, 0, "", f"cannot read the theme: {err}") from None
    root, yaml_problems = parse(text)
    r = Reader(shown)
    for p in yaml_problems:
        r.error(p.line, "", p.message)
    if root is None or root.kind != "map":
        if not r.problems:
            r.error(1, "", "the theme must be a mapping of colors, fonts, sizes, slide, page")
        raise ContentError(r.problems)
    top = r.read(THEME, root, "") or {}
    r.sweep(root)
    slide, page = top.get("slide", {}), top.get("page", {})
    master_path = master
    if master_path is None and top.get("master"):
        master_path = (path.parent / top["master"]).resolve()
        if not master_path.is_file():
            r.error(r.lines.get("master", 0), "master",
                    f"'{top['master']}' not found (looked for {display_path(master_path)}, beside the theme file)")
    elif master_path is not None and not master_path.is_file():
        r.problems.append(Problem("--master", 0, "", f"'{display_path(master_path)}' not found"))
    if r.problems:
        raise ContentError(r.problems)
    fonts = {role: top["fonts"].get(role) or (("DejaVu Sans Mono",) if role == "code" else ("DejaVu Sans",))
             for role in FONT_ROLES}
    sizes = {name: top["sizes"].get(name, float(default)) for name, default in zip(SIZE_NAMES, (44, 32, 22, 12, 16, 30))}
    return Theme(
        name=top.get("name", "theme"),
        colors=top["colors"], fonts=fonts, sizes=sizes,
        slide_width=slide["width"], slide_height=slide["height"],
        page_size=page_size or page.get("size", "A4"), master=master_path, path=path,
        carousel_size=(top.get("carousel") or {}).get("size") or "portrait",
    )
