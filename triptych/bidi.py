"""Which way text runs: right to left (Arabic, Hebrew, Persian, Urdu...) or left to right.

Every output decides a paragraph's direction the same way, the way HTML's ``dir="auto"``
does: by its **first strong character** (Unicode bidirectional class ``L`` is left to
right; ``R`` and ``AL`` are right to left; digits, punctuation, spaces and symbols are
neutral and skipped). A paragraph with no strong character (a number, "2026", an emoji)
takes the document's direction, which is the talk's language's (``lang_direction``).
So "مبني على بنية المحولات (Transformer)" is right to left in any talk, "GPT-4 و BERT"
left to right in any talk, and "175" whatever the talk is.

Inside a paragraph, the order of mixed runs ("(Transformer)" inside Arabic) is left to the
renderers (PowerPoint, LibreOffice, browsers and Pango all apply the Unicode
bidirectional algorithm to text stored in logical order, as triptych stores it); what a
writer must set is each paragraph's base direction, which decides where neutral characters
such as parentheses and full stops go and which side the paragraph is aligned to.

The HTML writers mark elements whose direction differs from their parent's with an
explicit ``dir="rtl"`` or ``dir="ltr"`` (``attribute``, ``mark``) rather than
``dir="auto"``: WeasyPrint, which draws the PDFs, does not implement ``auto``, and an
explicit value gives the page and the PDFs the same result. The document's direction
while a template renders is ``document()`` (set by ``triptych.render.render`` from the
talk's ``lang``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterable, Iterator
from xml.etree import ElementTree as etree

LTR, RTL = "ltr", "rtl"

#: Languages written right to left (ISO 639 codes, the first part of a BCP 47 tag):
#: Arabic, Hebrew, Persian, Urdu, Pashto, Sindhi, Uyghur, Yiddish, Dhivehi, Central
#: Kurdish (Sorani), Syriac, N'Ko.
RTL_LANGS = frozenset({"ar", "he", "iw", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "syr", "nqo"})

_STRONG = {"L": LTR, "R": RTL, "AL": RTL}


def lang_direction(lang: str) -> str:
    """``"rtl"`` for a BCP 47 tag of a right-to-left language ("ar", "he-IL", "fa-AF";
    any case), else ``"ltr"``. A script subtag wins: "ku-Arab" is right to left,
    "ar-Latn" left to right."""
    parts = (lang or "").lower().replace("_", "-").split("-")
    scripts = [p for p in parts[1:] if len(p) == 4 and p.isalpha()]
    if scripts:
        return RTL if scripts[0] in ("arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg") else LTR
    return RTL if parts[0] in RTL_LANGS else LTR


def first_strong(text: str) -> str | None:
    """``"rtl"`` or ``"ltr"`` from the first strong character of ``text``, or None when it
    has none (only digits, punctuation, symbols, spaces)."""
    for char in text:
        found = _STRONG.get(unicodedata.bidirectional(char))
        if found:
            return found
    return None


def direction(text: str, base: str = LTR) -> str:
    """The direction of a paragraph of ``text`` in a document running ``base``: its first
    strong character's, else ``base``."""
    return first_strong(text) or base


#: The blocks that hold every right-to-left character (Hebrew to the Arabic extensions,
#: their presentation forms, and the right-to-left scripts beyond the BMP): a cheap
#: pre-test, so a long left-to-right text costs one regular-expression search.
_RTL_BLOCKS = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]")


def has_rtl(text: str) -> bool:
    """True when ``text`` holds any right-to-left character (class ``R`` or ``AL``)."""
    return any(_STRONG.get(unicodedata.bidirectional(m.group())) == RTL for m in _RTL_BLOCKS.finditer(text))


# -- the document's direction while a template renders ------------------------------------

_DOCUMENT: ContextVar[str] = ContextVar("triptych_document_direction", default=LTR)


def document() -> str:
    """The direction of the document being rendered (``"ltr"`` outside a render)."""
    return _DOCUMENT.get()


@contextmanager
def rendering(lang: str) -> Iterator[None]:
    """Render a talk in ``lang``: ``document()`` is its direction inside the block."""
    token = _DOCUMENT.set(lang_direction(lang))
    try:
        yield
    finally:
        _DOCUMENT.reset(token)


def attribute(text: str, base: str | None = None) -> str:
    """`` dir="rtl"`` or `` dir="ltr"`` for an element holding ``text`` whose direction
    differs from ``base`` (default: the document's), else "" (it inherits)."""
    base = base or document()
    found = direction(text, base)
    return "" if found == base else f' dir="{found}"'


#: Elements that are paragraphs of their own for the bidirectional algorithm.
_BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "dd", "dt",
                     "figcaption", "caption"})


def mark(element: etree.Element, base: str | None = None) -> None:
    """Give each block element under ``element`` (paragraphs, list items, headings, quotes,
    cells) a ``dir`` where its text runs against its parent's direction, so a Hebrew
    paragraph in an English body (or an English one in an Arabic body) is set and aligned
    its own way. Code (``pre``) always runs left to right. Elements already marked keep
    their ``dir``."""
    _mark(element, base or document())


def _text(element: etree.Element | None) -> str:
    return "" if element is None else "".join(element.itertext())


def _mark(element: etree.Element, inherited: str) -> None:
    for child in element:
        own = child.get("dir")
        if own not in (LTR, RTL):
            if child.tag == "pre":
                own = LTR
            elif child.tag in ("ul", "ol"):  # a list runs (and hangs its bullets) as its first item
                own = direction(_text(child.find("li")), inherited)
            elif child.tag in _BLOCKS:
                own = direction(_text(child), inherited)
            else:
                own = inherited
            if own != inherited:
                child.set("dir", own)
        if child.tag != "pre":
            _mark(child, own)


# -- matching text a PDF reader returned in another order ---------------------------------
#
# A PDF stores glyphs where they are drawn, not in reading order, and PDFium (like most
# readers) puts a line back together with its own, simpler bidirectional pass
# (``CPDF_TextPage::CloseTempLine``: direction runs of one line, the line's direction
# by a majority of runs). For right-to-left text that gives back the words, but not
# always their logical order: on a line mixing Arabic and Latin the Latin runs, the
# digits and the Arabic runs may come back in visual order ("GPT-4 و BERT" reads
# "BERT و GPT-4", "GPT-4" itself "-4GPT"), mirrored brackets keep the drawn glyph
# ("(Transformer)" reads ")Transformer)"), and a ligature of several letters (Arabic
# lam-alef, "لا") comes back with its letters reversed ("ال"). None of that changes
# the words a reader sees. So for these readers the parity check compares such text
# by its *tokens*: maximal runs of one kind of character (left-to-right letters,
# right-to-left letters, digits), brackets and other neutral characters dropped,
# lam-alef written one way, combining marks left out (PDFium gives a shadda drawn over
# "تسرّع" as a character of its own before the word: "ّ تسرع"); a piece is found when some stretch of the output has
# exactly its tokens, in any order (``find_reordered``). It still fails for a missing,
# added or misspelt word; it cannot fail for words of one line in another order.
# A combining mark drawn raised (a damma, a fatha over a shadda) is drawn with a text rise,
# and PDFium may break the word there: "تُحضَّر" came back "تُ َّ حضر", and "تُقدَّم مع
# التمر" as the line "ُقدَّم مع التمر" followed by a line "ت". So a piece with combining
# marks that is not found by its tokens is found when some run of whole tokens of the
# output holds exactly its letters (``_find_letters``): a missing, added or misspelt
# word still fails it; letters swapped within the run do not.

_LAM = "\u0644"
_ALEFS = "\u0622\u0623\u0625\u0627"  # alef with madda, hamza above, hamza below; alef


def _kind(char: str) -> str:
    cls = unicodedata.bidirectional(char)
    if cls in ("L", "R", "AL"):
        return _STRONG[cls]
    if cls in ("EN", "AN"):
        return "digit"
    if cls == "NSM":
        return "mark"  # a combining mark (a shadda, a vowel sign): not part of any token
    return ""


def tokens(text: str) -> list[str]:
    """The tokens of ``text`` (see above): runs of left-to-right letters, of right-to-left
    letters, of digits, in the order they come; every other character separates them, and
    combining marks are left out. A lam-alef pair is written alef first, as a PDF reader
    returns the ligature."""
    out: list[str] = []
    current, kind = [], ""
    for i, char in enumerate(text):
        found = _kind(char)
        if found == "mark":  # left out: a reader may give a mark apart from its letter
            continue
        if found != kind or not found:
            if current:
                out.append("".join(current))
            current, kind = [], found
        if found and found != "mark":
            current.append(char)
    if current:
        out.append("".join(current))
    return [_fold_lam_alef(t) for t in out]


def _fold_lam_alef(token: str) -> str:
    if _LAM not in token:
        return token
    chars = list(token)
    i = 0
    while i < len(chars) - 1:
        if chars[i] == _LAM and chars[i + 1] in _ALEFS:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
            i += 2
        else:
            i += 1
    return "".join(chars)


class _Window:
    """A run of the output as it slides along, against what a piece needs: ``need`` counts
    each item (a token, or a letter) of the piece; ``move`` puts items into the run
    (``step`` 1) or takes them out (-1); ``full`` when the run holds each needed item
    exactly as often as the piece has it."""

    def __init__(self, items: Iterable[str]):
        self.need = Counter(items)
        self.have: Counter[str] = Counter()
        self.matched = 0  # how many distinct needed items have exactly their count

    def move(self, items: Iterable[str], step: int) -> None:
        for item in items:
            if item in self.need:
                before = self.have[item] == self.need[item]
                self.have[item] += step
                self.matched += (self.have[item] == self.need[item]) - before

    @property
    def full(self) -> bool:
        return self.matched == len(self.need)


def find_reordered(piece: str, haystack: list[str]) -> bool:
    """True when some run of ``len(tokens(piece))`` consecutive tokens of ``haystack`` (the
    output's ``tokens``) holds exactly the piece's tokens, in any order. A piece with no
    token is always found."""
    wanted = tokens(piece)
    size = len(wanted)
    if not size:
        return True
    if len(haystack) < size:
        return False
    window = _Window(wanted)  # ``size`` tokens sliding along the output
    for i, token in enumerate(haystack):
        window.move((token,), 1)
        if i >= size:
            window.move((haystack[i - size],), -1)
        if i >= size - 1 and window.full:
            return True
    return any(_kind(char) == "mark" for char in piece) and _find_letters(wanted, haystack)


def _find_letters(wanted: list[str], haystack: list[str]) -> bool:
    """True when some run of consecutive whole tokens of ``haystack`` has exactly the
    letters of the tokens ``wanted``, counted, in any order."""
    letters = "".join(wanted)
    window = _Window(letters)
    total = start = 0
    for token in haystack:
        window.move(token, 1)
        total += len(token)
        while total > len(letters):
            window.move(haystack[start], -1)
            total -= len(haystack[start])
            start += 1
        if total == len(letters) and window.full:
            return True
    return False
