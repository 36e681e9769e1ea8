"""Text as the parity check compares it: ``normalise`` both sides, ``find`` a piece as
whole words, and look past the running headers and footers a page break leaves inside a
paragraph (``without_furniture``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from . import highlight

#: Characters that carry no words: soft hyphen, zero-width space/joiners, word joiner,
#: byte-order mark (writers and PDF engines insert them to allow or forbid line breaks),
#: and the text and emoji presentation selectors, which readers keep or drop at will.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f"), None)

#: Typographic variants folded to their ASCII form, so "smart quotes" a template adds or
#: a font substitutes never count as different words. NFKC already folds the ellipsis
#: "…" to "..." and non-breaking spaces to spaces.
_FOLD = str.maketrans({
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
})

#: List bullets a writer draws as text (python-pptx bullets are formatting, but the PDF's
#: list markers come out of PDFium as characters). Removed on both sides.
_BULLETS = re.compile(r"[\u2022\u25e6\u25aa\u25ab\u2023\u2043\u25cf\u25cb\u25a0\u25a1\u2219\u27a2\u2794\u25b8\u25b9]")

_SPACE = re.compile(r"\s+")
#: "--" is how people type a dash that a typographer (or SmartyPants) turns into "–".
_DASHES = re.compile(r"-{2,}")
#: A line broken after a hyphen ("self-" / "supervision") reads "self- supervision".
_HYPHEN_BREAK = re.compile(r"(?<=\S)- (?=\S)")


def normalise(text: str) -> str:
    """Text as the parity check compares it. Applied to content and output alike:

    - Unicode NFKC (ligatures such as "ﬁ" from PDFs, full-width and compatibility forms,
      "…" to "...", no-break spaces to spaces);
    - soft hyphens and zero-width characters removed;
    - typographic quotes, apostrophes, primes and dashes folded to ``'`` ``"`` ``-``, and
      a run of hyphens ("--") to one;
    - bullet characters removed, and the mark a slide puts where it wraps a line of code
      (``highlight.CONTINUES``), so the line reads whole;
    - case folded, through upper case (a template may set a heading in capitals; the
      words are the same);
    - every run of whitespace (line breaks, tabs, page breaks) one space, none at the ends,
      and none after a hyphen that ends a word, so a line broken at a hyphen still matches.

    Returns "" for text with no words (only whitespace, bullets or invisible characters).
    """
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_FOLD)
    # Upper-case first: a template setting text in capitals turns "ı" into "I" and "ß"
    # into "SS", which casefold alone would not match with the original.
    text = _DASHES.sub("-", _BULLETS.sub(" ", text.replace(highlight.CONTINUES, " "))).upper().casefold()
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE.sub(" ", text).strip()
    return _HYPHEN_BREAK.sub("-", text)


def _is_wordish(ch: str) -> bool:
    # Scripts written without spaces (CJK, Thai...) have no word boundaries to check.
    return ch.isalnum() and ord(ch) < 0x0E00


def find(piece: str, haystack: str) -> bool:
    """True when normalised ``piece`` occurs in normalised ``haystack`` as whole words.

    Whole words: a piece that starts or ends with a letter or digit must not continue a
    longer word in the output ("LLM" is not found in "LLMs"). When that fails, a piece of
    at least ``SPACELESS_MIN`` characters is also looked for with all spaces removed on
    both sides, because a slide or a PDF may break a long word or URL across lines
    without a hyphen; the letters and their order must still match exactly.
    An empty piece is always found.
    """
    if not piece:
        return True
    start = 0
    while True:
        at = haystack.find(piece, start)
        if at < 0:
            break
        end = at + len(piece)
        before_ok = at == 0 or not (_is_wordish(piece[0]) and _is_wordish(haystack[at - 1]))
        after_ok = end == len(haystack) or not (_is_wordish(piece[-1]) and _is_wordish(haystack[end]))
        if before_ok and after_ok:
            return True
        start = at + 1
    if len(piece) >= SPACELESS_MIN:
        return piece.replace(" ", "") in _spaceless(haystack)
    return False


@functools.lru_cache(maxsize=4)
def _spaceless(haystack: str) -> str:
    # Cached: every missing piece of one output is looked for in the same haystack.
    return haystack.replace(" ", "")


#: Shorter pieces are matched with their spaces only (see ``find``).
SPACELESS_MIN = 24

#: A line at the edge of this many pages (numbers aside) is page furniture: a running
#: header or footer, a page number.
FURNITURE_MIN_PAGES = 3
#: How many lines at the top and at the bottom of a page are looked at for furniture.
FURNITURE_EDGE_LINES = 8
_DIGITS = re.compile(r"\d+")
_PAGE_BREAK = re.compile(r"\f|\n[ \t]*\n")


def _furniture_key(line: str) -> str:
    return _DIGITS.sub("#", normalise(line))


def without_furniture(text: str) -> str:
    """``text`` with the running headers and footers at each page's edges removed, so a
    paragraph that a page break split ("... end of page" / "Title" / "Page 2 of 9" /
    "next page ...") reads whole again.

    Pages are separated by form feeds, or else by blank lines (how the handout's reader
    joins PDFium's pages). A line is furniture when, numbers masked and normalised, it is
    among the first or last ``FURNITURE_EDGE_LINES`` lines of at least
    ``FURNITURE_MIN_PAGES`` pages; each page then loses the run of furniture lines (and
    lines with no words, such as a bullet drawn alone) at its top and at its bottom.
    Lines inside a page are never removed, and with fewer pages the text is returned
    unchanged. The check looks for each piece in the text as read *and* in this text, so
    a title that is also the running header is still found where it stands.
    """
    pages = [page.split("\n") for page in _PAGE_BREAK.split(text)]
    if len(pages) < FURNITURE_MIN_PAGES:
        return text
    seen: dict[str, int] = {}
    for lines in pages:
        edges = lines[:FURNITURE_EDGE_LINES] + lines[-FURNITURE_EDGE_LINES:]
        for key in {_furniture_key(line) for line in edges} - {""}:
            seen[key] = seen.get(key, 0) + 1
    furniture = {key for key, pages_with_it in seen.items() if pages_with_it >= FURNITURE_MIN_PAGES} | {""}
    kept = []
    for lines in pages:
        start, end = 0, len(lines)
        while start < end and _furniture_key(lines[start]) in furniture:
            start += 1
        while end > start and _furniture_key(lines[end - 1]) in furniture:
            end -= 1
        kept.append("\n".join(lines[start:end]))
    return "\n".join(kept)
