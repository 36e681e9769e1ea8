"""triptych.weasy: the memoised page references give the same answers, and the same PDF
bytes, as pydyf's own getter; and the memo follows pages added after a read."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pydyf
import pytest
from pypdf import PdfReader

from triptych import weasy
from triptych.loader import load
from triptych.writers import handout, slides

from conftest import SAMPLE, require_tool
from test_handout import context
from test_slides import context as slides_context

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def original_getter():
    """pydyf's own ``page_references`` getter (after ``weasy.load`` has wrapped it)."""
    weasy.load()
    memo = pydyf.PDF.__dict__["page_references"].fget
    assert memo._triptych_memo
    return memo.__wrapped__


def add_page(pdf: pydyf.PDF) -> None:
    pdf.add_page(pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference, "MediaBox": pydyf.Array([0, 0, 1, 1])}))


def test_memo_answers_as_pydyf_does_and_follows_new_pages(original_getter):
    pdf = pydyf.PDF()
    assert pdf.page_references == original_getter(pdf) == ()
    add_page(pdf)
    first = pdf.page_references
    assert first == original_getter(pdf) and len(first) == 1
    assert pdf.page_references is first  # read again, unchanged: not rebuilt
    add_page(pdf)
    add_page(pdf)
    assert pdf.page_references == original_getter(pdf)
    assert len(pdf.page_references) == 3


def test_load_twice_wraps_once(original_getter):
    weasy.load()
    weasy.load()
    wrapped = pydyf.PDF.__dict__["page_references"].fget
    assert wrapped.__wrapped__ is original_getter


def test_handout_bytes_are_the_same_with_and_without_the_memo(original_getter, monkeypatch):
    talk = load(SAMPLE)
    with_memo = handout.render(talk, context())
    # pydyf's own getter back in place ...
    monkeypatch.setattr(pydyf.PDF, "page_references", property(original_getter))
    # ... and keep load() from wrapping it again during this render.
    monkeypatch.setattr(weasy, "_memoise_page_references", lambda cls: None)
    without = handout.render(talk, context())
    assert with_memo == without


def test_an_array_of_a_new_length_is_made_without_parsing_a_type():
    """WeasyPrint subsets fonts with ``ffi.new(f"hb_codepoint_t[{n}]", items)``: cffi parses
    each type string it has not seen (pycparser, milliseconds each), so after ``load`` a
    length it never saw allocates the unsized ``T[]``, whose type it knows, with the same items."""
    weasy.load()
    from weasyprint.text.ffi import ffi

    ffi.new("hb_codepoint_t[]", [0])  # the one type parse (in a build, the warm-up's)
    known = set(ffi._parsed_types)  # cffi's cache of the type strings it has parsed
    array = ffi.new("hb_codepoint_t[4099]", tuple(range(4099)))
    assert (len(array), array[0], array[4098]) == (4099, 0, 4098)
    assert ffi.new("hb_codepoint_t[3]", [7, 8, 9])[2] == 9
    assert set(ffi._parsed_types) == known
    # Anything else is cffi's own: no initialiser, or a shorter one (zeros after it).
    assert list(ffi.new("hb_codepoint_t[5]", [1, 2])) == [1, 2, 0, 0, 0]
    assert list(ffi.new("hb_codepoint_t[2]")) == [0, 0]
    assert ffi.new("int *", 5)[0] == 5


def test_slides_bytes_are_the_same_with_and_without_unsized_arrays(monkeypatch):
    weasy.load()
    from weasyprint.text.ffi import ffi

    talk = load(SAMPLE)
    unsized = slides.render(talk, slides_context())
    monkeypatch.setattr(ffi, "new", ffi.new.__wrapped__)
    monkeypatch.setattr(weasy, "_unsized_arrays", lambda ffi: None)  # load() must not wrap it again
    assert slides.render(talk, slides_context()) == unsized


def test_every_pdf_is_rendered_with_the_one_font_configuration(monkeypatch):
    """A new font configuration per document reads fontconfig's files and loads every font
    again: the PDFs share the warm-up's instead."""
    weasy.load()
    from weasyprint.text import fonts

    shared = weasy.font_config()
    assert weasy.font_config() is shared
    made = []
    monkeypatch.setattr(fonts.FontConfiguration, "__init__",
                        lambda self, original=fonts.FontConfiguration.__init__: made.append(self) or original(self))
    weasy.warm()
    slides.render(load(SAMPLE), slides_context())
    assert made == [] and weasy.font_config() is shared


def test_a_documents_font_face_fonts_stay_with_it(tmp_path):
    """A document's @font-face adds its fonts to the configuration it is rendered with: the
    next document gets a new configuration, so it cannot draw with them."""
    weasyprint = weasy.load()
    fc_match = require_tool("fc-match")
    mono = Path(subprocess.run([fc_match, "-f", "%{file}", "monospace"], capture_output=True, text=True,
                               check=True).stdout)
    (tmp_path / "probe.ttf").write_bytes(mono.read_bytes())
    page = '<html><head><style>{face}</style></head><body><p style="font-family: Probe, serif">Probe</p></body></html>'
    face = '@font-face {{ font-family: Probe; src: url("{}") }}'.format((tmp_path / "probe.ttf").as_uri())

    def fonts(html: str) -> str:
        pdf = weasyprint.HTML(string=html).render(font_config=weasy.font_config()).write_pdf()
        page = PdfReader(io.BytesIO(pdf)).pages[0]
        return " ".join(str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values())

    first = weasy.font_config()
    assert fonts(page.format(face=face)).endswith("+Probe")  # WeasyPrint names it after the family
    assert weasy.font_config() is not first
    assert "Probe" not in fonts(page.format(face=""))
    after = weasy.font_config()
    assert weasy.font_config() is after  # a document without @font-face keeps sharing


def test_the_warm_up_leaves_no_garbage_and_the_collector_as_it_was():
    import gc

    weasy.warm()  # the first one imports and fills caches that stay
    gc.collect()
    enabled, before = gc.isenabled(), len(gc.get_objects())
    weasy.warm()
    assert gc.isenabled() == enabled
    assert len(gc.get_objects()) - before < 50  # its document alone is about 180 objects


_IMPORT = """
import contextlib, ctypes.util, sys
sys.path.insert(0, {root!r})
from triptych import weasy
asked = []
real = ctypes.util.find_library
ctypes.util.find_library = lambda name: asked.append(name) or real(name)
if {broken}:
    @contextlib.contextmanager
    def broken():
        raise OSError("cannot open libpango-1.0.so.0")
        yield
    weasy._no_library_search = broken
weasyprint = weasy.load()
from weasyprint.text import ffi
pdf = weasyprint.HTML(string="<p>x</p>").write_pdf()
print(len(asked), ffi.harfbuzz_subset is not None, pdf[:5].decode())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the library search is skipped on Linux only")
def test_weasyprint_is_imported_without_searching_for_libraries():
    """cffi hands every library name WeasyPrint tries and cannot open to find_library,
    which runs ldconfig, gcc and ld (about 0.3 s of each import): load() skips that search,
    and WeasyPrint still opens every library, the optional subsetter too."""
    done = subprocess.run([sys.executable, "-c", _IMPORT.format(root=str(ROOT), broken=False)],
                          capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "True", "%PDF-"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the library search is skipped on Linux only")
def test_weasyprint_is_imported_with_the_full_search_when_the_quick_import_fails():
    done = subprocess.run([sys.executable, "-c", _IMPORT.format(root=str(ROOT), broken=True)],
                          capture_output=True, text=True, check=True)
    searched, subset, pdf = done.stdout.split()
    assert int(searched) > 0 and subset == "True" and pdf == "%PDF-"
