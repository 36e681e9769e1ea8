"""Finding installed font files for a theme's family list, and measuring text with them.

The deck never trusts a renderer to shrink text (python-pptx's autofit only takes effect
once PowerPoint re-renders), so it measures every run itself with the advance widths in
the font files (fontTools), before writing.

Which file: for a list of families such as ``[Calibri, Carlito, DejaVu Sans]`` the first
family with an installed file is used; within it the face matching bold/italic, else its
regular face (renderers then synthesise the style, which is a little wider, so callers keep
a margin). When no listed family is installed, DejaVu Sans (always present on Debian, where
LibreOffice itself depends on it) is used; when not even that is found, ``Metrics.approximate``
stands in with a deliberately wide 0.62 em per character so text still fits, only looser.

Which name goes into the file: ``Face.written`` is the family the deck names on its runs.
That is the family that was measured, except when the measured one is a metric-compatible
twin of the family asked for (Carlito for Calibri...): then the asked-for name is written,
so PowerPoint on Windows uses Calibri and LibreOffice substitutes Carlito, same widths.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from fontTools.ttLib import TTCollection, TTFont

from . import emojis

#: The family used when none of a theme's families is installed.
FALLBACK_FAMILY = "DejaVu Sans"
FALLBACK_MONO = "DejaVu Sans Mono"

#: Metric-compatible pairs (same advance widths): asked-for family -> its free twin.
METRIC_TWINS = {
    "calibri": "carlito",
    "cambria": "caladea",
    "arial": "liberation sans",
    "helvetica": "liberation sans",
    "times new roman": "liberation serif",
    "courier new": "liberation mono",
}

# Some font files (Carlito's) carry a zero 'created' date in their head table; fontTools logs a
# warning per read that would clutter every build log, and it says nothing about the metrics.
logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)

_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


def _font_dirs() -> list[Path]:
    home = Path.home()
    dirs = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts",
            home / ".local/share/fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts"),
            home / "Library/Fonts"]
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
    return [d for d in dirs if d.is_dir()]


@dataclass(frozen=True)
class FontFile:
    """One face in one file: ``number`` is its index inside a .ttc collection (else 0)."""

    family: str
    path: Path
    number: int
    bold: bool
    italic: bool


def _faces_of(path: Path) -> list[FontFile]:
    """The faces in ``path`` as (family, style); unreadable files are skipped, not fatal."""
    try:
        fonts = TTCollection(str(path), lazy=True).fonts if path.suffix.lower() in (".ttc", ".otc") \
            else [TTFont(str(path), lazy=True)]
    except Exception:  # a broken or exotic font file must not break a build
        return []
    found = []
    for number, font in enumerate(fonts):
        try:
            names = font["name"]
            family = names.getDebugName(16) or names.getDebugName(1)
            mac_style = font["head"].macStyle
            selection = font["OS/2"].fsSelection if "OS/2" in font else 0
        except Exception:
            continue
        if not family:
            continue
        bold = bool(mac_style & 1 or selection & 32)
        italic = bool(mac_style & 2 or selection & 1)
        found.append(FontFile(family, path, number, bold, italic))
    return found


@lru_cache(maxsize=1)
def installed() -> dict[str, list[FontFile]]:
    """Every installed face, by lower-cased family name (scanned once per process).

    Faces are read from the usual font folders of Linux, macOS and Windows, sorted by
    path so the choice between duplicate files is the same on every run."""
    by_family: dict[str, list[FontFile]] = {}
    for folder in _font_dirs():
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in _FONT_SUFFIXES and path.is_file():
                for face in _faces_of(path):
                    by_family.setdefault(face.family.lower(), []).append(face)
    return by_family


def _pick(faces: list[FontFile], bold: bool, italic: bool) -> FontFile:
    exact = [f for f in faces if f.bold == bold and f.italic == italic]
    regular = [f for f in faces if not f.bold and not f.italic]
    # A family's "Condensed" or "Light" files share its family name in some fonts (DejaVu):
    # prefer the plainest file name, which is the normal width.
    return min(exact or regular or faces, key=lambda f: (len(f.path.name), str(f.path)))


#: The families renderers fall back on for characters a theme's font lacks (Arabic, Hebrew
#: and other scripts Calibri or Carlito do not have): DejaVu Sans, which LibreOffice and
#: WeasyPrint depend on on Debian, and the Noto script fonts once installed.
FALLBACK_SCRIPT_FAMILIES = ("DejaVu Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "Noto Sans Hebrew", "Noto Sans")


@lru_cache(maxsize=4)
def _script_fallbacks(bold: bool, italic: bool) -> tuple["Metrics", ...]:
    table = installed()
    return tuple(Metrics(_pick(table[name.lower()], bold, italic), fallbacks=())
                 for name in FALLBACK_SCRIPT_FAMILIES if name.lower() in table)


class Metrics:
    """Advance widths and line height of one face, in points for a given size.

    A character the face has no glyph for is drawn by whichever font the renderer falls
    back on: it is counted as wide as the widest of ``FALLBACK_SCRIPT_FAMILIES`` that has
    it (so Arabic in a Calibri deck is measured with the Arabic fonts it will be drawn in,
    never less), and one em wide when none has it."""

    def __init__(self, file: FontFile | None, fallbacks: tuple["Metrics", ...] | None = None):
        self.file = file
        self._fallbacks = fallbacks
        self.bold = bool(file and file.bold)
        self.italic = bool(file and file.italic)
        self._cache: dict[str, float] = {}
        if file is None:
            self._cmap: dict[int, str] = {}
            self._advances: dict[str, tuple[int, int]] = {}
            self.units = 1000
            self._missing = 620
            return
        font = TTFont(str(file.path), fontNumber=file.number, lazy=True)
        if "maxp" in font:
            # Glyphs named by their index: the names only join the cmap to the widths, and
            # for a face without names of its own (Carlito, the built-in theme's) fontTools
            # makes them up from the cmap and the Adobe Glyph List, which was two thirds of
            # the time reading a face took (about 15 ms each, paid before the deck and
            # every PDF can start).
            font.setGlyphOrder([f"glyph{gid:05d}" for gid in range(font["maxp"].numGlyphs)])
        self.units = font["head"].unitsPerEm
        self._cmap = font.getBestCmap() or {}
        self._advances = dict(font["hmtx"].metrics)
        self._missing = self.units

    @classmethod
    def approximate(cls) -> "Metrics":
        """A stand-in when no font file is found: every character 0.62 em wide."""
        return cls(None)

    def char_width(self, char: str) -> float:
        """Width of ``char`` in ems (1.0 = the font size)."""
        width = self._cache.get(char)
        if width is None:
            if self.file is None:
                units = 0 if char in "\u200b\n" else self._missing
            else:
                glyph = self._cmap.get(ord(char))
                units = self._advances[glyph][0] if glyph in self._advances else self._missing
                if glyph is None and char in "\u200b\u200c\u200d\ufeff\n":
                    units = 0
                elif glyph is None:
                    drawn = [m.char_width(char) for m in self.fallbacks() if m.has(char)]
                    if drawn:
                        units = max(drawn) * self.units
            width = self._cache[char] = units / self.units
        return width

    def has(self, char: str) -> bool:
        """True when this face has a glyph for ``char``."""
        return ord(char) in self._cmap

    def fallbacks(self) -> tuple["Metrics", ...]:
        """The faces a renderer may draw this face's missing characters in (see the class)."""
        if self._fallbacks is None:
            self._fallbacks = _script_fallbacks(self.bold, self.italic)
        return self._fallbacks

    def widths(self, text: str) -> list[float]:
        """The width of each character of ``text``, in ems. An emoji sequence (a flag, a
        keycap, a ZWJ family, an emoji with a skin tone) is drawn as one glyph from the
        system's emoji font, whatever this face has: its first character is counted
        ``emojis.WIDTH_EM`` wide and the rest of the sequence zero."""
        ems = [self.char_width(c) for c in text]
        for start, end in emojis.spans(text):
            ems[start:end] = [emojis.WIDTH_EM] + [0.0] * (end - start - 1)
        return ems

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` set at ``size`` points, in points (no kerning: kerning only narrows)."""
        return sum(self.widths(text)) * size


@dataclass(frozen=True)
class Face:
    """What the deck needs for one font role and style: the name to write and its metrics."""

    written: str
    metrics: Metrics


def resolve(families: tuple[str, ...], bold: bool = False, italic: bool = False, mono: bool = False) -> Face:
    """The face for a theme's family list (see the module docstring for the rules)."""
    return _resolve(tuple(families), bold, italic, mono)


@lru_cache(maxsize=64)
def _resolve(families: tuple[str, ...], bold: bool, italic: bool, mono: bool) -> Face:
    table = installed()
    wanted = families[0] if families else FALLBACK_FAMILY
    # Each family is followed by its metric twin, so [Calibri] alone finds Carlito on Linux.
    candidates = [name for family in families for name in (family, METRIC_TWINS.get(family.lower(), ""))]
    for family in (*filter(None, candidates), FALLBACK_MONO if mono else FALLBACK_FAMILY):
        faces = table.get(family.lower())
        if faces:
            face = _pick(faces, bold, italic)
            twin = METRIC_TWINS.get(wanted.lower())
            written = wanted if twin == family.lower() or family.lower() == wanted.lower() else faces[0].family
            return Face(written, Metrics(face))
    return Face(wanted, Metrics.approximate())


#: The styles ``warm`` reads each family list's face in: what nearly all text is set in.
WARM_STYLES = ((False, False), (True, False), (False, True))


def warm(family_lists: Iterable[tuple[str, ...]]) -> None:
    """Pay, in this process, what measuring text first costs: the installed fonts' list
    (``installed``: every font file's names read) and each family list's regular, bold
    and italic faces (``resolve``: their advance widths), with the fontTools modules
    reading them imports.

    For a build that renders in worker processes (``triptych.pool``): done once before
    they are forked, every worker inherits it instead of paying it on its first job
    (about 0.07 s of CPU each with the built-in theme). A face no text uses is read for
    nothing (a few milliseconds), so callers pass the families most text is set in (a
    theme's heading and body); other styles and fonts are read on first use, as before.
    Leaves no garbage behind (fontTools' font objects hold cycles): it is made with the
    cyclic collector off, then collected young, without a full collection's walk."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        for families in family_lists:
            for bold, italic in WARM_STYLES:
                resolve(families, bold, italic)
    finally:
        gc.collect(1)
        if enabled:
            gc.enable()
