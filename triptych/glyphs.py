"""Which characters the installed fonts can draw, and which content text they cannot.

WeasyPrint (through Pango and fontconfig) picks, for every character, the first font
in the CSS ``font-family`` list that has it, then falls back to any installed font that
does. When no installed font has a character it draws an empty box and only logs
".notdef glyph rendered". A handout with boxes instead of words must not be handed
out, so the handout writer asks ``missing(talk)`` first and fails the build with a
``ContentError`` naming the content file, line, field and characters.

Coverage comes from fontconfig, the same library WeasyPrint renders with: one
``fc-list`` call lists every installed font's character set. Where the ``fc-list``
program is missing (it is in Debian's ``fontconfig`` package, which a slim image may
lack) the font files in the usual folders are read with fontTools instead.

Which Debian packages cover which scripts (install one and rebuild; ``SCRIPT_FONTS``
lists the families the handout then asks for by name, after the theme's fonts):

=========================  ==================================================================
package                    scripts
=========================  ==================================================================
fonts-dejavu-core          Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic (basic),
                           Lao, many symbols (always installed with WeasyPrint's dependencies)
fonts-crosextra-carlito    Latin, Greek, Cyrillic (metric-compatible with Calibri)
fonts-noto-cjk             Chinese (simplified and traditional), Japanese, Korean
fonts-noto-core            Arabic, Hebrew, Devanagari, Bengali, Tamil, Thai, Ethiopic,
                           Armenian, Georgian and most other living scripts
fonts-noto-color-emoji     emoji (never named in CSS: fontconfig falls back to it for emoji)
fonts-noto-extra           rarer and historic scripts
=========================  ==================================================================

Characters never checked: whitespace, control and format characters (zero-width
joiners, soft hyphens, bidi marks) and variation selectors, because none of them is
drawn as a glyph of its own. Private Use Area characters are checked like any other:
they render only with a font that defines them, which is almost never installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from . import emojis, markup
from .errors import Problem
from .model import Point, Talk

#: Font families worth naming in CSS when installed, per Debian package, so a script
#: is drawn by a font designed for it rather than whatever fontconfig falls back to.
#: Order matters: a CJK ideograph is drawn by the first of these that has it.
SCRIPT_FONTS: dict[str, tuple[str, ...]] = {
    "fonts-noto-core": ("Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari",
                        "Noto Sans Bengali", "Noto Sans Tamil", "Noto Sans Thai", "Noto Sans Ethiopic"),
    "fonts-noto-cjk": ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK TC"),
}
# No emoji font is ever named: an emoji font also has digits, "#" and "*", and once named
# in a font-family list (even last) Pango draws those in it, wide and spaced. Unnamed, it
# is fontconfig's last resort, used for the characters no named font has: the emoji.

#: Unicode ranges -> the Debian package that covers them, for the hint in an error.
_PACKAGE_HINTS: tuple[tuple[int, int, str], ...] = (
    (0x0590, 0x08FF, "fonts-noto-core"),     # Hebrew, Arabic, Syriac, Thaana, NKo...
    (0x0900, 0x0DFF, "fonts-noto-core"),     # Indic scripts
    (0x0E00, 0x0EFF, "fonts-noto-core"),     # Thai, Lao
    (0x1100, 0x11FF, "fonts-noto-cjk"),      # Hangul Jamo
    (0x1200, 0x139F, "fonts-noto-core"),     # Ethiopic
    (0x2E80, 0x9FFF, "fonts-noto-cjk"),      # CJK radicals, kana, ideographs
    (0xAC00, 0xD7AF, "fonts-noto-cjk"),      # Hangul syllables
    (0xF900, 0xFAFF, "fonts-noto-cjk"),      # CJK compatibility ideographs
    (0xFF00, 0xFFEF, "fonts-noto-cjk"),      # half- and full-width forms
    (0x1F300, 0x1FAFF, "fonts-noto-color-emoji"),
    (0x20000, 0x3FFFF, "fonts-noto-cjk"),    # CJK extensions B and later
)

_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")


@dataclass(frozen=True)
class Coverage:
    """The characters installed fonts can draw, and the installed family names."""

    ranges: tuple[tuple[int, int], ...]  # sorted, merged, inclusive
    families: frozenset[str]

    def __contains__(self, char: str) -> bool:
        code = ord(char)
        lo, hi = 0, len(self.ranges)
        while lo < hi:  # binary search over the merged ranges
            mid = (lo + hi) // 2
            start, end = self.ranges[mid]
            if code < start:
                hi = mid
            elif code > end:
                lo = mid + 1
            else:
                return True
        return False


def _merge(ranges: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


def _parse_charset(text: str) -> Iterator[tuple[int, int]]:
    """fontconfig's charset text: hex code points and ranges, e.g. ``20-7e a0 b0-ff``."""
    for item in text.split():
        start, _, end = item.partition("-")
        try:
            yield int(start, 16), int(end or start, 16)
        except ValueError:
            continue


def _from_fc_list(fc_list: str) -> Coverage:
    out = subprocess.run([fc_list, "--format", "%{family}\t%{charset}\n"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    ranges: list[tuple[int, int]] = []
    families: set[str] = set()
    for line in out.splitlines():
        names, _, charset = line.partition("\t")
        families.update(n.strip() for n in names.split(",") if n.strip())
        ranges.extend(_parse_charset(charset))
    return Coverage(_merge(ranges), frozenset(families))


def _from_font_files() -> Coverage:
    from fontTools.ttLib import TTCollection, TTFont  # only on machines without fc-list

    ranges: list[tuple[int, int]] = []
    families: set[str] = set()
    for folder in _FONT_DIRS:
        for path in sorted(Path(os.path.expanduser(folder)).rglob("*")):
            suffix = path.suffix.lower()
            if suffix not in (".ttf", ".otf", ".ttc", ".otc"):
                continue
            try:
                fonts = TTCollection(str(path), lazy=True).fonts if suffix in (".ttc", ".otc") \
                    else [TTFont(str(path), lazy=True)]
                for font in fonts:
                    ranges.extend((code, code) for code in font.getBestCmap() or {})
                    family = font["name"].getBestFamilyName()
                    if family:
                        families.add(family)
            except Exception:  # a broken font file must not stop the build; it draws nothing
                continue
    return Coverage(_merge(ranges), frozenset(families))


@lru_cache(maxsize=1)
def coverage() -> Coverage:
    """What the installed fonts cover (computed once per process: fonts rarely change
    during a build, and ``fc-list`` over hundreds of fonts is not free)."""
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            return _from_fc_list(fc_list)
        except (OSError, subprocess.SubprocessError):
            pass
    return _from_font_files()


def installed_script_families(cov: Coverage | None = None) -> tuple[str, ...]:
    """The ``SCRIPT_FONTS`` families that are installed, in ``SCRIPT_FONTS`` order."""
    cov = cov or coverage()
    return tuple(f for families in SCRIPT_FONTS.values() for f in families if f in cov.families)


def _drawn(char: str) -> bool:
    """False for characters that never need a glyph of their own."""
    if char.isspace():
        return False
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Zs", "Zl", "Zp"):
        return False
    code = ord(char)
    return not (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)  # variation selectors


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    if not name and unicodedata.category(char) == "Co":
        name = "PRIVATE USE"
    shown = char if unicodedata.category(char) not in ("Co", "Cn", "Mn") else ""
    return f"U+{ord(char):04X}" + (f" {name}" if name else "") + (f" '{shown}'" if shown else "")


def _hint(chars: Iterable[str]) -> str:
    packages = sorted({pkg for c in chars for lo, hi, pkg in _PACKAGE_HINTS if lo <= ord(c) <= hi})
    if packages:
        return f"; install a font that has them (on Debian: apt-get install {' '.join(packages)})"
    return "; no installed font has them: remove them or install a font that covers them"


PLAIN, INLINE, BLOCK = "plain", "inline", "block"


def _point_fields(points: Iterable[Point]) -> Iterator[tuple[str, str, str]]:
    for point in points:
        yield point.field, point.text, INLINE
        yield from _point_fields(point.points)


def handout_fields(talk: Talk) -> Iterator[tuple[str, str, str]]:
    """Every text the handout prints, as ``(field path, text, kind)``; ``kind`` is
    ``PLAIN`` (printed as written), ``INLINE`` or ``BLOCK`` Markdown."""
    yield "title", talk.title, PLAIN
    yield "subtitle", talk.subtitle, PLAIN
    yield "author.name", talk.author.name, PLAIN
    yield "author.role", talk.author.role, PLAIN
    yield "summary", talk.summary, BLOCK
    for i, tag in enumerate(talk.tags):
        yield f"tags[{i}]", tag, PLAIN
    yield "canonical_url", talk.canonical_url, PLAIN
    if talk.source:
        yield "source.title", talk.source.title, PLAIN
        yield "source.author", talk.source.author, PLAIN
        yield "source.url", talk.source.url, PLAIN
    for section in talk.sections_in("handout"):
        f = section.field
        yield f"{f}.title", section.title, INLINE
        yield f"{f}.body", section.body, BLOCK
        yield f"{f}.notes", section.notes, BLOCK
        yield from _point_fields(section.points)
        if section.table:
            t = section.table
            yield f"{t.field}.caption", t.caption, INLINE
            for c, column in enumerate(t.columns):
                yield f"{t.field}.columns[{c}]", column, INLINE
            for r, row in enumerate(t.rows):
                for c, cell in enumerate(row):
                    yield f"{t.field}.rows[{r}][{c}]", cell, INLINE
        for column in section.compare or ():
            yield f"{column.field}.title", column.title, INLINE
            yield from _point_fields(column.points)
        if section.quote:
            yield f"{section.quote.field}.text", section.quote.text, BLOCK
            yield f"{section.quote.field}.by", section.quote.by, INLINE
        if section.image:
            yield f"{section.image.field}.caption", section.image.caption, INLINE
        if section.chart:
            chart = section.chart
            yield f"{chart.field}.title", chart.title, PLAIN
            yield f"{chart.field}.unit", chart.unit, PLAIN
            yield f"{chart.field}.source", chart.source, INLINE
            for k, category in enumerate(chart.categories):
                yield f"{chart.field}.categories[{k}]", category, PLAIN
            for i, series in enumerate(chart.series):
                yield f"{chart.field}.series[{i}].name", series.name, PLAIN


#: Latin-1 and common punctuation (dashes, quotes, bullet, ellipsis, euro): every sans
#: font a system can fall back on has these (DejaVu Sans, which WeasyPrint's Debian
#: dependencies install, covers them), so text made only of them needs no look-up.
_BASIC = re.compile(r"[\u0020-\u007e\u00a0-\u00ff\u2010-\u2027\u2030-\u203a\u20ac\s]*")


def needs_lookup(talk: Talk) -> bool:
    """True when some handout text goes beyond ``_BASIC``: only then is the font
    coverage worth computing (about 80 ms of ``fc-list`` parsing) and are the script
    fonts of ``SCRIPT_FONTS`` worth naming in the CSS."""
    return any(text and not _BASIC.fullmatch(text) for _, text, _ in handout_fields(talk))


def _lacking(talk: Talk, cov: Coverage | None) -> Iterator[tuple[str, list[str], list[str]]]:
    """``(field path, characters no font has, emoji sequences no font can draw)`` for each
    field of ``talk`` with either, in field order, each character and emoji once per field."""
    if cov is None:
        if not needs_lookup(talk):
            return
        cov = coverage()
    checked: dict[str, bool] = {}  # each distinct character is looked up once per talk

    def lacks(char: str) -> bool:
        if char not in checked:
            checked[char] = _drawn(char) and char not in cov
        return checked[char]

    for field_path, text, kind in handout_fields(talk):
        # Stripping Markdown only removes characters, so a field whose raw text is all
        # drawable needs no parse: the common case costs one set lookup per character.
        if not text or not any(lacks(c) for c in set(text)):
            continue
        seen = text if kind == PLAIN else markup.to_plain(text, inline=kind == INLINE)
        emoji = [e for e in dict.fromkeys(emojis.sequences(seen)) if any(lacks(c) for c in e)]
        lacking = list(dict.fromkeys(c for c in emojis.strip(seen, emoji) if lacks(c)))
        if lacking or emoji:
            yield field_path, lacking, emoji


def undrawable_emoji(talk: Talk, cov: Coverage | None = None) -> list[str]:
    """The emoji sequences of ``talk`` that no installed font can draw (none once an emoji
    font such as Noto Color Emoji is installed), each once, in order of appearance. The
    PDFs leave these out rather than print empty boxes, and say so once."""
    return list(dict.fromkeys(e for _, _, emoji in _lacking(talk, cov) for e in emoji))


def missing(talk: Talk, cov: Coverage | None = None) -> list[Problem]:
    """One problem per field of ``talk`` that holds characters no installed font has,
    naming the characters (each once per field, in order of first appearance) and,
    where known, the Debian package that would draw them. Empty when all is drawable.

    Markdown syntax is stripped first (``to_plain``), so only characters a reader would
    see are checked; a character in a link target, which the handout does not print,
    is not a problem. Emoji are never a problem here (see ``undrawable_emoji``).
    """
    problems = []
    for field_path, lacking, _ in _lacking(talk, cov):
        if lacking:
            shown = ", ".join(_describe(c) for c in lacking[:10])
            more = f" and {len(lacking) - 10} more" if len(lacking) > 10 else ""
            problems.append(Problem(talk.path, talk.line(field_path), field_path,
                                    f"no installed font can draw {shown}{more}{_hint(lacking)}"))
    return problems


#: WeasyPrint's log message for a glyph no font had (checked after rendering as a
#: safety net for text ``missing`` cannot see, such as text a template adds).
NOTDEF_MESSAGE = re.compile(r"\.notdef glyph", re.IGNORECASE)
