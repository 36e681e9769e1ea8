"""The parity check: every output carries the words its content says it must.

Three steps, kept apart so each can be tested alone:

1. **Expected pieces** (``expected``): from the ``Talk``, the texts each output must
   carry, per the table below. A piece is one field (or one paragraph or
   list item of a block field) as plain text (``markup.to_plain``: Markdown syntax gone,
   the runs of a point joined), with its field path and content line. A section with
   ``only:`` is expected only in the outputs of the families it names.

   ========================  ====  =======  ====  ====  =======
   field                     deck  article  page  post  handout
   ========================  ====  =======  ====  ====  =======
   title                     yes   yes      yes   (*)   yes
   subtitle, author name     yes   yes      yes   --    yes
   section title, points,    yes   yes      yes   --    yes
   table cells (header too),
   compare titles + points,
   quote text + by
   summary, body             (c)   yes      yes   (*)   yes
   notes                     yes   --       --    --    yes
   tags                      (c)   --       --    --    --
   ========================  ====  =======  ====  ====  =======

   (c) The deck's closing slide is one slide: it must carry the opening of the summary
   (its first sentence or two are shown) and every tag as a hashtag (``closing_pieces``).

   The page is the article as HTML, so it carries what the article carries. (*) The
   LinkedIn post is a promotional excerpt trimmed to 3,000 characters, not a copy: it
   is expected to open with the summary's first words, or with the title when there is
   no summary (see ``opening_pieces``). Image alt text and captions, the source credit and
   tags are not checked: the table above is the promise.

2. **Read back** (``read_output``): the writer's own ``read_text(path)``, which reads the
   written file independently of how it was rendered (python-pptx for slides, the
   Markdown re-parsed, PDFium for the PDF). A file that is missing or cannot be read is a
   problem of its own, not a crash.

3. **Compare** (``find``): both sides go through ``normalise`` and each piece must occur
   in the whole output's normalised text. Matching the whole output, not slide by slide
   or paragraph by paragraph, is what lets a section spread over continuation slides
   "(2/2)", a table split with its header repeated, or a paragraph reflowed by a writer
   still pass; running headers and footers that a page break put inside a paragraph
   are looked past (``without_furniture``). A block field is split into its paragraphs
   and list items first, because writers may put each in a box, a bullet or a page.

Known limits, on purpose: containment cannot tell which slide or page a piece is on, so
a section title that the agenda also lists is found even if its own slide lost it, and a
very short piece ("AI") is found inside any longer text that has it as a whole word.
Order is not checked, because outputs legitimately order pieces differently (the handout
puts notes after prose, the deck puts them on notes pages).
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from . import emojis, markup
from .errors import Problem
from .files import as_path
from .model import Point, Section, Talk
from .writers import output, writer

# -- normalisation -----------------------------------------------------------------------

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
    - bullet characters removed;
    - case folded, through upper case (a template may set a heading in capitals; the
      words are the same);
    - every run of whitespace (line breaks, tabs, page breaks) one space, none at the ends,
      and none after a hyphen that ends a word, so a line broken at a hyphen still matches.

    Returns "" for text with no words (only whitespace, bullets or invisible characters).
    """
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_FOLD)
    # Upper-case first: a template setting text in capitals turns "ı" into "I" and "ß"
    # into "SS", which casefold alone would not match with the original.
    text = _DASHES.sub("-", _BULLETS.sub(" ", text)).upper().casefold()
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


# -- expected pieces ---------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """One text an output must carry.

    ``field`` is the content field path ("sections[2].points[1]"); ``text`` the plain text
    a reader sees; ``line`` the content line (0 when unknown); ``part`` the paragraph or
    list item number (1-based) inside a block field, 0 for one-line fields.
    """

    field: str
    text: str
    line: int
    part: int = 0
    parts: int = 0


#: Which content goes where: output family -> (body and summary?, notes?).
_PROSE = {"deck": False, "article": True, "handout": True, "carousel": False}
_NOTES = {"deck": True, "article": False, "handout": True, "carousel": False}
#: What slides show of a section (``slide_pieces``): neither prose nor notes.
_SLIDES = "slides"


def _inline(talk: Talk, field_path: str, text: str, markdown: bool = True) -> list[Piece]:
    plain = markup.to_plain(text) if markdown else text
    return [Piece(field_path, plain, talk.line(field_path))] if plain.strip() else []


def _block(talk: Talk, field_path: str, text: str) -> list[Piece]:
    # A code block is checked line by line, so a listing missing one line says which.
    parts = [part for b in markup.blocks(text)
             for part in (b.plain.split("\n") if b.pre else [b.plain]) if part.strip()]
    line = talk.line(field_path)
    if len(parts) == 1:
        return [Piece(field_path, parts[0], line)]
    return [Piece(field_path, p, line, i + 1, len(parts)) for i, p in enumerate(parts)]


def _points(talk: Talk, points: Iterable[Point]) -> list[Piece]:
    out: list[Piece] = []
    for point in points:
        out += _inline(talk, point.field, point.text)
        out += _points(talk, point.points)
    return out


def _section(talk: Talk, section: Section, family: str) -> list[Piece]:
    f = section.field
    out = _inline(talk, f"{f}.title", section.title)
    if _PROSE.get(family, False):
        out += _block(talk, f"{f}.body", section.body)
    out += _points(talk, section.points)
    if section.table:
        t = section.table
        out += [p for i, c in enumerate(t.columns) for p in _inline(talk, f"{t.field}.columns[{i}]", c)]
        out += [p for r, row in enumerate(t.rows) for c, cell in enumerate(row)
                for p in _inline(talk, f"{t.field}.rows[{r}][{c}]", cell)]
    if section.compare:
        for column in section.compare:
            out += _inline(talk, f"{column.field}.title", column.title)
            out += _points(talk, column.points)
    if section.quote:
        out += _block(talk, f"{section.quote.field}.text", section.quote.text)
        out += _inline(talk, f"{section.quote.field}.by", section.quote.by)
    if _NOTES.get(family, False):
        out += _block(talk, f"{f}.notes", section.notes)
    return out


def opening_pieces(talk: Talk) -> list[Piece]:
    """What an excerpt (an output whose record's ``check`` is "opening", such as the
    LinkedIn post) must carry: its opening. The post promotes the article and is trimmed
    to LinkedIn's 3,000 characters from the end, and its first line is cut to about 140,
    so only the opening is promised: the first ``OPENING_WORDS`` words of the
    summary that fit in ``OPENING_CHARS`` characters (the start of the first word
    when even that is longer), or the talk's title when there is no summary.
    """
    if not talk.summary.strip():
        return _inline(talk, "title", talk.title, markdown=False)
    first = _block(talk, "summary", talk.summary)[0]
    words: list[str] = []
    for word in first.text.split()[:OPENING_WORDS]:
        if len(" ".join(words + [word])) > OPENING_CHARS:
            break
        words.append(word)
    opening = " ".join(words) or first.text.split()[0][:OPENING_CHARS]
    return [Piece("summary", opening, first.line)]


#: How much of the summary an excerpt must open with (see ``opening_pieces``).
OPENING_WORDS = 8
OPENING_CHARS = 100


def expected(talk: Talk, name: str) -> list[Piece]:
    """The pieces output ``name`` must carry, in content order, as its record's ``check``
    says: "family", its family's column of the parity table (``family_pieces``);
    "opening", the opening of the summary or the title (``opening_pieces``); "slides",
    what slides show (``slide_pieces``). Empty fields
    give no piece; a section hidden from the output's family by ``only:`` gives none either."""
    record = output(name)
    if record.check == "opening":
        return opening_pieces(talk)
    if record.check == "slides":
        return slide_pieces(talk, record.family)
    return family_pieces(talk, record.family)


def family_pieces(talk: Talk, family: str) -> list[Piece]:
    """The pieces every full output of ``family`` (deck, article or handout) must carry:
    the parity table's column for that family."""
    out = _inline(talk, "title", talk.title, markdown=False)
    out += _inline(talk, "subtitle", talk.subtitle, markdown=False)
    out += _inline(talk, "author.name", talk.author.name, markdown=False)
    if _PROSE[family]:
        out += _block(talk, "summary", talk.summary)
    for section in talk.sections_in(family):
        out += _section(talk, section, family)
    if family == "deck":
        out += closing_pieces(talk)
    return out


def closing_pieces(talk: Talk) -> list[Piece]:
    """What the deck's closing slide must carry besides the author's name: the opening of
    the summary (as an excerpt must, ``opening_pieces``: the slide shows its first sentence
    or two, the article and handout the whole) and every tag as a hashtag."""
    out = opening_pieces(talk) if talk.summary.strip() else []
    return out + [Piece(f"tags[{i}]", f"#{tag}", talk.line(f"tags[{i}]")) for i, tag in enumerate(talk.tags)]


def slide_pieces(talk: Talk, family: str) -> list[Piece]:
    """What an output made of slides (the slides PDF, the carousel) must carry: the title,
    subtitle and author, and for each section its family shows, its title, points, table
    cells, comparison and quote; no summary, body or notes (slides do not show them)."""
    out = _inline(talk, "title", talk.title, markdown=False)
    out += _inline(talk, "subtitle", talk.subtitle, markdown=False)
    out += _inline(talk, "author.name", talk.author.name, markdown=False)
    for section in talk.sections_in(family):
        out += _section(talk, section, _SLIDES)
    return out


# -- the check ---------------------------------------------------------------------------


@dataclass
class OutputCheck:
    """The result for one output file: how many expected pieces were found, and the
    problems (one per missing piece, or one for a file that is missing or unreadable)."""

    name: str
    path: Path
    expected: int = 0
    found: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: Why the file was not checked: "missing" (not there) or "unreadable" (its reader
    #: failed); "" once it was read back and compared.
    unchecked: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self, display: str | None = None) -> str:
        """``output/x.pptx: 143/143 pieces`` (or ``output/x.pptx: not checked: ...``)."""
        where = display or str(self.path)
        if self.unchecked:
            return f"{where}: not checked: {self.problems[0].message}"
        return f"{where}: {self.found}/{self.expected} pieces"


def excerpt(text: str, limit: int = 40) -> str:
    """The first words of ``text`` for a message: whole words up to ``limit`` characters,
    then " ..." when cut; whitespace collapsed. A first word longer than ``limit`` is cut
    inside the word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit + 1)
    return (text[:cut] if cut > 0 else text[:limit]) + " ..."


def _message(piece: Piece, where: str) -> str:
    part = f"paragraph {piece.part} of {piece.parts}: " if piece.parts else ""
    return f'missing from {where}: {part}"{excerpt(piece.text)}"'


def read_output(name: str, path: str | os.PathLike[str]) -> str:
    """The text of written output ``name`` at ``path``, through its writer's ``read_text``.
    Raises ``FileNotFoundError`` when it does not exist; whatever the reader raises for
    a damaged file propagates (``check_output`` turns both into problems)."""
    path = as_path(path)
    if not path.is_file():
        raise FileNotFoundError(path)
    return writer(name).read_text(path)


#: The problem of an output that is not there, when the caller has no better advice.
MISSING = "not found; build it first"


def check_output(talk: Talk, name: str, path: str | os.PathLike[str], display: str | None = None,
                 missing: str = MISSING) -> OutputCheck:
    """Check one written output of ``talk``. ``display`` is how ``path`` is named in
    messages (default: as given). Never raises for a file's content: a missing file or
    one its reader cannot read (a hand-edited, truncated .pptx, say) is one problem, and
    ``unchecked`` says which. ``missing`` is the message for a file that is not there (the
    command line names the command that builds it)."""
    path = as_path(path)
    where = display or str(path)
    result = OutputCheck(name, path)
    try:
        text = read_output(name, path)
    except FileNotFoundError:
        result.problems.append(Problem(where, 0, "", missing))
        result.unchecked = "missing"
        return result
    except Exception as err:  # a damaged or foreign file: the user's, reported, not a crash
        result.problems.append(Problem(where, 0, "", f"cannot be read back ({type(err).__name__}: {err})"))
        result.unchecked = "unreadable"
        return result
    pieces = expected(talk, name)
    # Emoji are compared where the reader returns them; a PDF's are left out on both sides.
    fold = (lambda t: t) if output(name).reads_emoji else emojis.strip
    text = fold(text)
    haystack = normalise(text)
    unfurnished = normalise(without_furniture(text))
    result.expected = len(pieces)
    for piece in pieces:
        wanted = normalise(fold(piece.text))
        if find(wanted, haystack) or (unfurnished != haystack and find(wanted, unfurnished)):
            result.found += 1
        else:
            result.problems.append(Problem(talk.path, piece.line, piece.field, _message(piece, where)))
    return result


def check_outputs(talk: Talk, outputs: Mapping[str, str | os.PathLike[str]], display=None,
                  missing: str = MISSING) -> list[OutputCheck]:
    """Check every output in ``outputs`` (output name -> written path), in that order.
    ``display(path) -> str`` names paths in messages (default: ``str``); ``missing`` is
    the message for an output that is not there."""
    show = display or str
    return [check_output(talk, name, as_path(path), show(as_path(path)), missing) for name, path in outputs.items()]


def check(talk: Talk, outputs: Mapping[str, str | os.PathLike[str]]) -> list[Problem]:
    """Every problem found in ``outputs`` (output name -> written path) of ``talk``, one per
    missing piece, formatted ``content/x.yaml:14: sections[2].points[1]: missing from
    output/x.pdf: "first words ..."``. An empty list means every output carries its text."""
    return [p for result in check_outputs(talk, outputs) for p in result.problems]


__all__ = ["Piece", "OutputCheck", "normalise", "find", "without_furniture", "expected", "family_pieces", "opening_pieces", "excerpt",
           "read_output", "check_output", "check_outputs", "check"]
