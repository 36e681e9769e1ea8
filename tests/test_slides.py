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
CODE_TALK = Path(__file__).parent / "fixtures" / "code" / "retrieval-in-three-languages.yaml"


def context() -> Context:
    return Context(TEMPLATES, load_theme(TEMPLATES / "theme.yaml"), {}, lambda message: None)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample, the long talk and the code talk as slides PDFs and decks: {name: (talk, pdf, pptx)}."""
    out = tmp_path_factory.mktemp("slides")
    made = {}
    for name, source in (("sample", SAMPLE), ("long", LONG_TALK), ("code", CODE_TALK)):
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


@pytest.mark.parametrize("name", ["sample", "long", "code"])
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


@pytest.mark.parametrize("name", ["sample", "long", "code"])
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
    """The long talk's and the code talk's decks rendered by LibreOffice and their slides
    PDFs: the same lines on every page (the benchmark measures the sample too)."""
    soffice = require_tool("soffice")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(built["long"][2]), str(built["code"][2])],
                   check=True, capture_output=True, timeout=240)
    for name in ("long", "code"):
        _, pdf, pptx = built[name]
        office, ours = _lines(tmp_path / f"{name}.pdf"), _lines(pdf)
        assert len(office) == len(ours)
        for number, (theirs, mine) in enumerate(zip(office, ours), 1):
            assert theirs == mine, (f"{name}, page {number}: LibreOffice only {theirs - mine}, "
                                    f"slides PDF only {mine - theirs}")


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


_BG = ('<p:bg xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:bgPr>{}<a:effectLst/></p:bgPr></p:bg>')


def branded_master(path: Path, picture: tuple[int, int, int] = (230, 120, 30), logo: bool = False) -> Path:
    """A dark master (its own background navy, text light through its colour map) whose
    title layout has a picture background, all one colour, ``picture``; with ``logo``, a
    picture on the master (a green square at the top right of every slide)."""
    from lxml import etree
    from PIL import Image
    from pptx.dml.color import RGBColor

    prs = Presentation()
    master = prs.slide_masters[0]
    master.background.fill.solid()
    master.background.fill.fore_color.rgb = RGBColor(0x12, 0x2B, 0x4A)
    color_map = master._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}clrMap")
    for name, value in (("bg1", "dk1"), ("tx1", "lt1"), ("bg2", "dk2"), ("tx2", "lt2")):
        color_map.set(name, value)
    image = io.BytesIO()
    Image.new("RGB", (64, 36), picture).save(image, "PNG")
    image.seek(0)
    title_layout = prs.slide_layouts[0]
    _, rid = title_layout.part.get_or_add_image_part(image)
    blip = f'<a:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></a:blipFill>'
    title_layout._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}cSld").insert(
        0, etree.fromstring(_BG.format(blip)))
    if logo:  # a green square in the master's top right corner, on every slide
        from pptx.oxml.shapes.picture import CT_Picture

        image = io.BytesIO()
        Image.new("RGB", (20, 20), (40, 200, 90)).save(image, "PNG")
        image.seek(0)
        _, rid = master.part.get_or_add_image_part(image)
        size = prs.slide_width // 10
        master.shapes._spTree.append(CT_Picture.new_pic(99, "Logo", "", rid, prs.slide_width - size, 0, size, size))
    prs.save(path)
    return path


def test_a_masters_backgrounds_and_text_colour_are_on_the_slides_pdf(tmp_path):
    # The deck's slides show the master's backgrounds (PowerPoint and LibreOffice draw the
    # master); the slides PDF draws them too: the title layout's picture, the master's
    # navy elsewhere, and text in the master's light text colour, not the theme's dark one.
    from triptych.pdfout import page_images
    from PIL import Image

    master = branded_master(tmp_path / "brand.pptx", logo=True)
    ctx = Context(TEMPLATES, load_theme(TEMPLATES / "theme.yaml", master=master), {}, lambda message: None)
    talk = load(SAMPLE)
    document, sheet = slides.html(talk, ctx)
    assert sheet.count("data:image/png;base64,") == 1  # one picture, however many slides show it
    pages = [Image.open(io.BytesIO(png)).convert("RGB") for png in page_images(slides.render(talk, ctx), 400)]
    corner = [page.getpixel((3, page.height - 3)) for page in pages]
    assert corner[0] == (230, 120, 30)
    assert all(abs(c - w) <= 2 for pixel in corner[1:] for c, w in zip(pixel, (0x12, 0x2B, 0x4A)))
    # The master's logo is on every slide, at the top right, as the deck shows it.
    assert all(page.getpixel((page.width - 15, 15)) == (40, 200, 90) for page in pages)
    # Text is the master's light 1 (white in python-pptx's scheme) wherever it is drawn.
    title_colour = re.search(r'class="tp-box tp-title[^"]* (tp-s\d+)"', document.split("<section")[3])[1]
    assert re.search(r"\." + title_colour + r" \{[^}]*color:#FFFFFF", sheet)


def test_a_plain_master_gives_a_white_backdrop_and_the_masters_dark_text(tmp_path):
    from triptych.writers.deck.backdrop import backdrop

    master = tmp_path / "plain.pptx"
    Presentation().save(master)
    layout = Presentation(str(master)).slide_layouts[1]
    found = backdrop(layout)  # python-pptx's master: a background style reference in bg1
    assert (found.color, found.text, found.picture) == ("FFFFFF", "000000", b"")


@pytest.mark.parametrize("fill, expected", [
    ('<a:solidFill><a:schemeClr val="accent1"><a:lumMod val="50000"/></a:schemeClr></a:solidFill>',
     {"color": "254061"}),  # PowerPoint shows 244061: HLS rounding, one step of red
    ('<a:gradFill><a:gsLst><a:gs pos="100000"><a:srgbClr val="000000"/></a:gs><a:gs pos="0">'
     '<a:srgbClr val="FF0000"/></a:gs></a:gsLst><a:lin ang="5400000"/></a:gradFill>',
     {"stops": (("FF0000", 0.0), ("000000", 1.0)), "angle": 90.0}),
    ('<a:pattFill prst="pct5"/>', None),
])
def test_a_layouts_own_background_is_read_before_its_masters(tmp_path, fill, expected):
    from lxml import etree
    from triptych.writers.deck.backdrop import backdrop

    prs = Presentation()
    layout = prs.slide_layouts[1]
    layout._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}cSld").insert(
        0, etree.fromstring(_BG.format(fill)))
    found = backdrop(layout)
    if expected is None:
        assert found is None
    else:
        assert {key: getattr(found, key) for key in expected} == expected and found.text == "000000"
