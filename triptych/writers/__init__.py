"""The output registry: one record per output, one module per writer.

Everything the rest of triptych needs to know about an output is in its ``Output``
record below: its name, file ending, ``only:`` family, what the parity check expects of
it, the heavy libraries its writer imports, the libraries whose version shapes its bytes,
the inputs and options it depends on (its build-cache key holds exactly those) and the
command-line switches it owns. The pipeline, the jobs, the parity check, the cache and
the command line read the records; none of them names an output.

The writer module named by ``Output.module`` defines:

- ``render(talk, ctx) -> bytes``: the whole output, deterministic for the same inputs;
- ``read_text(path) -> str``: the text a reader would find in a written file, read back
  independently of ``render`` (the parity check compares it with the content).

Records are plain data, so reading them imports no writer: a build that skips the deck
(a no-op rebuild) never pays for python-pptx, and one of the article alone never pays
for WeasyPrint. A new output is its writer module, its template, one record here (or a
call to ``register``) and its tests.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from ..context import Context as Context  # what every writer is given: part of this package's interface
from ..model import FAMILIES

#: What the parity check may expect of an output (``triptych.pieces.expected``):
#: "family", every piece of its family's column of the parity table; "opening", only the
#: opening words of the summary (or the title), for a promotional excerpt; "slides", what
#: slides show: the talk's title, subtitle and author and each shown section's title,
#: points, table, comparison and quote, but no prose and no notes.
CHECKS = ("family", "opening", "slides")
#: The build inputs an output may depend on besides the content and the templates, which
#: every output depends on: the theme file, the user's master, the paper size, whether
#: pages are also written as images (``--png``) and whether what would be a warning is an
#: error (``--strict``). Options an output owns (``Output.switches``) are inputs of that
#: output too.
INPUTS = ("theme", "master", "page_size", "png", "strict")


@dataclass(frozen=True)
class Switch:
    """A command-line switch an output owns, passed to its writer as ``ctx.options[name]``.

    Without ``choices`` it is an on/off flag, False unless given:
    ``Switch("front_matter", "--front-matter", "start the article with ...")``. With
    ``choices`` it takes one of them (``--carousel-size square``), None unless given (the
    writer then uses its default, from the theme for instance)."""

    name: str
    flag: str
    help: str
    choices: tuple[str, ...] = ()

    @property
    def default(self) -> bool | None:
        """Its value when not given: False for a flag, None for a switch with choices."""
        return None if self.choices else False


@dataclass(frozen=True)
class Output:
    """One output, as the rest of triptych sees it.

    - ``name``: what ``--only`` and ``Options.outputs`` call it;
    - ``module``: the writer module (imported on first render or check);
    - ``suffix``: the file name ending, ``<out>/<slug><suffix>``;
    - ``family``: which ``only:`` name governs its sections (one of ``model.FAMILIES``);
    - ``check``: what the parity check expects of it (one of ``CHECKS``);
    - ``imports``: heavy modules the writer imports: such an output renders in a job of
      its own (the deck and the PDF at the same time on two cores), and a warm worker
      (``--watch``) imports them up front;
    - ``cost``: how long it takes to render relative to the others; jobs start costliest
      first, so the longest one is never left for last;
    - ``libraries``: distributions whose version can change its bytes (beyond those every
      output uses), part of its cache key;
    - ``images``: for a PDF, the ending of the folder its pages go to as PNG files with
      ``--png`` (``<out>/<slug><images>/01.png``), and ``image_width`` their width in pixels;
    - ``companions``: the ending of a folder of files its writer makes beside it
      (``<out>/<slug><companions>/``, from the writer's ``companions(talk, ctx)``: name ->
      bytes), written as a whole with the output, and removed when there are none: the
      article's chart pictures (drawn in the theme: a talk with charts keys them with the
      theme too, ``pipeline``);
    - ``inputs``: which of ``INPUTS`` it reads (its cache key holds those and no others:
      ``--paper Letter`` rebuilds only what reads the paper size);
    - ``switches``: command-line switches it owns, each also an input of its own;
    - ``reads_emoji``: whether its ``read_text`` returns emoji as written. PDF readers
      return a colour emoji glyph's text only sometimes (a flag, yes; a lone 🚀, no), so for
      a PDF the parity check compares both sides without their emoji;
    - ``reads_logical``: whether its ``read_text`` returns right-to-left text in logical
      order. PDF readers return it as a line was drawn, its runs sometimes reordered, so
      for a PDF the parity check also matches such text by its words (``bidi.find_reordered``);
    - ``default``: built when the caller names no outputs. Every output here is; one
      registered with ``default=False`` is built only when named (``--only``), or, if it
      has ``images``, with ``--png`` (asking for page images asks for its PDF).
    """

    name: str
    module: str
    suffix: str
    family: str
    check: str = "family"
    imports: tuple[str, ...] = ()
    cost: int = 0
    libraries: tuple[str, ...] = ()
    images: str = ""
    image_width: int = 0
    companions: str = ""
    inputs: tuple[str, ...] = ()
    switches: tuple[Switch, ...] = ()
    reads_emoji: bool = True
    reads_logical: bool = True
    default: bool = True

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"output {self.name}: family {self.family!r} is not one of {FAMILIES}")
        if self.check not in CHECKS:
            raise ValueError(f"output {self.name}: check {self.check!r} is not one of {CHECKS}")
        unknown = [i for i in self.inputs if i not in INPUTS]
        if unknown:
            raise ValueError(f"output {self.name}: unknown inputs {unknown}; known: {INPUTS}")

    @property
    def depends_on(self) -> tuple[str, ...]:
        """Every input and option its cache key holds: ``inputs`` and its switches' names."""
        return self.inputs + tuple(s.name for s in self.switches)


#: Output name -> record. Order is build order and the order of ``--only`` listings.
REGISTRY: dict[str, Output] = {}


def register(output: Output) -> None:
    """Add ``output`` to the registry (last in build order). Raises ``ValueError`` when
    its name or suffix is already taken, since two outputs would then share a file."""
    for other in REGISTRY.values():
        if output.name == other.name or output.suffix == other.suffix:
            raise ValueError(f"output {output.name} ({output.suffix}) clashes with {other.name} ({other.suffix})")
    REGISTRY[output.name] = output


for _output in (
    Output("deck", "triptych.writers.deck", ".pptx", "deck",
           imports=("pptx",), cost=1, libraries=("python-pptx", "fonttools", "XlsxWriter"), inputs=("theme", "master")),
    Output("article", "triptych.writers.article", ".md", "article", companions=".charts", libraries=("matplotlib",),
           switches=(Switch("front_matter", "--front-matter",
                            "start the article with YAML front matter (for static site generators)"),)),
    Output("page", "triptych.writers.page", ".html", "article", libraries=("matplotlib",), inputs=("theme",)),
    Output("post", "triptych.writers.post", ".linkedin.txt", "article", check="opening"),
    Output("handout", "triptych.writers.handout", ".pdf", "handout",
           imports=("weasyprint", "pypdfium2"), cost=2, libraries=("weasyprint", "pypdfium2", "fonttools", "matplotlib"),
           inputs=("theme", "page_size"), reads_emoji=False, reads_logical=False,
           switches=(Switch("handout_layout", "--handout",
                            "the handout's layout: notes (a slide card a page width, prose and talking points "
                            "after it) or compact (two or three cards a page, talking points beside each) "
                            "(default: the theme's, notes)", choices=("notes", "compact")),)),
    Output("slides", "triptych.writers.slides", ".slides.pdf", "deck", check="slides",
           imports=("weasyprint", "pypdfium2"), cost=2, libraries=("weasyprint", "pypdfium2", "fonttools", "matplotlib"),
           images=".slides", image_width=1920, inputs=("theme", "master", "png"), reads_emoji=False, reads_logical=False),
    Output("carousel", "triptych.writers.carousel", ".carousel.pdf", "carousel", check="slides",
           imports=("weasyprint", "pypdfium2"), cost=2, libraries=("weasyprint", "pypdfium2", "fonttools", "matplotlib"),
           images=".carousel", image_width=1080, inputs=("theme", "png", "strict"),
           switches=(Switch("carousel_size", "--carousel-size",
                            "the carousel's pages: portrait (1080 x 1350 px) or square (1080 x 1080) "
                            "(default: the theme's, portrait)", choices=("portrait", "square")),),
           reads_emoji=False, reads_logical=False),
):
    register(_output)


def output(name: str) -> Output:
    """The record of output ``name``; ``KeyError`` for an unknown name."""
    return REGISTRY[name]


def writer(name: str) -> ModuleType:
    """The writer module for output ``name`` (imported on first use)."""
    return importlib.import_module(REGISTRY[name].module)


def records() -> tuple[Output, ...]:
    """Every output's record, in build order."""
    return tuple(REGISTRY.values())


def available() -> tuple[str, ...]:
    """Every output's name, in build order."""
    return tuple(REGISTRY)


def defaults() -> tuple[str, ...]:
    """The outputs built when none are named (``Output.default``), in build order."""
    return tuple(name for name, record in REGISTRY.items() if record.default)
