"""Syntax highlighting of code (Pygments), shared by every output that colours code.

A listing is split into runs of one *kind* (``_kinds``: keyword, string, comment, number,
name of a function or class, operator, or plain text ""), so the page and handout (CSS
classes ``hl-<kind>``) and the deck (coloured text runs) colour the same characters the
same way. The text of the runs joined is the listing exactly as written: Pygments is told
not to strip, add or expand anything (tabs stay tabs, blank lines stay).

Colours come from ``palette``: a fixed set of hues darkened step by step until each keeps
a contrast of at least ``MIN_CONTRAST`` on the panel colour the code sits on, so a theme
with a tinted panel still gets readable code.

Pygments is imported on first use, not with this module: its lexers bring in the
machinery that reads installed distributions' metadata (plugins), a share of loading a
talk that has no code, or of a rebuild that has nothing to do.
"""

from __future__ import annotations

import difflib
from functools import lru_cache


#: Hues (RGB hex) per kind before contrast correction; "" is the panel's text colour.
HUES = {"k": "8839EF", "s": "2E7D32", "c": "6A737D", "n": "B35900", "f": "1565C0", "o": "A0306E"}
#: Marks a row that continues a listing's line wrapped on a slide (``slides.code``); the
#: parity check reads it as a space. Not an emoji (U+21AA "↪" is one, and an emoji font
#: would draw it); DejaVu Sans Mono has it.
CONTINUES = "\u21b3"
#: WCAG's minimum contrast for body text.
MIN_CONTRAST = 4.5


class UnknownLanguage(ValueError):
    """A language Pygments has no lexer for; the message suggests the nearest names."""


@lru_cache(maxsize=1)
def _kinds() -> tuple:
    """Run kinds and the Pygments token types they stand for, most specific first: a
    token is the first kind it belongs to."""
    from pygments.token import Comment, Keyword, Name, Number, Operator, String

    return (("c", Comment), ("s", String), ("k", Keyword), ("n", Number),
            ("f", Name.Function), ("f", Name.Class), ("f", Name.Decorator), ("o", Operator))


@lru_cache(maxsize=1)
def _aliases() -> tuple[str, ...]:
    from pygments.lexers import get_all_lexers

    return tuple(sorted({alias for _name, aliases, _f, _m in get_all_lexers() for alias in aliases}))


def check_language(lang: str) -> None:
    """Raise ``UnknownLanguage`` (with a did-you-mean) unless Pygments knows ``lang``;
    an empty language is plain text and always fine."""
    _lexer(lang)


@lru_cache(maxsize=64)
def _lexer(lang: str):
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

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
    for kind, parent in _kinds():
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
    from pygments.token import Token

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


def line_runs(text: str, lang: str) -> list[list[tuple[str, str]]]:
    """``text`` as one list of ``(kind, text)`` runs per line (``runs`` cut at each line
    break, the breaks themselves left out): a token spanning lines, such as a docstring,
    is cut too. An empty line is an empty list; there is one list per line of ``text``."""
    out: list[list[tuple[str, str]]] = [[]]
    for kind, value in runs(text, lang):
        for number, piece in enumerate(value.split("\n")):
            if number:
                out.append([])
            if piece:
                out[-1].append((kind, piece))
    return out


#: The least contrast a dimmed (not emphasised) line keeps on its panel: WCAG's minimum
#: for large text, so de-emphasised code stays legible.
DIM_CONTRAST = 3.0


@lru_cache(maxsize=16)
def dimmed(panel: str, text: str) -> dict[str, str]:
    """``palette(panel, text)`` faded toward the panel, for the lines a listing does not
    emphasise: each colour moved toward ``panel`` as far as it can go while keeping a
    contrast of at least ``DIM_CONTRAST`` (a colour already below it stays as it is)."""
    out = {}
    for kind, color in palette(panel, text).items():
        faded = color
        for step in range(1, 20):
            candidate = _mix(color, panel, step / 20)
            if contrast(candidate, panel) < DIM_CONTRAST:
                break
            faded = candidate
        out[kind] = faded
    return out


def _mix(a: str, b: str, share: float) -> str:
    """RGB hex ``a`` moved ``share`` (0 to 1) of the way to ``b``."""
    return "".join(f"{round(int(a[i:i + 2], 16) * (1 - share) + int(b[i:i + 2], 16) * share):02X}"
                   for i in (0, 2, 4))


def html(text: str, lang: str, emphasised: tuple[int, ...] = ()) -> str:
    """The inside of a ``<code>`` element for ``text``: each run of a kind in a
    ``<span class="hl-KIND">``, every character escaped, line breaks and tabs kept; the
    lines numbered in ``emphasised`` (1-based) each wrapped in ``<span class="hl-em">``
    and, when there are any, every other line in ``<span class="hl-dim">`` (drawn fainter,
    as on the slides). Safe HTML (content cannot add markup)."""
    from markupsafe import escape

    marked = set(emphasised)
    out = []
    for number, line in enumerate(line_runs(text, lang), 1):
        inner = "".join(f'<span class="hl-{kind}">{escape(value)}</span>' if kind else str(escape(value))
                        for kind, value in line)
        kind = "hl-em" if number in marked else "hl-dim" if marked else ""
        out.append(f'<span class="{kind}">{inner}</span>' if kind and inner else inner)
    return "\n".join(out)
