"""triptych.weasytrim: what WeasyPrint no longer does for our documents (counted), the same
PDF bytes as when it did, and the documents that still need it getting it."""

from __future__ import annotations

import collections
import io
import types

import pydyf
import pytest
from pypdf import PdfReader

from triptych import weasy, weasytrim
from triptych.loader import load
from triptych.writers import handout, slides

from conftest import SAMPLE
from test_handout import context as handout_context
from test_slides import context as slides_context


@pytest.fixture(scope="module")
def sample():
    return load(SAMPLE)


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


# -- margin boxes


def _count_margin_boxes(monkeypatch) -> list:
    weasy.load()
    from weasyprint.formatting_structure import boxes

    made = []
    monkeypatch.setattr(boxes.MarginBox, "__init__",
                        lambda self, *a, original=boxes.MarginBox.__init__, **k: made.append(a[0]) or original(self, *a, **k))
    return made


def test_a_page_that_styles_no_margin_box_gets_none(monkeypatch, sample):
    """WeasyPrint made the sixteen margin boxes of each of the slides PDF's pages (208 for
    the sample's 13) only to drop them: none now."""
    made = _count_margin_boxes(monkeypatch)
    slides.render(sample, slides_context())
    assert made == []


def test_a_page_with_a_styled_margin_box_gets_all_sixteen(monkeypatch):
    made = _count_margin_boxes(monkeypatch)
    weasyprint = weasy.load()
    html = ('<html><head><style>@page { size: 200pt 100pt; @bottom-center { content: "Page " counter(page) } }'
            '</style></head><body><p>One</p><p style="break-before: page">Two</p></body></html>')
    pdf = weasyprint.HTML(string=html).write_pdf(font_config=weasy.font_config())
    assert len(made) == 2 * len(weasytrim.MARGIN_BOXES)
    assert ["Page 1" in _pages(pdf)[0], "Page 2" in _pages(pdf)[1]] == [True, True]


def test_slides_bytes_are_the_same_with_and_without_the_margin_boxes(monkeypatch, sample):
    trimmed = slides.render(sample, slides_context())
    import weasyprint.layout as layout

    monkeypatch.setattr(layout, "make_margin_boxes", layout.make_margin_boxes.__wrapped__)
    monkeypatch.setattr(weasytrim, "margin_boxes_when_styled", lambda module: None)  # load() must not wrap it again
    assert slides.render(sample, slides_context()) == trimmed


# -- object data


def test_each_stream_of_a_pdf_is_compressed_once(monkeypatch, sample):
    """pydyf serialised every object again, compressing each stream again, to hash the
    file for its identifier."""
    weasy.load()
    compressed = []
    zlib = pydyf.zlib
    monkeypatch.setattr(pydyf, "zlib", types.SimpleNamespace(
        compressobj=lambda level=9: compressed.append(level) or zlib.compressobj(level)))
    pdf = slides.render(sample, slides_context())
    streams = pdf.count(b"\nendstream\n")  # one is the picture, as the file had it
    assert streams - 1 <= len(compressed) <= streams


def test_bytes_are_the_same_with_and_without_serialising_once(monkeypatch, sample):
    weasy.load()
    once = slides.render(sample, slides_context()), handout.render(sample, handout_context())
    for cls in (pydyf.Dictionary, pydyf.Stream, pydyf.Array, pydyf.String):
        monkeypatch.setattr(cls, "data", property(cls.__dict__["data"].fget.__wrapped__))
    monkeypatch.setattr(pydyf.PDF, "write", pydyf.PDF.write.__wrapped__)
    monkeypatch.setattr(weasytrim, "object_data_once", lambda module: None)
    assert (slides.render(sample, slides_context()), handout.render(sample, handout_context())) == once


def test_a_nested_object_is_made_afresh_each_time():
    """Only the PDF's own objects are kept while it is written, so a dictionary inside one,
    changed between two writes, is written as it is then."""
    weasy.load()
    pdf = pydyf.PDF()
    inner = pydyf.Dictionary({"A": 1})
    outer = pydyf.Dictionary({"Inner": inner})
    pdf.add_object(outer)
    first, second = io.BytesIO(), io.BytesIO()
    pdf.write(first)
    inner["A"] = 2
    pdf.write(second)
    assert b"/A 1" in first.getvalue() and b"/A 2" in second.getvalue()


# -- the default stylesheet's pseudo-elements


def _computed_pseudos(monkeypatch) -> collections.Counter:
    weasy.load()
    from weasyprint.css import StyleFor

    seen = collections.Counter()
    original = StyleFor.set_computed_styles

    def record(self, element, parent, root=None, pseudo_type=None, **kwargs):
        if pseudo_type and hasattr(element, "tag"):  # an element's, not a page's margin boxes
            seen[(element.tag, pseudo_type)] += 1
        return original(self, element, parent, root, pseudo_type, **kwargs)

    monkeypatch.setattr(StyleFor, "set_computed_styles", record)
    return seen


def test_only_list_items_get_a_marker_and_nothing_gets_note_pseudo_elements(monkeypatch, sample):
    """WeasyPrint computed seven styles an element (the element's and six pseudo-elements'):
    for the sample's slides PDF, 1,800 styles for pseudo-elements nothing draws."""
    seen = _computed_pseudos(monkeypatch)
    slides.render(sample, slides_context())
    handout.render(sample, handout_context())
    assert {pseudo for _, pseudo in seen} <= {"marker"}
    assert {tag for tag, _ in seen} == {"li"}


def test_bytes_are_the_same_with_the_full_default_stylesheet(monkeypatch, sample):
    lean = slides.render(sample, slides_context()), handout.render(sample, handout_context())
    monkeypatch.setattr(weasytrim, "lean_user_agent_sheet", lambda *args: None)
    assert (slides.render(sample, slides_context()), handout.render(sample, handout_context())) == lean


@pytest.mark.parametrize("css, text", [
    ("p span { float: footnote }", "1. Said elsewhere"),  # the footnote's marker
    # a marker on a <span>: the default sheet's ::marker keeps its letters as they are
    ("p span { display: list-item; list-style: inside lower-alpha; text-transform: uppercase }", "a. SAID ELSEWHERE"),
])
def test_a_document_that_needs_the_full_default_stylesheet_keeps_it(css, text):
    weasyprint = weasy.load()
    html = f"<html><head><style>{css}</style></head><body><p>Body <span>Said elsewhere</span></p></body></html>"
    source = weasyprint.HTML(string=html)
    weasytrim.lean_user_agent_sheet(source, html, css)
    assert text in " ".join(_pages(source.write_pdf(font_config=weasy.font_config())))


@pytest.mark.parametrize("html_head, css", [
    ("", '@import url("notes.css");'),  # a customised template's stylesheet importing another
    ('<link rel="stylesheet" href="notes.css">', ""),
])
def test_a_document_that_brings_in_a_stylesheet_keeps_the_full_default_stylesheet(tmp_path, html_head, css):
    """A stylesheet the document brings in is not scanned: it may float to a footnote, which
    the lean sheet cannot draw (WeasyPrint 70 fails with a TypeError there)."""
    weasyprint = weasy.load()
    (tmp_path / "notes.css").write_text("p span { float: footnote }")
    base = tmp_path.as_uri() + "/"
    html = f"<html><head>{html_head}</head><body><p>Body <span>Said elsewhere</span></p></body></html>"
    source = weasyprint.HTML(string=html, base_url=base)
    weasytrim.lean_user_agent_sheet(source, html, css)
    pdf = source.write_pdf(stylesheets=[weasyprint.CSS(string=css, base_url=base)], font_config=weasy.font_config())
    assert "1. Said elsewhere" in " ".join(_pages(pdf))


# -- other versions of WeasyPrint, pydyf, cssselect2


def test_the_versions_made_for_are_the_pinned_ones():
    """Bumping a pin turns the changes off (see below): this says to look at them again."""
    from conftest import ROOT

    pins = dict(line.split("==") for line in (ROOT / "requirements.txt").read_text().split()
                if "==" in line and not line.startswith("#"))
    assert {name: pins[name] for name in weasytrim.MADE_FOR} == weasytrim.MADE_FOR
    assert weasytrim.made_for_these()


@pytest.mark.parametrize("module", ["weasyprint", "pydyf", "cssselect2"])
def test_another_version_is_left_as_it_is(monkeypatch, module):
    """With a version whose internals these changes were not written for, WeasyPrint is left
    to do all its work: nothing patched, the full default stylesheet."""
    import sys

    import weasyprint.layout as layout

    weasyprint = weasy.load()
    monkeypatch.setattr(layout, "make_margin_boxes", layout.make_margin_boxes.__wrapped__)
    for cls in (pydyf.Dictionary, pydyf.Stream, pydyf.Array, pydyf.String):
        monkeypatch.setattr(cls, "data", property(cls.__dict__["data"].fget.__wrapped__))
    monkeypatch.setattr(pydyf.PDF, "write", pydyf.PDF.write.__wrapped__)
    monkeypatch.setattr(sys.modules[module], "__version__", "999.0")
    weasytrim.install(weasyprint)
    assert not hasattr(layout.make_margin_boxes, "_triptych_trim")
    assert not hasattr(pydyf.PDF.write, "_triptych_trim")
    assert not any(hasattr(cls.__dict__["data"].fget, "__wrapped__")
                   for cls in (pydyf.Dictionary, pydyf.Stream, pydyf.Array, pydyf.String))
    html = "<html><body><p>Plain</p></body></html>"
    source = weasyprint.HTML(string=html)
    weasytrim.lean_user_agent_sheet(source, html, "")
    assert "_ua_stylesheets" not in vars(source)
