"""The deck writer, read back with python-pptx and rendered with LibreOffice.

The golden text of the sample deck (tests/golden/deck/) is regenerated, like every
golden text, with ``TRIPTYCH_REGEN=1 python -m pytest -k golden``.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn

from triptych import fit
from triptych.errors import ContentError
from triptych.loader import load
from triptych.theme import load_theme
from triptych.writers import Context, deck
from triptych.writers.deck import package
from tests.conftest import MINIMAL, SAMPLE, TEMPLATES, require_tool

FIXTURES = Path(__file__).parent / "fixtures" / "deck"
GOLDEN = Path(__file__).parent / "golden" / "deck" / "llms-vs-foundation-models.txt"
TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


def context(master: Path | None = None, warnings: list | None = None) -> Context:
    sink = warnings if warnings is not None else []
    return Context(TEMPLATES, load_theme(TEMPLATES / "theme.yaml", master=master), {}, sink.append)


def build(path: Path, **kw) -> bytes:
    return deck.render(load(path), context(**kw))


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("deck") / "sample.pptx"
    out.write_bytes(build(SAMPLE))
    return out


@pytest.fixture(scope="module")
def prs(sample):
    return Presentation(str(sample))


def titles(presentation) -> list[str]:
    return [s.shapes.title.text_frame.text for s in presentation.slides]


def test_plan_title_agenda_one_slide_per_part_and_closing(prs):
    talk = load(SAMPLE)
    got = titles(prs)
    assert got[0] == talk.title and got[1] == "Agenda" and got[-1] == "Thank you"
    assert got[2:-1] == [s.title for s in talk.sections_in("deck")]
    assert [s.slide_layout.name for s in prs.slides][:3] == ["Title Slide", "Title and Content", "Title and Content"]


def test_every_slide_has_its_title_in_a_title_placeholder_first_in_reading_order(prs):
    for slide in prs.slides:
        texts = [sh for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text.strip()]
        assert texts[0].is_placeholder and texts[0].placeholder_format.type in TITLE_TYPES


def test_16_9_and_no_shape_off_the_slide(prs):
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # exactly PowerPoint's 16:9 (13.333 x 7.5 in)
    for slide in prs.slides:
        for shape in slide.shapes:
            assert 0 <= shape.left and shape.left + shape.width <= prs.slide_width, shape.name
            assert 0 <= shape.top and shape.top + shape.height <= prs.slide_height, shape.name


def test_footer_and_slide_number_on_every_slide_but_the_title_slide(prs):
    for number, slide in enumerate(prs.slides, 1):
        names = {sh.name: sh for sh in slide.shapes}
        if number == 1:
            assert "Footer" not in names
            continue
        assert names["Footer"].text_frame.text == "GenAI: LLMs vs. Foundation Models \u00b7 Ibby Rahmani"
        field = names["Slide number"]._element.xpath(".//a:fld[@type='slidenum']")
        assert field and field[0].xpath("string(a:t)") == str(number)


def runs(slide):
    return [r for sh in slide.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs for r in p.runs]


def test_inline_markdown_becomes_styled_runs_with_the_language(prs, tmp_path, write_content):
    path = write_content(MINIMAL.replace("points: [One, Two]",
                                         'points: ["**bold** *it* `code` [link](https://example.org)"]'))
    slide = Presentation(io.BytesIO(deck.render(load(path), context()))).slides[1]
    styled = {r.text: r for r in runs(slide)}
    assert styled["bold"].font.bold and not styled["it"].font.bold and styled["it"].font.italic
    assert styled["code"].font.name == fit.FontBook(load_theme(TEMPLATES / "theme.yaml")).face("code").written
    assert styled["code"].font.name != styled["bold"].font.name
    assert styled["link"].hyperlink.address == "https://example.org"
    assert {r._r.rPr.get("lang") for r in runs(slide)} == {"en"}


def test_notes_come_from_the_section_notes(prs):
    talk = load(SAMPLE)
    section = talk.sections[1]
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text == section.title)
    notes = slide.notes_slide.notes_text_frame.text
    assert notes.startswith("Think of an LLM as a model that has read a vast amount of text and learned")
    assert "\n" not in notes.strip()  # one paragraph: its source line breaks are soft


def test_table_is_native_with_a_styled_header_and_banded_rows(prs):
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text == "Key differences")
    table = next(sh for sh in slide.shapes if sh.has_table).table
    theme = load_theme(TEMPLATES / "theme.yaml")
    assert [c.text for c in table.rows[0].cells] == ["Aspect", "LLMs", "Foundation models"]
    assert all(r.font.bold for c in table.rows[0].cells for p in c.text_frame.paragraphs for r in p.runs)
    fills = [str(table.cell(r, 0).fill.fore_color.rgb) for r in range(len(table.rows))]
    assert fills[0] == theme.colors["primary"]
    assert fills[1:4] == [theme.colors["background"], theme.colors["light"], theme.colors["background"]]
    assert table.first_row and table.horz_banding


def test_picture_has_the_alt_text_not_the_file_name(prs):
    talk = load(SAMPLE)
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == 1
    descr = pictures[0]._element.nvPicPr.cNvPr.get("descr")
    assert descr == talk.sections[7].image.alt
    assert ".png" not in descr


def test_core_properties_come_from_the_content(prs, sample):
    props = prs.core_properties
    assert (props.title, props.author, props.subject) == ("GenAI: LLMs vs. Foundation Models", "Ibby Rahmani",
                                                          "Explained in simple English")
    assert props.keywords.startswith("FoundationModel, LLMs, GenAI")
    assert props.language == "en" and props.last_modified_by == "Ibby Rahmani" and props.revision == 1
    assert props.comments == "" and props.created.date().isoformat() == "2026-11-28"
    package = zipfile.ZipFile(sample)
    assert "docProps/thumbnail.jpeg" not in package.namelist()
    everything = b"".join(package.read(n) for n in package.namelist())
    assert b"python-pptx" not in everything and b"Steve Canny" not in everything


def test_same_input_same_bytes_and_dates_from_source_date_epoch(sample, write_content, monkeypatch):
    assert build(SAMPLE) == sample.read_bytes()
    path = write_content(MINIMAL)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build(path)
    assert first == build(path)
    assert Presentation(io.BytesIO(first)).core_properties.created.isoformat() == "2023-11-14T22:13:20"
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(first)).infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_text_shows_in_the_case_it_was_typed(write_content):
    # The default master's Section Header sets cap="all": LibreOffice and PowerPoint showed a
    # notes-only section's title in capitals, wider than measured and unlike the slides PDF.
    path = write_content(MINIMAL + "  - title: A pause\n    notes: Only notes, so a section slide.\n")
    data = build(path)
    prs = Presentation(io.BytesIO(data))
    section = next(s for s in prs.slides if s.slide_layout.name == "Section Header")
    assert 'cap="all"' in section.slide_layout.placeholders[0]._element.xml  # what is overridden
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        slides = [z.read(n).decode() for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
    runs = [r for xml in slides for r in re.findall(r"<a:r>.*?</a:r>", xml)]
    assert runs and all('cap="none"' in r for r in runs)


def _shown_numbers(slide) -> list[tuple[int, str]]:
    """The number PowerPoint shows before each auto-numbered paragraph of ``slide`` and its
    text: a run of such paragraphs counts on from its first one's ``startAt`` (default 1)."""
    shown, number, start = [], 0, None
    for shape in slide.shapes:
        if not shape.has_text_frame:
            continue
        for para in shape.text_frame.paragraphs:
            auto = para._p.find(".//" + qn("a:buAutoNum"))
            if auto is None:
                start = None
                continue
            at = int(auto.get("startAt", "1"))
            number = at if at != start else number + 1
            start = at if at != start else start
            shown.append((number, para.text))
    return shown


def test_an_agenda_continued_on_more_slides_goes_on_counting(write_content):
    # 30 sections: the agenda takes three slides; the second said "1. Section 13".
    sections = "".join(f"  - title: Section {n}\n    points: [Point {n}]\n" for n in range(1, 31))
    prs = Presentation(io.BytesIO(build(write_content("title: Long\nauthor: Me\nsections:\n" + sections))))
    agenda = [s for s in prs.slides if s.shapes.title.text_frame.text.startswith("Agenda")]
    assert len(agenda) >= 2
    shown = [item for slide in agenda for item in _shown_numbers(slide)]
    assert shown == [(n, f"Section {n}") for n in range(1, 31)]


def test_read_text_has_slides_and_notes_in_order(sample):
    text = deck.read_text(sample).splitlines()
    assert text[0] == "GenAI: LLMs vs. Foundation Models"
    table_title = text.index("Key differences", text.index("Conclusion"))  # after the agenda
    assert table_title < text.index("Aspect") < text.index("Side by side", table_title)
    assert "Examples: GPT-4, DALL-E" in text


def test_section_layout_overrides_the_plan(write_content):
    path = write_content(MINIMAL + "    layout: quote\n    quote: {text: Wise words, by: Someone}\n")
    prs = Presentation(io.BytesIO(build(path)))
    slide = prs.slides[1]
    assert slide.shapes.title.text_frame.text == "First things"
    assert {sh.name for sh in slide.shapes} >= {"Quote panel", "Content", "Quote"}  # one slide, both parts


def test_an_unknown_layout_is_an_error_at_its_line(write_content):
    path = write_content(MINIMAL + "    layout: sideways\n")
    with pytest.raises(ContentError) as err:
        build(path)
    assert str(err.value) == (f"{path}:6: sections[0].layout: unknown layout 'sideways'; "
                              f"the layouts are: {', '.join(deck.LAYOUTS)}")


def test_continuation_slides_are_numbered_and_their_notes_say_so(overflow):
    prs = Presentation(str(overflow))
    listed = [s for s in prs.slides if s.shapes.title.text_frame.text.startswith("A list far too long")]
    count = len(listed)
    assert count > 1
    assert [s.shapes.title.text_frame.text for s in listed] == \
        [f"A list far too long for one slide ({i}/{count})" for i in range(1, count + 1)]
    assert listed[0].notes_slide.notes_text_frame.text.startswith("Read these quickly.")
    assert "Continued from the previous slide" in listed[1].notes_slide.notes_text_frame.text
    table_slides = [s for s in prs.slides if s.shapes.title.text_frame.text.startswith("A tall table")]
    assert len(table_slides) > 1
    for slide in table_slides:
        table = next(sh for sh in slide.shapes if sh.has_table).table
        assert [c.text for c in table.rows[0].cells] == ["Name", "Description", "Value"]
    text = deck.read_text(overflow)
    assert all(f"Row {i}\n" in text for i in range(40))


def master_file(tmp_path: Path, rename: dict[str, str], suffix: str) -> Path:
    """A user's master: python-pptx's template with layouts renamed, saved as .pptx or .potx."""
    prs = Presentation()
    for layout in prs.slide_layouts:
        layout.name = rename.get(layout.name, layout.name)
    buffer = io.BytesIO()
    prs.save(buffer)
    data = buffer.getvalue()
    if suffix == ".potx":
        data = package.as_presentation(data)  # normalise first, then retype as a template
        source = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for name in source.namelist():
                content = source.read(name)
                if name == "[Content_Types].xml":
                    content = content.replace(package.PRESENTATION_TYPE, package.TEMPLATE_TYPE)
                target.writestr(name, content)
        data = out.getvalue()
    path = tmp_path / f"brand{suffix}"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("suffix", [".pptx", ".potx"])
def test_a_users_master_is_used_by_layout_name(tmp_path, suffix):
    master = master_file(tmp_path, {"Title and Content": "bullets"}, suffix)
    prs = Presentation(io.BytesIO(build(SAMPLE, master=master)))
    assert prs.slides[2].slide_layout.name == "bullets"
    assert prs.slide_width == Presentation(str(master) if suffix == ".pptx" else None).slide_width
    body = [sh for sh in prs.slides[2].placeholders if sh.placeholder_format.type == PP_PLACEHOLDER.OBJECT]
    assert body and body[0].text_frame.paragraphs[0].runs[0].text.startswith("Both terms")


def test_a_master_without_a_needed_layout_lists_the_layouts_it_has(tmp_path):
    master = master_file(tmp_path, {"Title Only": "Plain"}, ".pptx")
    with pytest.raises(ContentError) as err:
        build(SAMPLE, master=master)
    message = str(err.value)
    assert "layout 'table' needs a layout named 'table' or 'Title Only'" in message
    assert "'Plain'" in message and "'Title Slide'" in message
    # every layout the plan needs and the master lacks, each once, in one run
    lacking = [re.match(r"layout '(\w+)'", p.message).group(1) for p in err.value.problems]
    assert sorted(lacking) == ["closing", "compare", "image", "quote", "table"]


def test_a_master_that_is_not_a_powerpoint_file_is_named_as_such(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "brand.pptx").write_text("a master saved as text", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        build(SAMPLE, master=Path("brand.pptx"))
    assert str(err.value) == ("brand.pptx: master: is not a PowerPoint file: a .pptx or .potx is a zip archive, "
                              "and this is not one; save your master from PowerPoint as .pptx or .potx")


@pytest.fixture(scope="module")
def overflow(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("overflow") / "overflow.pptx"
    out.write_bytes(build(FIXTURES / "overflow.yaml"))
    return out


# -- what LibreOffice draws: every word of every slide, on the slide -------------------------

@pytest.fixture(scope="module")
def listings(tmp_path_factory) -> Path:
    """A talk with three code listings (wrapped lines, a continued listing, tabs)."""
    out = tmp_path_factory.mktemp("listings") / "listings.pptx"
    out.write_bytes(build(Path(__file__).parent / "fixtures" / "code" / "retrieval-in-three-languages.yaml"))
    return out


@pytest.fixture(scope="module")
def drawn(sample, overflow, listings, tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """The sample, overflow and code decks as LibreOffice draws them: {name: (pptx, pdf)}.
    All in one soffice call (its start-up is the slow part)."""
    soffice = require_tool("soffice")
    folder = tmp_path_factory.mktemp("drawn")
    decks = (sample, overflow, listings)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile",
                    "--convert-to", "pdf", "--outdir", str(folder), *map(str, decks)],
                   check=True, capture_output=True, timeout=240)
    return {pptx.stem: (pptx, folder / f"{pptx.stem}.pdf") for pptx in decks}


def test_libreoffice_renders_no_character_outside_the_slide(drawn):
    """Every word's box from ``pdftotext -bbox`` must lie inside its page (a word that
    straddles an edge is cut off there)."""
    pdftotext = require_tool("pdftotext")
    for name, (pptx, pdf) in drawn.items():
        html = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], check=True, capture_output=True,
                              text=True).stdout
        pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S)
        assert len(pages) == len(Presentation(str(pptx)).slides)
        words = 0
        for width, height, body in pages:
            for x0, y0, x1, y1, word in re.findall(
                    r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>', body):
                words += 1
                assert 0 <= float(x0) and float(x1) <= float(width) + 0.5, (name, word)
                assert 0 <= float(y0) and float(y1) <= float(height) + 0.5, (name, word)
        assert words > 100


def words_of(text: str) -> list[str]:
    """The words of ``text``, compatibility-normalised (ligatures) and casefolded."""
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())


def slide_words(slide) -> list[str]:
    """Every word the .pptx puts on ``slide``: text boxes, placeholders and table cells
    (not the notes)."""
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        elif getattr(shape, "has_table", False) and shape.has_table:
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return words_of("\n".join(texts))


def drawn_words(pdf: Path) -> list[list[str]]:
    """Per page, the words drawn inside the page's box (PDFium, bounded to the page: a
    character whose origin lies outside the page is not on the slide)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        out = []
        for page in document:
            width, height = page.get_size()
            out.append(words_of(page.get_textpage().get_text_bounded(0, 0, width, height)))
        return out
    finally:
        document.close()


def not_drawn(expected: list[str], drawn: list[str]) -> list[str]:
    """The words of ``expected`` that ``drawn`` lacks, repeats counted. A word LibreOffice
    broke over two lines (inside a URL longer than its line, say) is two pieces in
    ``drawn``: the words left over on each side are matched again with the pieces run
    together, longest word first."""
    want, have = Counter(expected), Counter(drawn)
    both = want & have
    used: Counter = Counter()
    pieces = []
    for word in drawn:
        if used[word] < both[word]:
            used[word] += 1
        else:
            pieces.append(word)
    run_together = "".join(pieces)
    missing = []
    for word in sorted((want - both).elements(), key=len, reverse=True):
        at = run_together.find(word)
        if at < 0:
            missing.append(word)
        else:
            run_together = run_together[:at] + "\0" + run_together[at + len(word):]
    return missing


@pytest.mark.parametrize("expected, drawn, missing", [
    ("a b a", "a b a", ""),
    ("a b a", "b a", "a"),  # repeats count
    ("Row 9 Row 10", "Row 9 Row 1", "10"),
    # a URL longer than its line, broken inside "segment" by LibreOffice
    ("see example.org/a-long-path-segment/x for", "see example.org/a-long-path-s egment/x for", ""),
    ("segment words", "s egment", "words"),
])
def test_not_drawn_counts_repeats_and_joins_words_broken_over_lines(expected, drawn, missing):
    assert not_drawn(words_of(expected), words_of(drawn)) == words_of(missing)


def test_libreoffice_draws_every_word_of_every_slide(drawn):
    """Text that runs off a slide is invisible to text extraction (and so to parity and the
    bounding-box test) unless a character straddles the edge: compare, slide by slide, the
    words in the .pptx with the words LibreOffice draws on the page."""
    for name, (pptx, pdf) in drawn.items():
        slides = Presentation(str(pptx)).slides
        pages = drawn_words(pdf)
        assert len(pages) == len(slides), name
        total = 0
        for number, (slide, page) in enumerate(zip(slides, pages), 1):
            expected = slide_words(slide)
            total += len(expected)
            missing = not_drawn(expected, page)
            assert not missing, (f"{name}, slide {number}: {len(missing)} of {len(expected)} words are not drawn "
                                 f"on the slide: {' '.join(missing[:12])}")
        assert total > 300, name


@pytest.mark.parametrize("which", ["sample", "overflow"])
def test_parity_finds_every_piece_even_across_continuation_slides(which, sample, overflow):
    from triptych import parity

    source, built = (SAMPLE, sample) if which == "sample" else (FIXTURES / "overflow.yaml", overflow)
    check = parity.check_output(load(source), "deck", built)
    assert check.problems == [] and check.found == check.expected > 50


def outline(presentation) -> str:
    """The deck as a reviewer reads it: per slide its layout, then each shape in reading
    order (text with its runs' bold/italic/code/link marks, table rows, picture alt text),
    then its notes. Positions and colours are left to the LibreOffice test and the eye."""

    def marked(paragraph) -> str:
        out = []
        for run in paragraph.runs:
            text = run.text
            if run.font.bold:
                text = f"**{text}**"
            if run.font.italic:
                text = f"_{text}_"
            if run.font.name and "Mono" in run.font.name or run.font.name == "Consolas":
                text = f"`{text}`"
            if run.hyperlink.address:
                text = f"[{text}]({run.hyperlink.address})"
            out.append(text)
        return "".join(out).replace("\v", " / ")

    lines = []
    for number, slide in enumerate(presentation.slides, 1):
        lines.append(f"== slide {number}: {slide.slide_layout.name}")
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    if paragraph.text.strip():
                        lines.append("  " * (paragraph.level + 1) + marked(paragraph))
            elif getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    lines.append("  | " + " | ".join(cell.text for cell in row.cells) + " |")
            elif shape.shape_type is not None and shape.shape_type == 13:  # a picture
                lines.append(f"  [picture: {shape._element.nvPicPr.cNvPr.get('descr')}]")
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip():
            lines.append("  notes: " + " / ".join(p.text for p in slide.notes_slide.notes_text_frame.paragraphs if p.text))
    return "\n".join(lines) + "\n"


def test_sample_deck_matches_golden(prs):
    text = outline(prs)
    if os.environ.get("TRIPTYCH_REGEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), (
        "the sample deck changed; if intended, run: TRIPTYCH_REGEN=1 python -m pytest -k golden")


def private_xml_uses(source: str) -> list[str]:
    """Where ``source`` reaches into python-pptx's XML: an import of its oxml or of lxml, or
    an underscore attribute of anything but ``self`` (``shape._element``, ``paragraph._p``)."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            found += [f"{node.lineno}: import {n}" for n in names if n.startswith(("pptx.oxml", "lxml"))]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if not (isinstance(node.value, ast.Name) and node.value.id == "self"):
                found.append(f"{node.lineno}: .{node.attr}")
    return found


def test_only_the_ooxml_module_touches_python_pptx_xml():
    modules = sorted(Path(deck.__file__).parent.glob("*.py"))
    assert [m.name for m in modules if private_xml_uses(m.read_text(encoding="utf-8"))] == ["ooxml.py"]
    planted = "shape._element.getparent()\nfrom pptx.oxml.ns import qn\nimport lxml.etree\nself._cache = {}\n"
    assert sorted(private_xml_uses(planted)) == ["1: ._element", "2: import pptx.oxml.ns", "3: import lxml.etree"]


LONG_SUMMARY = """
title: A talk with a lot to say
author: {name: Ada Lovelace, role: Engineer, url: "https://example.org/ada"}
tags: [VectorDB, Embeddings, Search, ANN, HNSW, Quantisation, Recall, Latency]
summary: |
  Vector databases store embeddings and answer nearest-neighbour queries fast. This talk explains how they work,
  from the models that turn text into vectors to the indexes that make search fast.
  """ + " ".join(["We cover one more topic in some detail, with examples and measurements."] * 40) + """

  A second paragraph the closing slide never shows.
sections:
  - title: Embeddings
    points: [Text becomes vectors]
"""


def test_the_closing_slide_is_one_slide_with_an_excerpt_author_and_tags(write_content):
    path = write_content(LONG_SUMMARY)
    presentation = Presentation(io.BytesIO(build(path)))
    assert titles(presentation)[-2:] == ["Embeddings", "Thank you"]  # not "Thank you (1/6)" ...
    closing = "\n".join(s.text_frame.text for s in presentation.slides[-1].shapes if s.has_text_frame)
    assert ("Vector databases store embeddings and answer nearest-neighbour queries fast. This talk explains "
            "how they work, from the models that turn text into vectors to the indexes that make search fast.") in closing
    assert "We cover one more topic" not in closing and "second paragraph" not in closing
    assert "Ada Lovelace" in closing and "#VectorDB  #Embeddings" in closing and "#Latency" in closing


LONG_TITLE = ("Vector databases in production: how similarity search really works at scale, from the embedding models "
              "that turn text into vectors to the approximate indexes, quantisation tricks, hybrid keyword search and "
              "filtering strategies that make it fast enough for real users at scale")


def laid_out(path: Path, theme_file: Path = TEMPLATES / "theme.yaml"):
    from triptych.slides.layout import lay_out_talk

    return lay_out_talk(load(path), Context(TEMPLATES, load_theme(theme_file), {}, lambda message: None))


def test_a_long_title_shortens_the_footer_with_an_ellipsis_at_a_readable_size(write_content):
    path = write_content(MINIMAL.replace("title: A small talk", f'title: "{LONG_TITLE}"'))
    slides = laid_out(path)
    book = fit.FontBook(load_theme(TEMPLATES / "theme.yaml"))
    for slide in slides[1:]:
        [footer] = [s for s in slide.shapes if getattr(s, "name", "") == "Footer"]
        [para] = footer.paras
        assert para.size >= 9.0  # readable across a room; it fell to 6
        text = "".join(span.text for span in para.spans)
        assert text.endswith("\u2026 \u00b7 Ada Lovelace") and LONG_TITLE.startswith(text.split("\u2026")[0])
        assert fit.total_height([para], footer.box.w, book) <= para.size * fit.LINE * 1.05  # one line
    # A title that fits is left whole.
    [footer] = [s for s in laid_out(write_content(MINIMAL))[1].shapes if getattr(s, "name", "") == "Footer"]
    assert "".join(span.text for span in footer.paras[0].spans) == "A small talk \u00b7 Ada Lovelace"


def test_a_title_too_long_for_its_box_grows_upwards_and_keeps_its_gap_above_the_rule(write_content, tmp_path):
    # A small slide: the longest title does not fit its box even at the smallest size.
    theme = tmp_path / "theme.yaml"
    theme.write_text((TEMPLATES / "theme.yaml").read_text(encoding="utf-8")
                     .replace("width: 960pt", "width: 7in").replace("height: 540pt", "height: 4.5in"), encoding="utf-8")
    path = write_content(MINIMAL.replace("- title: First things", f'- title: "{LONG_TITLE}"'))
    book = fit.FontBook(load_theme(theme))
    slide = next(s for s in laid_out(path, theme) if s.layout == "bullets")
    [rule] = [s for s in slide.shapes if getattr(s, "name", "") == "Accent rule"]
    title = slide.title
    assert fit.total_height(list(title.paras), title.box.w, book) <= title.box.h  # no line below the box
    assert rule.box.y - title.box.bottom == pytest.approx(4.0)
    assert title.box.y >= 14.0  # below the top band


def test_core_properties_of_a_title_longer_than_255_characters_are_cut_at_a_word(write_content):
    title = LONG_TITLE + " and a little more"  # 292 characters: allowed in content, too long for python-pptx
    path = write_content(MINIMAL.replace("title: A small talk", f'title: "{title}"'))
    props = Presentation(io.BytesIO(build(path))).core_properties
    assert len(props.title) <= 255 and props.title.endswith("\u2026") and title.startswith(props.title[:-1])


def test_a_theme_sets_the_cover_slides_apart_from_the_others(write_content):
    from triptych.theme import builtin_themes

    theme = load_theme(builtin_themes()["night"])
    prs = Presentation(io.BytesIO(deck.render(load(write_content(MINIMAL)), Context(TEMPLATES, theme, {}))))
    title, bullets = prs.slides[0], prs.slides[1]
    assert str(title.background.fill.fore_color.rgb) == theme.colors["cover"] != theme.colors["primary"]
    assert {str(r.font.color.rgb) for r in runs(title)} == {theme.colors["on_cover"]}
    assert str(bullets.background.fill.fore_color.rgb) == theme.colors["background"]
    assert str(bullets.shapes.title.text_frame.paragraphs[0].runs[0].font.color.rgb) == theme.colors["primary"]


def test_new_parts_are_named_as_python_pptx_names_them_without_walking_the_package(monkeypatch):
    """python-pptx names each new part (a notes page, a chart) by walking every relationship
    of the package: with a notes page per slide, a deck took time quadratic in its slides.
    ``ooxml.remember_partnames`` walks once per kind of part and hands out the same names."""
    from pptx.opc.package import OpcPackage

    from triptych.writers.deck import ooxml

    walks = []
    walk = OpcPackage.iter_parts
    monkeypatch.setattr(OpcPackage, "iter_parts", lambda self: walks.append(1) or walk(self))

    def names(remember: bool) -> tuple[list[str], int]:
        prs = Presentation()
        if remember:
            ooxml.remember_partnames(prs)
        walks.clear()
        for number in range(12):
            slide = prs.slides.add_slide(prs.slide_layouts[1])
            if number % 3:  # some slides without notes: the names still count up
                slide.notes_slide.notes_text_frame.text = f"notes {number}"
        return sorted(p.partname for p in walk(prs.part.package)), len(walks)

    (slow, walked), (fast, remembered) = names(False), names(True)
    assert fast == slow and sum("notesSlide" in n for n in fast) == 8
    assert walked >= 8 and remembered <= 2  # one walk per kind: notes pages, the notes master's theme


def test_a_deck_with_notes_and_charts_names_its_parts_as_python_pptx_alone_does(monkeypatch):
    """The same bytes with the remembered names as with python-pptx's own walks, for a
    talk whose deck has notes pages, charts and their workbooks."""
    from triptych.writers.deck import ooxml

    from pptx.opc.package import OpcPackage

    walks = []
    walk = OpcPackage.iter_parts
    monkeypatch.setattr(OpcPackage, "iter_parts", lambda self: walks.append(1) or walk(self))
    talk = load(Path(__file__).parent / "fixtures" / "charts" / "results.yaml")
    remembered = deck.render(talk, context())
    assert len(walks) <= 6  # once per kind of part, and the save; not once per notes page
    parts = zipfile.ZipFile(io.BytesIO(remembered)).namelist()
    assert any("notesSlide" in n for n in parts) and any("embeddings" in n for n in parts)
    monkeypatch.setattr(ooxml, "remember_partnames", lambda prs: None)
    assert deck.render(talk, context()) == remembered


def _paragraph(inside: str = ""):
    """A python-pptx paragraph holding ``inside`` (its properties) and an end mark."""
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls
    from pptx.text.text import _Paragraph

    return _Paragraph(parse_xml(f'<a:p {nsdecls("a")}>{inside}<a:endParaRPr lang="en-GB"/></a:p>'), None)


@pytest.mark.parametrize("inside", ["", "<a:pPr/>", '<a:pPr algn="r"><a:lnSpc><a:spcPct val="90000"/></a:lnSpc>'
                                     "<a:buNone/></a:pPr>"])
@pytest.mark.parametrize("text", ["Plain words", "a bell \x07 rings", "\u0627\u0644\u0646\u0645\u0627\u0630\u062c"])
def test_spacing_and_runs_copied_are_the_xml_python_pptx_writes(inside, text):
    """The deck writes a paragraph's spacing and its runs by copying what python-pptx's
    setters made for the first of their kind (``ooxml.set_spacing``, ``ooxml.add_run``):
    the copies are the very XML the setters write, control characters escaped as they
    escape them, properties already there replaced as they replace them, and each copy
    its own element."""
    from lxml import etree
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    from triptych.writers.deck import ooxml

    def look(run):
        run.font.name = "Carlito"
        run.font.size = Pt(18.5)
        run.font.bold = True
        run.font.color.rgb = RGBColor.from_string("1F3A5F")
        ooxml.set_language(run, "en-GB")
        ooxml.set_as_typed(run)

    made, copied = _paragraph(inside), _paragraph(inside)
    made.line_spacing, made.space_before, made.space_after = Pt(22.2), Pt(9.9), Pt(0)
    for piece in (text, text + " again"):
        run = made.add_run()
        run.text = piece
        look(run)
    ooxml.set_spacing(copied, Pt(22.2), Pt(9.9), Pt(0))
    for piece in (text, text + " again"):
        ooxml.add_run(copied, piece, ("test look", text), look)
    assert etree.tostring(copied._p) == etree.tostring(made._p)
    copied._p.r_lst[0].text = "changed"  # a copy, not the remembered run: the next is as made
    ooxml.add_run(copied, "next", ("test look", text), look)
    assert [r.text for r in copied._p.r_lst][::2] == ["changed", "next"]
