"""The slides PDF: one 16:9 page per slide of the deck, the deck's lines, tagged, linked,
fonts embedded, no notes, no text off a page, the same bytes for the same content."""

from __future__ import annotations

import io
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from triptych import parity, pieces
from triptych.loader import load
from triptych.theme import load_theme
from triptych.writers import Context, deck, slides
from tests.conftest import MINIMAL, SAMPLE, TEMPLATES, require_tool

LONG_TALK = Path(__file__).parent / "fixtures" / "slides" / "long-talk.yaml"


def context() -> Context:
    return Context(TEMPLATES, load_theme(TEMPLATES / "theme.yaml"), {}, lambda message: None)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample and the long talk as slides PDFs and decks: {name: (talk, pdf, pptx)}."""
    out = tmp_path_factory.mktemp("slides")
    made = {}
    for name, source in (("sample", SAMPLE), ("long", LONG_TALK)):
        talk = load(source)
        pdf, pptx = out / f"{name}.slides.pdf", out / f"{name}.pptx"
        pdf.write_bytes(slides.render(talk, context()))
        pptx.write_bytes(deck.render(talk, context()))
        made[name] = (talk, pdf, pptx)
    return made


@pytest.mark.parametrize("name", ["sample", "long"])
def test_one_sixteen_by_nine_page_per_slide_of_the_deck(built, name):
    _, pdf, pptx = built[name]
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == len(Presentation(str(pptx)).slides)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (960.0, 540.0)


@pytest.mark.parametrize("name", ["sample", "long"])
def test_parity_finds_every_piece_and_no_notes(built, name):
    talk, pdf, _ = built[name]
    check = parity.check_output(talk, "slides", pdf)
    assert check.problems == [] and check.found == check.expected > 20
    text = parity.normalise(slides.read_text(pdf))
    notes = [p for s in talk.sections for p in pieces._block(talk, f"{s.field}.notes", s.notes)]
    assert notes and not any(parity.find(parity.normalise(p.text), text) for p in notes)


def test_tagged_with_language_title_links_and_embedded_fonts(built):
    talk, pdf, _ = built["long"]
    reader = PdfReader(str(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root and b"pdfuaid" in root["/Metadata"].get_object().get_data()
    assert reader.metadata.title == talk.title and reader.metadata.author == talk.author.name
    links = [annot.get_object()["/A"]["/URI"] for page in reader.pages for annot in page.get("/Annots", [])
             if annot.get_object().get("/Subtype") == "/Link"]
    assert talk.author.url in links
    fonts = [ref.get_object() for page in reader.pages for ref in page["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:
        descriptors = [d.get_object().get("/FontDescriptor").get_object() for d in font.get("/DescendantFonts", [])]
        assert descriptors and all({"/FontFile", "/FontFile2", "/FontFile3"} & set(d.keys()) for d in descriptors)


def test_the_same_content_gives_the_same_bytes(built):
    talk, pdf, _ = built["sample"]
    assert slides.render(load(SAMPLE), context()) == pdf.read_bytes()


def _words(pdf: Path) -> list[tuple[float, float, list]]:
    html = subprocess.run([require_tool("pdftotext"), "-bbox-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S)


@pytest.mark.parametrize("name", ["sample", "long"])
def test_no_character_outside_its_page(built, name):
    words = 0
    for width, height, body in _words(built[name][1]):
        for x0, y0, x1, y1, word in re.findall(
                r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>', body):
            words += 1
            assert 0 <= float(x0) and float(x1) <= float(width) + 0.5, word
            assert 0 <= float(y0) and float(y1) <= float(height) + 0.5, word
    assert words > 100


def _lines(pdf: Path) -> list[Counter]:
    """Per page, the text lines (words joined by spaces) as pdftotext groups them."""
    return [Counter(" ".join(re.findall(r"<word[^>]*>(.*?)</word>", line, re.S))
                    for line in re.findall(r"<line[^>]*>(.*?)</line>", body, re.S))
            for _, _, body in _words(pdf)]


def test_every_line_breaks_at_the_same_words_as_in_libreoffice(built, tmp_path):
    """The long talk's deck rendered by LibreOffice and its slides PDF: the same lines on
    every page (the benchmark measures the sample too)."""
    soffice = require_tool("soffice")
    _, pdf, pptx = built["long"]
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(pptx)], check=True, capture_output=True, timeout=240)
    office, ours = _lines(tmp_path / "long.pdf"), _lines(pdf)
    assert len(office) == len(ours)
    for number, (theirs, mine) in enumerate(zip(office, ours), 1):
        assert theirs == mine, f"page {number}: LibreOffice only {theirs - mine}, slides PDF only {mine - theirs}"


def test_a_section_only_in_the_deck_is_on_the_slides(write_content, tmp_path):
    path = write_content(MINIMAL + "  - title: Said aloud\n    only: [deck]\n    points: [Never printed in the handout]\n")
    pdf = tmp_path / "x.slides.pdf"
    pdf.write_bytes(slides.render(load(path), context()))
    assert "Never printed in the handout" in slides.read_text(pdf)


def test_importing_the_writer_imports_neither_weasyprint_nor_python_pptx():
    code = ("import sys; import triptych.writers.slides; "
            "print(any(m in sys.modules for m in ('weasyprint', 'pptx')))")
    done = subprocess.run([__import__("sys").executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.stdout.strip() == "False"


def test_a_masters_slides_are_laid_out_in_its_frames(tmp_path):
    # The slides PDF draws what the deck draws: with a user's master (python-pptx's own
    # template, 4:3 with its placeholders where it puts them), the master's frames, not the
    # built-in look's.
    from triptych.slides.layout import lay_out_talk

    master = tmp_path / "master.pptx"
    Presentation().save(master)
    ctx = Context(TEMPLATES, load_theme(TEMPLATES / "theme.yaml", master=master), {}, lambda message: None)
    talk = load(SAMPLE)
    laid = slides.lay_out(talk, ctx)
    assert laid == deck.lay_out(talk, ctx)
    assert laid != lay_out_talk(talk, ctx)
