"""The theme file as written (templates/theme.yaml, templates/themes/*.yaml): each section
a frozen dataclass whose fields are the keys it knows (``Colors``, ``Fonts``, ``Sizes``,
...; ``ThemeFile`` the whole), and ``schema``, which reads every key of a file into them
through the declared fields of ``triptych.schema``, so a typo is ``unknown key 'bodyy';
did you mean 'body'?`` and a bad value names its key. ``triptych.theme`` merges a file
over the theme it extends and makes the ``Theme`` writers use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Callable

from .schema import Choice, Field, Flag, ListOf, Record, Reader, Text
from .yamldata import Node

_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")
_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)\s*(in|cm|mm|pt)$")
_PER_INCH = {"in": 1.0, "cm": 1 / 2.54, "mm": 1 / 25.4, "pt": 1 / 72}
PAGE_SIZES = ("A4", "Letter")
CAROUSEL_SIZES = ("portrait", "square")
HANDOUT_LAYOUTS = ("notes", "compact")


@dataclass(frozen=True)
class Colors:
    """``colors:``, six hex digits each. ``cover`` (the title and section slides'
    background) and ``on_cover`` (text on it) default to ``primary`` and ``on_primary``."""

    primary: str
    accent: str
    text: str
    muted: str
    background: str
    light: str
    on_primary: str
    cover: str = ""
    on_cover: str = ""


@dataclass(frozen=True)
class Fonts:
    """``fonts:``, each role a fallback list of family names, most wanted first."""

    heading: tuple[str, ...] = ("DejaVu Sans",)
    body: tuple[str, ...] = ("DejaVu Sans",)
    code: tuple[str, ...] = ("DejaVu Sans Mono",)


@dataclass(frozen=True)
class Sizes:
    """``sizes:``, in points."""

    title: float = 44.0
    heading: float = 32.0
    body: float = 22.0
    small: float = 12.0
    table: float = 16.0
    quote: float = 30.0


@dataclass(frozen=True)
class SlideSize:
    """``slide:``, in inches (written as lengths: 13.333in, 33.867cm)."""

    width: float
    height: float


@dataclass(frozen=True)
class PageSettings:
    """``page:``: the handout's paper."""

    size: str = "A4"


@dataclass(frozen=True)
class DeckSettings:
    """``deck:``: ``reveal`` shows every bullets slide's points one click at a time."""

    reveal: bool = False


@dataclass(frozen=True)
class HandoutSettings:
    """``handout:``: ``layout`` "notes" (one card a page-width, notes after) or "compact"."""

    layout: str = "notes"


@dataclass(frozen=True)
class CarouselSettings:
    """``carousel:``: ``size`` of the pages, "portrait" (4:5) or "square"."""

    size: str = "portrait"


@dataclass(frozen=True)
class ThemeFile:
    """A theme file as written, merged over the built-in theme it ``extends`` (a section
    left out has its defaults; ``load_theme`` makes the ``Theme`` from it)."""

    colors: Colors
    slide: SlideSize
    name: str = "theme"
    description: str = ""
    extends: str = ""
    fonts: Fonts = Fonts()
    sizes: Sizes = Sizes()
    page: PageSettings = PageSettings()
    deck: DeckSettings = DeckSettings()
    handout: HandoutSettings = HandoutSettings()
    carousel: CarouselSettings = CarouselSettings()
    master: str = ""


#: Optional colours and the colour each defaults to.
OPTIONAL_COLORS = {"cover": "primary", "on_cover": "on_primary"}
#: The colours every complete theme sets.
COLOR_NAMES = tuple(f.name for f in fields(Colors) if f.name not in OPTIONAL_COLORS)
FONT_ROLES = tuple(f.name for f in fields(Fonts))
SIZE_NAMES = tuple(f.name for f in fields(Sizes))


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


def schema(complete: bool, themes: tuple[str, ...]) -> Record:
    """The theme's fields: each section's keys are the fields of its dataclass (``Record``
    checks that they match). A ``complete`` theme must set colours, fonts, sizes, slide and
    page; one that ``extends`` another sets only what it changes. Each section reads as a
    dict of the keys present, so a theme merges over the one it extends key by key.
    ``themes`` are the built-in themes' names, which ``extends`` may name."""
    need = complete

    def section(model: type, read: Callable[[str], Field], required: bool = need) -> Record:
        return Record(model, {f.name: read(f.name) for f in fields(model)}, required=required, partial=True)

    return Record(ThemeFile, {
        "name": _SCALAR,
        "description": _SCALAR,
        "extends": Choice("theme", themes, otherwise="the built-in themes are {choices}"),
        "colors": section(Colors, lambda name: Text(markdown=False, check=_hex,
                                                    required=need and name not in OPTIONAL_COLORS)),
        "fonts": section(Fonts, lambda name: _Families()),
        "sizes": section(Sizes, lambda name: Text(markdown=False, check=_points)),
        "slide": section(SlideSize, lambda name: Text(markdown=False, check=_inches, required=need)),
        "page": section(PageSettings, lambda name: Text(markdown=False, check=_paper)),
        "deck": section(DeckSettings, lambda name: Flag(), required=False),
        "handout": section(HandoutSettings, lambda name: Choice("handout layout", HANDOUT_LAYOUTS), required=False),
        "carousel": section(CarouselSettings, lambda name: Choice("carousel size", CAROUSEL_SIZES), required=False),
        "master": _SCALAR,
    }, partial=True)


#: Each section of a theme file -> the dataclass it becomes.
SECTIONS: dict[str, type] = {key: field.model for key, field in schema(True, ()).fields.items()
                             if isinstance(field, Record)}
