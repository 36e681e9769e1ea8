"""Syntax highlighting of code (Pygments), shared by every output that colours code.

A listing is split into runs of one *kind* (``KINDS``: keyword, string, comment, number,
name of a function or class, operator, or plain text ""), so the page and handout (CSS
classes ``hl-<kind>``) and the deck (coloured text runs) colour the same characters the
same way. The text of the runs joined is the listing exactly as written: Pygments is told
not to strip, add or expand anything (tabs stay tabs, blank lines stay).

Colours come from ``palette``: a fixed set of hues darkened step by step until each keeps
a contrast of at least ``MIN_CONTRAST`` on the panel colour the code sits on, so a theme
with a tinted panel still gets readable code.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from pygments.lexers import get_all_lexers, get_lexer_by_name
from pygments.token import Comment, Keyword, Name, Number, Operator, String, Token
from pygments.util import ClassNotFound

#: Run kinds, most specific first: a token is the first kind it belongs to.
KINDS = (("c", Comment), ("s", String), ("k", Keyword), ("n", Number),
         ("f", Name.Function), ("f", Name.Class), ("f", Name.Decorator), ("o", Operator))
#: Hues (RGB hex) per kind before contrast correction; "" is the panel's text colour.
HUES = {"k": "8839EF", "s": "2E7D32", "c": "6A737D", "n": "B35900", "f": "1565C0", "o": "A0306E"}
#: WCAG's minimum contrast for body text.
MIN_CONTRAST = 4.5


class UnknownLanguage(ValueError):
    """A language Pygments has no lexer for; the message suggests the nearest names."""


@lru_cache(maxsize=1)
def _aliases() -> tuple[str, ...]:
    return tuple(sorted({alias for _name, aliases, _f, _m in get_all_lexers() for alias in aliases}))


def check_language(lang: str) -> None:
    """Raise ``UnknownLanguage`` (with a did-you-mean) unless Pygments knows ``lang``;
    an empty language is plain text and always fine."""
    _lexer(lang)


@lru_cache(maxsize=64)
def _lexer(lang: str):
    if not lang:
        lang = "text"
    try:
        # stripnl/ensurenl off and tabsize 0: the runs give back the text byte for byte.
        return get_lexer_by_name(lang, stripnl=False, stripall=False, ensurenl=False, tabsize=0)
    except ClassNotFound:
        near = difflib.get_close_matches(lang.lower(), _aliases(), n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else \
            "; use a Pygments language name such as 'python', 'javascript', 'bash' or 'text'"
        raise UnknownLanguage(f"unknown code language {lang!r}{hint}") from None


def _kind(token) -> str:
    for kind, parent in KINDS:
        if token in parent:
            return kind
    return ""


def runs(text: str, lang: str) -> list[tuple[str, str]]:
    """``text`` as ``(kind, text)`` runs, adjacent runs of one kind merged; an unknown
    language gives one plain run. ``"".join`` of the texts is ``text``."""
    try:
        lexer = _lexer(lang)
    except UnknownLanguage:
        return [("", text)] if text else []
    out: list[tuple[str, str]] = []
    for token, value in lexer.get_tokens(text):
        if not value:
            continue
        kind = _kind(token) if token is not Token.Text else ""
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + value)
        else:
            out.append((kind, value))
    # Pygments may still end with a newline it added; the text as given wins.
    joined = "".join(v for _k, v in out)
    if joined != text:
        return [("", text)] if text else []
    return out


def _luminance(hex_color: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two RGB hex colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _toward(hex_color: str, target: int, step: float) -> str:
    return "".join(f"{round(int(hex_color[i:i + 2], 16) * (1 - step) + target * step):02X}"
                   for i in (0, 2, 4))


@lru_cache(maxsize=16)
def palette(panel: str, text: str) -> dict[str, str]:
    """Colour (RGB hex) per kind for code on a ``panel`` background, plain text in
    ``text``: each hue moved toward black (light panel) or white (dark panel) until its
    contrast with the panel is at least ``MIN_CONTRAST``."""
    target = 0 if _luminance(panel) > 0.18 else 255
    colors = {"": text}
    for kind, hue in HUES.items():
        color, step = hue, 0.0
        while contrast(color, panel) < MIN_CONTRAST and step < 1:
            step = min(1.0, step + 0.1)
            color = _toward(hue, target, step)
        colors[kind] = color
    return colors
