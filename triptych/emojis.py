"""Emoji in content text: where the emoji are, and the text without them.

An emoji is often several code points drawn as one picture: a flag is two regional
indicators, "1️⃣" is a digit, a presentation selector (U+FE0F) and a keycap (U+20E3), a
family is people joined by zero-width joiners, "👍🏽" carries a skin tone. Which code points
form one emoji is Unicode's emoji data, kept current by the ``emoji`` library; this
module is the one place triptych asks it, and imports it only for text that could hold an
emoji at all (see ``_POSSIBLE``), so text without emoji, in any script, costs a regular
expression search and no import.

Used by the deck's text fitting (one emoji sequence is one wide glyph), the PDFs (left
out when no installed font can draw them) and the parity check (PDF readers return colour
emoji glyphs inconsistently, so both sides are compared without them).
"""

from __future__ import annotations

import re
from typing import Iterable

#: Every emoji holds at least one of these code points (Unicode's emoji data, by block:
#: "©", "®", "‼", "⁉", the keycap mark, letterlike symbols to dingbats and arrows, four CJK
#: symbols, the presentation selector, the pictographs, the flag tags). Text without any,
#: such as CJK, Arabic or Latin with typographic quotes, needs no look-up.
_POSSIBLE = re.compile("[\u00a9\u00ae\u203c\u2049\u20e3\u2122-\u2bff\u3030\u303d\u3297\u3299\ufe0f"
                       "\U0001f000-\U0001faff\U000e0020-\U000e007f]")

#: How wide one emoji is drawn, in ems of the surrounding text: the colour emoji fonts
#: PowerPoint and LibreOffice use (Segoe UI Emoji, Apple Color Emoji, Noto Color Emoji)
#: set an emoji about 1.25 em wide; 1.3 keeps the measure on the safe side.
WIDTH_EM = 1.3


def possible(text: str) -> bool:
    """False when ``text`` certainly holds no emoji (a cheap test, no import)."""
    return bool(text) and _POSSIBLE.search(text) is not None


def spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of each emoji sequence in ``text``, in order. A whole
    sequence (flag, keycap, ZWJ family, emoji with skin tone or presentation selector) is
    one span. Symbols that are emoji only in some fonts ("©", "™", "♥") count as emoji."""
    if not possible(text):
        return []
    import emoji

    return [(m["match_start"], m["match_end"]) for m in emoji.emoji_list(text)]


def sequences(text: str) -> list[str]:
    """Each emoji sequence of ``text``, in order of appearance (repeats kept)."""
    return [text[start:end] for start, end in spans(text)]


def strip(text: str, only: Iterable[str] | None = None) -> str:
    """``text`` without its emoji sequences, or only without those in ``only``. Nothing
    else changes: the spaces around a removed emoji stay."""
    found = spans(text)
    if not found:
        return text
    keep = None if only is None else set(only)
    out, last = [], 0
    for start, end in found:
        if keep is None or text[start:end] in keep:
            out.append(text[last:start])
            last = end
    out.append(text[last:])
    return "".join(out)
