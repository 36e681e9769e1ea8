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
from .files import as_path
from .loader import display_path
from .yamldata import Node, parse

_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")
_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)\s*(in|cm|mm|pt)$")
_PER_INCH = {"in": 1.0, "cm": 1 / 2.54, "mm": 1 / 25.4, "pt": 1 / 72}
PAGE_SIZES = ("A4", "Letter")
COLOR_NAMES = ("primary", "accent", "text", "muted", "background", "light", "on_primary")
FONT_ROLES = ("heading", "body", "code")
SIZE_NAMES = ("title", "heading", "body", "small", "table", "quote")


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


def load_theme(path: str | os.PathLike[str], page_size: str | None = None,
               master: str | os.PathLike[str] | None = None) -> Theme:
    """Read ``path``. ``page_size`` and ``master`` (from the CLI) override the file's."""
    path = as_path(path)
    master = None if master is None else as_path(master)
    shown = display_path(path)
    problems: list[Problem] = []

    def bad(node: Node | None, where: str, message: str) -> None:
        problems.append(Problem(shown, node.line if node else 0, where, message))

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ContentError.one(shown, 0, "", f"cannot read the theme: {err}") from None
    root, yaml_problems = parse(text)
    for p in yaml_problems:
        problems.append(Problem(shown, p.line, "", p.message))
    if root is None or root.kind != "map":
        if not problems:
            problems.append(Problem(shown, 1, "", "the theme must be a mapping of colors, fonts, sizes, slide, page"))
        raise ContentError(problems)

    def table(node: Node | None, where: str) -> dict[str, Node]:
        if node is None:
            bad(root, where, "is required")
            return {}
        if node.kind != "map":
            bad(node, where, "expected a mapping")
            return {}
        return {k.value: v for k, v in node.items}

    top = {k.value: v for k, v in root.items}
    for key in top:
        if key not in ("name", "colors", "fonts", "sizes", "slide", "page", "master"):
            bad(next(k for k, _ in root.items if k.value == key), key, "unknown theme key")
    colors = {}
    for name, node in table(top.get("colors"), "colors").items():
        if name not in COLOR_NAMES:
            bad(node, f"colors.{name}", f"unknown colour; the theme uses {', '.join(COLOR_NAMES)}")
        elif node.kind != "scalar" or not _HEX.match(node.value):
            bad(node, f"colors.{name}", "must be six hex digits such as 1F3A5F")
        else:
            colors[name] = node.value.upper()
    fonts = {}
    for role, node in table(top.get("fonts"), "fonts").items():
        names = [n.value for n in node.items] if node.kind == "seq" else [node.value]
        if role not in FONT_ROLES or not all(n.strip() for n in names) or not names:
            bad(node, f"fonts.{role}", f"must be one of {', '.join(FONT_ROLES)}, naming font families")
        else:
            fonts[role] = tuple(n.strip() for n in names)
    sizes = {}
    for name, node in table(top.get("sizes"), "sizes").items():
        try:
            sizes[name] = float(node.value)
            if not 4 <= sizes[name] <= 200:
                raise ValueError
        except ValueError:
            bad(node, f"sizes.{name}", "must be a number of points between 4 and 200")
    slide = table(top.get("slide"), "slide")
    dims = {}
    for name in ("width", "height"):
        node = slide.get(name)
        value = _length(node.value) if node is not None and node.kind == "scalar" else None
        if value is None or not 1 <= value <= 56:
            bad(node or root, f"slide.{name}", "must be a length such as 13.333in or 33.867cm (1 to 56 inches)")
        dims[name] = value or 1.0
    page = table(top.get("page"), "page")
    size = page_size or (page["size"].value if "size" in page else "A4")
    if size not in PAGE_SIZES:
        bad(page.get("size"), "page.size", f"'{size}' is not one of {', '.join(PAGE_SIZES)}")
    master_path = master
    if master_path is None and "master" in top and top["master"].value:
        master_path = (path.parent / top["master"].value).resolve()
    if master_path is not None and not master_path.is_file():
        bad(top.get("master"), "master", f"master '{master_path}' not found")
    for name in COLOR_NAMES:
        if name not in colors and not any(p.field == f"colors.{name}" for p in problems):
            bad(top.get("colors"), f"colors.{name}", "is required")
    for role in FONT_ROLES:
        fonts.setdefault(role, ("DejaVu Sans Mono",) if role == "code" else ("DejaVu Sans",))
    for name, default in zip(SIZE_NAMES, (44, 32, 22, 12, 16, 30)):
        sizes.setdefault(name, float(default))
    if problems:
        raise ContentError(problems)
    return Theme(
        name=top["name"].value if "name" in top else "theme",
        colors=colors, fonts=fonts, sizes=sizes,
        slide_width=dims["width"], slide_height=dims["height"],
        page_size=size, master=master_path, path=path,
    )
