"""Joining scripts (Arabic, Syriac, N'Ko, Mongolian...) are drawn joined, never as loose letters.

An Arabic letter takes one of up to four shapes by its neighbours (isolated, initial,
medial, final); a font draws them through OpenType substitutions (GSUB features ``init``,
``medi``, ``fina``; or Apple's ``morx``), which Pango applies with HarfBuzz. A font that
has the letters in its character map but no such substitutions draws every letter in its
isolated shape: each word falls apart into a row of separate letters, hard to read for
anyone who reads Arabic. ``glyphs.missing`` cannot see that: the characters are there.

So before a PDF is drawn, ``unjoined(talk, families)`` finds, for each joining letter of
the handout's text, the font that will draw it (the first family of the CSS list that has
it: the theme's fonts, then the script fonts named for the PDFs; else the font
fontconfig falls back on, ``fc-match``), and checks that font has the joining forms. A
field drawn with a font without them is a problem naming the field, the font and what to
install. DejaVu Sans (installed with WeasyPrint on Debian) and the Noto fonts join Arabic.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from fontTools.ttLib import TTCollection, TTFont

from . import fonts, glyphs, markup
from .errors import Problem
from .model import Talk

#: Scripts whose letters join, by code point range (only letters are checked: digits and
#: punctuation of these blocks never join).
JOINING = (
    (0x0600, 0x06FF, "Arabic"), (0x0750, 0x077F, "Arabic"), (0x0870, 0x08FF, "Arabic"),
    (0x0700, 0x074F, "Syriac"), (0x07C0, 0x07FF, "N'Ko"), (0x0840, 0x085F, "Mandaic"),
    (0x1800, 0x18AF, "Mongolian"), (0x10D00, 0x10D3F, "Hanifi Rohingya"), (0x1E900, 0x1E95F, "Adlam"),
)
#: The OpenType features that give a joining letter its joined shapes.
JOINING_FEATURES = frozenset({"init", "medi", "fina"})


def _script(char: str) -> str:
    code = ord(char)
    for start, end, script in JOINING:
        if start <= code <= end:
            return script if char.isalpha() else ""
    return ""


@lru_cache(maxsize=64)
def _font(path: str, number: int) -> TTFont:
    if path.lower().endswith((".ttc", ".otc")):
        return TTCollection(path, lazy=True).fonts[number]
    return TTFont(path, fontNumber=number, lazy=True)


@lru_cache(maxsize=64)
def _cmap(path: str, number: int) -> frozenset[int]:
    try:
        return frozenset(_font(path, number).getBestCmap() or {})
    except Exception:  # an unreadable font draws nothing: fontconfig falls back past it
        return frozenset()


@lru_cache(maxsize=64)
def joins(path: str, number: int = 0) -> bool:
    """True when the font at ``path`` (face ``number`` of a collection) has joined letter
    shapes: the GSUB features ``init``, ``medi`` or ``fina``, or an AAT ``morx`` table."""
    try:
        font = _font(path, number)
        if "morx" in font:
            return True
        if "GSUB" not in font or font["GSUB"].table.FeatureList is None:
            return False
        tags = {record.FeatureTag for record in font["GSUB"].table.FeatureList.FeatureRecord}
    except Exception:  # unreadable: it is not the font that will draw the text
        return True
    return bool(tags & JOINING_FEATURES)


@lru_cache(maxsize=256)
def _fallback(char: str) -> tuple[str, int] | None:
    """The font file fontconfig falls back on for ``char`` (``fc-match``), or None."""
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    try:
        out = subprocess.run([fc_match, "--format", "%{file}\n%{index}", f"sans-serif:charset={ord(char):x}"],
                             capture_output=True, text=True, check=True, timeout=30).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    if len(out) < 2 or not out[0]:
        return None
    return out[0], int(out[1] or 0)


def font_for(char: str, families: Iterable[str]) -> tuple[str, str, int] | None:
    """``(family, file, face number)`` of the font that draws ``char``: the first of
    ``families`` installed with a glyph for it, else fontconfig's fallback; None when
    neither is known."""
    table = fonts.installed()
    for family in families:
        for face in table.get(family.lower(), []):
            if not face.bold and not face.italic and ord(char) in _cmap(str(face.path), face.number):
                return face.family, str(face.path), face.number
    found = _fallback(char)
    if found and ord(char) in _cmap(*found):
        return Path(found[0]).stem, found[0], found[1]
    return None


def unjoined(talk: Talk, families: Iterable[str]) -> list[Problem]:
    """One problem per field of the handout's text whose joining letters (Arabic...) the
    font that draws them cannot join, for a PDF whose CSS names ``families`` in order.
    Empty when every such letter is drawn by a font with joined shapes, or there is none."""
    families = tuple(families)
    verdicts: dict[str, tuple[str, str] | None] = {}  # letter -> (font, script) when unjoined
    problems = []
    for field_path, text, kind in glyphs.handout_fields(talk):
        letters = {c for c in text if _script(c)} if text else set()
        if not letters:
            continue
        seen = text if kind == glyphs.PLAIN else markup.to_plain(text, inline=kind == glyphs.INLINE)
        bad: dict[str, list[str]] = {}
        for char in dict.fromkeys(c for c in seen if _script(c)):
            if char not in verdicts:
                found = font_for(char, families)
                verdicts[char] = (found[0], _script(char)) if found and not joins(found[1], found[2]) else None
            if verdicts[char]:
                bad.setdefault(verdicts[char][0], []).append(char)
        for font, chars in bad.items():
            script = verdicts[chars[0]][1]
            problems.append(Problem(
                talk.path, talk.line(field_path), field_path,
                f"{font} would draw the {script} letters {''.join(chars[:10])} apart, in their isolated "
                f"shapes (it has no joining forms); name a font with {script} shaping in the theme's fonts, "
                f"or remove {font} (on Debian, apt-get install fonts-noto-core gives Noto Sans Arabic)"))
    return problems


def check(talk: Talk, theme) -> list[Problem]:
    """``unjoined`` for a PDF drawn with ``theme``: its body and heading fonts, then the
    script fonts the PDFs name. Text within Latin-1 (``glyphs.needs_lookup``) costs nothing."""
    if not glyphs.needs_lookup(talk):
        return []
    return unjoined(talk, (*theme.fonts["body"], *theme.fonts["heading"], *glyphs.installed_script_families()))
