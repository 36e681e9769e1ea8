"""WeasyPrint, imported on demand, with two measured costs of using it disarmed.

``load()`` imports WeasyPrint (slow: only a build that prints a PDF pays for it) and, once per process, memoises pydyf's ``PDF.page_references``,
spares cffi a C parse per array size (``_unsized_arrays``) and leaves out the work
``triptych.weasytrim`` lists (empty margin boxes, objects serialised twice); ``font_config()`` is one
font configuration for every document the process renders;
``collector_paused()`` keeps Python's garbage collector out of WeasyPrint's layout.

The trap: pydyf (0.13, WeasyPrint 70's PDF object writer) rebuilds the tuple of every
page's reference each time ``page_references`` is read, and WeasyPrint's PDF/UA tagging
reads it once per structure element. That is pages x elements: for a 500-section
handout (336 pages, about 34,000 elements) 1.0 s of a 4.1 s PDF write, growing with the
square of the talk's length. The memo hands back the tuple pydyf's own getter built
while the page list is unchanged (pages are only ever appended, so its length is the
version), which gives byte-identical PDFs; ``tests/test_weasy.py`` holds it to that. If
a later pydyf makes the attribute cheap (no longer a property), nothing is changed.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import io
import logging
import re
import sys
import types

from . import weasytrim

_MEMO = "_triptych_page_references"


def _memoise_page_references(pdf_class: type) -> None:
    original = pdf_class.__dict__.get("page_references")
    if not isinstance(original, property) or getattr(original.fget, "_triptych_memo", False):
        return

    def page_references(self):
        count = len(self.pages["Kids"])
        memo = self.__dict__.get(_MEMO)
        if memo is None or memo[0] != count:
            memo = (count, original.fget(self))
            self.__dict__[_MEMO] = memo
        return memo[1]

    page_references._triptych_memo = True  # type: ignore[attr-defined]
    page_references.__wrapped__ = original.fget  # type: ignore[attr-defined]
    pdf_class.page_references = property(page_references)


#: A C array type of a fixed length, as a string: ``hb_codepoint_t[2211]``.
_SIZED_ARRAY = re.compile(r"([A-Za-z_]\w*)\[(\d+)\]")


def _unsized_arrays(ffi) -> None:
    """Make ``ffi.new("T[n]", init)`` with ``n`` items in ``init`` allocate ``T[]`` instead.

    The trap: WeasyPrint 70 subsets each font with ``ffi.new(f"hb_codepoint_t[{n}]", ...)``
    (``pdf/fonts.py``), ``n`` the number of glyphs used or the highest glyph id plus one,
    and cffi parses every type string it has not seen with pycparser, in pure Python:
    3 to 10 ms for each new length, a few of them per PDF (five for the sample's slides
    PDF, about 30 ms of its 0.6 s), in every process, since each document brings new
    lengths. ``T[]`` with an initialiser of ``n`` items is the same array of ``n`` items
    (cffi sizes an unsized array by its initialiser), and its type is parsed once per
    process (by the warm-up, ``warm``, before the build forks its workers). Any other call
    is passed through as it is."""
    new = ffi.new
    if getattr(new, "_triptych_unsized", False):
        return

    def new_array(cdecl, init=None):
        if isinstance(cdecl, str) and init is not None and cdecl.endswith("]"):
            sized = _SIZED_ARRAY.fullmatch(cdecl)
            if sized and isinstance(init, (list, tuple)) and len(init) == int(sized[2]):
                return new(sized[1] + "[]", init)
        return new(cdecl, init)

    new_array._triptych_unsized = True  # type: ignore[attr-defined]
    new_array.__wrapped__ = new  # type: ignore[attr-defined]
    ffi.new = new_array


@contextlib.contextmanager
def _collector_off():
    """The cyclic garbage collector off inside, back as it was (on or off) outside."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: Whether this process has rendered a document since it last collected one's garbage (see below).
_LEFTOVERS = False


@contextlib.contextmanager
def collector_paused():
    """Python's cyclic garbage collector off, for WeasyPrint's layout and PDF writing.

    Layout builds hundreds of thousands of long-lived objects (boxes, styles), and each
    automatic collection rescans the growing heap: about a quarter of the layout time of
    a long handout (docs/design.md). Memory does not
    grow for it: the layout's objects are alive until the PDF is written, and its
    garbage is freed by the one ``collect_young()`` between layout and writing, which
    ``gc.freeze()`` keeps from rescanning everything that existed before (modules, the
    talk).

    The finished document is cyclic garbage, so a process that renders a second document
    first collects the first one's (otherwise a process that builds many files grows by a
    whole document per file). That garbage is young (``collect_young`` keeps what survives
    it in the middle generation), so a young collection (``gc.collect(1)``) finds it
    without walking the whole heap: a full one walked every module, about 40 ms before the
    sample's carousel, which a build renders after its slides PDF in the same worker.
    A process's first render, all a one-file build does, skips that collection. Collector
    state is restored on the way out, whatever happens; the caller keeps two renders from
    interleaving (``pdfout`` holds its render lock).
    """
    global _LEFTOVERS
    if _LEFTOVERS:
        gc.collect(1)
    gc.freeze()
    try:
        with _collector_off():
            yield
    finally:
        _LEFTOVERS = True
        gc.unfreeze()


def collect_young() -> None:
    """Inside ``collector_paused``: free the garbage made since it began, and nothing older.

    With the collector off and the heap frozen, every object made since is in the
    youngest generation, so collecting that one generation is the whole job; what
    survives moves to the middle one, where the next render's young collection finds it
    once it is garbage (see ``collector_paused``)."""
    gc.collect(0)


@contextlib.contextmanager
def _no_library_search():
    """On Linux, ``ctypes.util.find_library`` answers None inside, without searching.

    The trap: WeasyPrint opens each C library by trying a list of names, the Windows and
    macOS ones first, and cffi hands every name it cannot open to ``find_library``, which
    on Linux runs ``ldconfig -p``, then gcc (compiling and linking a test program in a
    temporary file) and ``ld``. Importing WeasyPrint 70 so ran 16 gcc, 32 ld and 22
    ldconfig processes here: about 0.3 s of a cold import's 1.0 s, paid by every process
    that imports it (a stop signal in that time could also leave gcc's temporary file
    behind). None of it can find anything: a name found that way is then opened by its
    soname, which the loader's own search (``LD_LIBRARY_PATH``, ``ld.so.cache``, the
    system folders) finds directly, and WeasyPrint's list always ends with the soname
    (``libpango-1.0.so.0``). ``load`` imports WeasyPrint inside this, and imports it again
    the usual way if that fails, so a library only a full search finds is still found.
    Elsewhere (macOS, where ``find_library`` searches Homebrew's folders; Windows) it
    changes nothing."""
    if not sys.platform.startswith("linux"):
        yield
        return
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _forget_weasyprint() -> None:
    """Drop WeasyPrint's modules (a failed import may have left some), so it imports afresh."""
    for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
        del sys.modules[name]


def load() -> types.ModuleType:
    """The ``weasyprint`` module, with pydyf's page references memoised and its C arrays
made without a parse per length (see above).

    The first import runs with the cyclic garbage collector off: it creates some hundred
    thousand objects (cffi parsing WeasyPrint's C declarations), each batch of which
    would set off a collection that finds no garbage; and, on Linux, without
    ``find_library``'s search for the library names that cannot exist here
    (``_no_library_search``). If WeasyPrint then cannot open a library, it is imported
    again with the full search, which gives WeasyPrint's own message when that fails too."""
    with _collector_off():
        import pydyf

        if "weasyprint" not in sys.modules:
            try:
                # WeasyPrint prints its installation hint before it raises: shown only if
                # the full search below fails as well.
                with _no_library_search(), contextlib.redirect_stdout(io.StringIO()):
                    importlib.import_module("weasyprint")
            except OSError:
                _forget_weasyprint()
        import weasyprint
        from weasyprint.text.ffi import ffi
    _memoise_page_references(pydyf.PDF)
    _unsized_arrays(ffi)
    weasytrim.install(weasyprint)
    return weasyprint


#: The process's font configuration (``font_config``), made on first use.
_FONT_CONFIG = None


def font_config():
    """The WeasyPrint ``FontConfiguration`` every document of this process is rendered
    with: the warm-up's (``warm``), so a worker forked after it inherits the fonts it loaded.

    WeasyPrint makes a new one per document by default, which reads fontconfig's
    configuration files and font cache again and opens a new Pango font map that loads
    every font again: about 2% of the sample's slides PDF (35 M of its 1.75 G
    instructions), paid by each PDF. A document's ``@font-face`` rules add their fonts to
    the configuration it is rendered with: such a document keeps this one (it renders
    with its fonts), and the next document gets a new one, so no document ever sees
    another's fonts. The caller keeps two renders from interleaving (``pdfout`` holds
    its render lock; the warm-up runs before any)."""
    global _FONT_CONFIG
    if _FONT_CONFIG is None or _FONT_CONFIG.faces:
        from weasyprint.text.fonts import FontConfiguration

        class Shared(FontConfiguration):
            faces = False  # whether a document added its @font-face fonts to it

            def add_font_face(self, rule_descriptors, url_fetcher):
                self.faces = True
                return super().add_font_face(rule_descriptors, url_fetcher)

        _FONT_CONFIG = Shared()
    return _FONT_CONFIG


#: A first document: a paragraph with bold and italic, in a tagged PDF as ``pdfout`` writes.
_WARM_UP = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>warm-up</title></head>
<body><p style="font-family: {family}">Warm <b>up</b> <i>once</i></p></body></html>"""


def warm(family: str = "sans-serif") -> None:
    """Import WeasyPrint (``load``), then lay out and write a one-line tagged document (PDF/UA,
    as ``pdfout`` writes) in the CSS ``font-family`` value ``family`` (the theme's body
    text), so that this process, and every process forked from it afterwards, starts its
    first real document with WeasyPrint's one-time costs paid: cffi parsing the C
    declarations it uses, Pango's and fontconfig's first font lookups, fontTools' subsetter.

    Kept small on purpose: what a document costs per document (its own font map and font
    files, the subsets it embeds) a bigger warm-up would pay for nothing. The document is
    thrown away; its warnings (fontTools' "'created' timestamp seems very low", say) are
    not shown; it leaves no garbage behind (collected) and the cyclic collector as it
    was. ``family`` is written into a style attribute: pass a trusted value
    (``Theme.css_family`` escapes a theme's)."""
    weasyprint = load()
    loggers = [logging.getLogger(name) for name in ("weasyprint", "fontTools")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        with _collector_off():
            weasyprint.HTML(string=_WARM_UP.format(family=family)).write_pdf(
                pdf_variant="pdf/ua-1", font_config=font_config())
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
    # The document's garbage is young (made with the collector off): collecting the young
    # generations frees it without a full collection's walk over every module (~0.05 s).
    gc.collect(1)


__all__ = ["collect_young", "collector_paused", "font_config", "load", "warm"]
