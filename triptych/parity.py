"""The parity check: every output carries the words its content says it must.

Three steps, kept apart so each can be tested alone (the first in ``triptych.pieces``,
the comparison's text rules in ``triptych.wordmatch``, the check itself here):

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
   quote text + by,
   code lines + caption
   summary, body             (c)   yes      yes   (*)   yes
   notes                     yes   --       --    --    yes
   tags                      (c)   --       --    --    --
   chart title, categories,  yes   yes      yes   --    yes
   series names, values
   with their unit
   ========================  ====  =======  ====  ====  =======

   A code listing is checked line by line (blank lines aside); its whitespace is folded
   like any other, and the mark a slide puts where it wraps a long line reads as a space.

   (c) The deck's closing slide is one slide: it must carry the opening of the summary
   (its first sentence or two are shown) and every tag as a hashtag (``closing_pieces``).

   The page is the article as HTML, so it carries what the article carries. (*) The
   LinkedIn post is a promotional excerpt trimmed to 3,000 characters, not a copy: it
   is expected to open with the summary's first words, or with the title when there is
   no summary (see ``opening_pieces``). A chart's pieces are read from the chart's XML in
   the deck, its data list in the article and the page, its data table in the handout;
   the slides PDF and the carousel draw it as SVG, whose text a PDF reader returns one
   letter at a time, so they are not checked for it. Image alt text and captions, the source credit and
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

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from . import bidi, emojis
from .errors import Problem
from .files import as_path
from .model import Talk
from .pieces import Piece, expected, family_pieces, opening_pieces
from .wordmatch import find, normalise, without_furniture
from .writers import output, writer
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
    part = f"{piece.unit} {piece.part} of {piece.parts}: " if piece.parts else ""
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
    # Right-to-left text a PDF reader may return in another order is matched by its words.
    reordered = [] if output(name).reads_logical or not bidi.has_rtl(haystack) else \
        [bidi.tokens(h) for h in dict.fromkeys((haystack, unfurnished))]
    result.expected = len(pieces)
    for piece in pieces:
        wanted = normalise(fold(piece.text))
        if find(wanted, haystack) or (unfurnished != haystack and find(wanted, unfurnished)) \
                or any(bidi.find_reordered(wanted, tokens) for tokens in reordered):
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
