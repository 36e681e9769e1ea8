"""The handout writer: the PDF read back with pypdf (text, metadata, tags, fonts), the
layout promises (cards never split, long tables repeat their header, no hyphenation),
paper sizes, escaping, the sandbox and glyph checks in place, and reproducibility.

The sample is rendered once per module (WeasyPrint takes seconds); small talks cover
the rest. The golden HTML in tests/golden/handout/ is regenerated, like every golden
text, with

    TRIPTYCH_REGEN=1 python -m pytest -k golden
"""

from __future__ import annotations

import gc
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from triptych import markup, parity
from triptych.errors import ContentError
from triptych.loader import load
from triptych.theme import load_theme
from triptych.writers import Context
from triptych.writers import handout

from conftest import MINIMAL, ROOT, SAMPLE, TEMPLATES, require_tool

GOLDEN_HTML = ROOT / "tests" / "golden" / "handout" / "llms-vs-foundation-models.html"


def context(paper: str | None = None, templates: Path = TEMPLATES, warnings: list | None = None) -> Context:
    theme = load_theme(templates / "theme.yaml", paper)
    return Context(templates, theme, {}, (warnings if warnings is not None else []).append)


def build(path: Path, out: Path, **kw) -> Path:
    talk = load(path)
    target = out / f"{talk.slug}.pdf"
    target.write_bytes(handout.render(talk, context(**kw)))
    return target


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample's talk, its PDF path, and its PdfReader (built once)."""
    out = tmp_path_factory.mktemp("handout")
    talk = load(SAMPLE)
    data = handout.render(talk, context())
    path = out / "sample.pdf"
    path.write_bytes(data)
    return talk, path, PdfReader(str(path)), data


def page_texts(reader: PdfReader) -> list[str]:
    return [parity.normalise(page.extract_text()) for page in reader.pages]


# -- text read back ----------------------------------------------------------------------

def test_every_piece_the_parity_table_promises_is_in_the_pdf(sample):
    talk, path, _, _ = sample
    result = parity.check_output(talk, "handout", path)
    assert result.expected > 100
    assert result.problems == []


def test_notes_follow_a_talking_points_label_after_their_card(sample):
    talk, path, _, _ = sample
    text = parity.normalise(handout.read_text(path))
    for section in talk.sections_in("handout"):
        if not section.notes:
            continue
        # A slide card's boxes are positioned, so PDFium reads them after the page's prose:
        # look for the label from the section's first words in the flow (body, else notes).
        first_note = parity.normalise(markup.blocks(section.notes)[0].plain)
        flow = parity.normalise(markup.blocks(section.body or section.notes)[0].plain)
        at_flow = text.index(flow[:60])
        at_label = text.index("talking points", at_flow if section.body else 0)
        assert at_label < text.index(first_note[:60], at_label), section.title


def test_table_cells_and_header_are_text(sample):
    talk, path, _, _ = sample
    text = parity.normalise(handout.read_text(path))
    table = next(s.table for s in talk.sections if s.table)
    for cell in (*table.columns, *(c for row in table.rows for c in row)):
        assert parity.find(parity.normalise(markup.to_plain(cell)), text), cell


def test_cover_and_closing_page(sample):
    talk, _, reader, _ = sample
    pages = page_texts(reader)
    cover, closing = pages[0], pages[-1]
    for words in (talk.title, talk.subtitle, talk.author.name, talk.author.role, "28 november 2026"):
        assert parity.normalise(words) in cover
    assert parity.normalise(markup.blocks(talk.summary)[0].plain)[:80] in cover
    assert parity.normalise(talk.source.title) in closing
    for tag in talk.tags:
        assert parity.find(parity.normalise(tag), closing), tag


def test_running_header_and_page_n_of_n_footer(sample):
    talk, _, reader, _ = sample
    pages = page_texts(reader)
    total = len(pages)
    assert total >= 3
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {total}" in text
    # the cover shows the title as its heading, every other page as the running header
    for text in pages[1:]:
        assert text.startswith(parity.normalise(talk.title)) or parity.normalise(talk.title) in text


def test_a_long_title_runs_as_a_header_of_one_line(tmp_path, write_content):
    # Ellipsized by the stylesheet (the text layer keeps the whole title, clipped): every
    # character in the top margin of a page after the cover sits on one line.
    import pypdfium2 as pdfium

    title = ("A very long title for a talk about large language models and foundation models "
             "that keeps going well past the width of a single running header line")
    path = write_content(f'title: "{title}"\nauthor: Ana Lima\nsections:\n  - title: One\n    points: [a]\n')
    page = pdfium.PdfDocument(build(path, tmp_path))[1]
    chars = page.get_textpage()
    margin = handout.MARGIN_MM["top"] * 72 / 25.4
    boxes = [chars.get_charbox(i, loose=True) for i in range(chars.count_chars())
             if not chars.get_text_range(i, 1).isspace()]
    header_lines = {round(bottom) for _, bottom, _, _ in boxes if bottom > page.get_height() - margin}
    assert len(header_lines) == 1


# -- accessibility and metadata ----------------------------------------------------------

def test_metadata(sample):
    talk, _, reader, _ = sample
    meta = reader.metadata
    assert meta["/Title"] == talk.title
    assert meta["/Author"] == talk.author.name
    assert meta["/Subject"] == talk.subtitle
    assert meta["/Keywords"] == ", ".join(talk.tags)
    assert meta["/CreationDate"] == "D:20261128" == meta["/ModDate"]


def _structure_types(node, out: list, alts: dict) -> None:
    node = node.get_object()
    if isinstance(node, dict) or hasattr(node, "keys"):
        if "/S" in node:
            out.append(str(node["/S"]))
            if "/Alt" in node:
                alts.setdefault(str(node["/S"]), []).append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in (kids if isinstance(kids, list) else [kids]):
                if hasattr(kid, "get_object") or isinstance(kid, dict):
                    _structure_types(kid, out, alts)


def test_tagged_pdf_with_language_headings_and_alt_text(sample):
    talk, _, reader, _ = sample
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"].value is True
    types: list[str] = []
    alts: dict = {}
    _structure_types(root["/StructTreeRoot"], types, alts)
    assert types.count("/H1") == 1
    assert types.count("/H2") >= len(talk.sections_in("handout"))
    assert "/H3" in types and "/Table" in types and "/L" in types
    image = next(s.image for s in talk.sections if s.image)
    assert alts.get("/Figure") == [image.alt]
    # PDF/UA identification in the XMP metadata
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()


def test_every_font_is_embedded(sample):
    _, _, reader, _ = sample
    fonts = {}
    for page in reader.pages:
        for name, ref in page["/Resources"]["/Font"].items():
            fonts[name] = ref.get_object()
    assert fonts
    for name, font in fonts.items():
        descriptors = [font.get("/FontDescriptor")] + [
            d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])]
        descriptors = [d.get_object() for d in descriptors if d is not None]
        assert descriptors, name
        assert all({"/FontFile", "/FontFile2", "/FontFile3"} & set(d.keys()) for d in descriptors), name


# -- layout ------------------------------------------------------------------------------

def test_a_card_is_never_split_across_pages(sample):
    talk, _, reader, _ = sample
    pages = page_texts(reader)
    for section in talk.sections_in("handout"):
        title = parity.normalise(markup.to_plain(section.title))
        on = [i for i, text in enumerate(pages) if title in text and i > 0]
        assert on, section.title
        card_page = pages[on[0]]
        for point in section.points:
            assert parity.normalise(markup.to_plain(point.text)) in card_page, (section.title, point.text)
            for sub in point.points:
                assert parity.normalise(markup.to_plain(sub.text)) in card_page, (section.title, sub.text)


def test_a4_by_default_and_letter_by_option(tmp_path, write_content):
    a4 = PdfReader(str(build(write_content(MINIMAL), tmp_path)))
    assert [round(float(v)) for v in a4.pages[0].mediabox[2:]] == [595, 842]
    (tmp_path / "letter").mkdir()
    letter = PdfReader(str(build(write_content(MINIMAL), tmp_path / "letter", paper="Letter")))
    assert [round(float(v)) for v in letter.pages[0].mediabox[2:]] == [612, 792]


def test_a_long_table_continues_over_slide_cards_repeating_its_header(tmp_path, write_content):
    rows = "\n".join(f'          - ["Row {i:02d}", "left value {i}", "right value {i}"]' for i in range(70))
    path = write_content(f"""
    title: Long table
    author: {{name: Ada}}
    sections:
      - title: Many rows
        table:
          columns: [Name, Leftcolumnheader, Rightcolumnheader]
          rows:
{rows}
    """)
    reader = PdfReader(str(build(path, tmp_path)))
    pages = page_texts(reader)
    with_rows = [t for t in pages if re.search(r"row \d\d", t)]
    assert len(with_rows) >= 2
    assert all("leftcolumnheader" in t for t in with_rows)
    text = " ".join(pages)
    assert all(f"row {i:02d}" in text for i in range(70))
    # As on the deck's continuation slides: "Many rows (1/7)" ... "(7/7)".
    assert "many rows (1/" in text and re.search(r"many rows \((\d+)/\1\)", text)


def test_no_hyphenation_splits_a_word(tmp_path, write_content):
    word = "Donaudampfschifffahrtsgesellschaftskapitänskajüte"
    body = " ".join(["Der", word, "und", "Rechtsschutzversicherungsgesellschaften"] * 30)
    path = write_content(f"""
    title: Lange Wörter
    lang: de
    author: {{name: Ada}}
    sections:
      - title: Wörter
        body: {body}
    """)
    text = handout.read_text(build(path, tmp_path))
    assert text.count(word) == 30
    assert text.count("Rechtsschutzversicherungsgesellschaften") == 30


# -- content is data ---------------------------------------------------------------------

def test_raw_html_in_content_is_printed_not_obeyed(tmp_path, write_content):
    path = write_content("""
    title: "<b>Bold</b> & <i>co</i>"
    author: {name: "Eve <script>"}
    sections:
      - title: "<link rel=attachment href=file:///etc/passwd>"
        points: ['<img src="https://example.org/x.png">', "<a rel=attachment href=/etc/hostname>x</a>"]
    """)
    reader = PdfReader(str(build(path, tmp_path)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "<b>Bold</b> & <i>co</i>" in text
    assert "<link rel=attachment href=file:///etc/passwd>" in text
    assert '<img src="https://example.org/x.png">' in text
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    assert reader.metadata["/Author"] == "Eve <script>"


def templates_fetching_passwd(folder: Path) -> Path:
    """A copy of the templates whose handout page links /etc/passwd as an attachment."""
    templates = folder / "templates"
    shutil.copytree(TEMPLATES, templates)
    page = templates / "handout.html.j2"
    page.write_text(page.read_text().replace("</head>", '<link rel="attachment" href="file:///etc/passwd">\n</head>'))
    return templates


def test_a_template_that_fetches_outside_the_sandbox_is_a_content_error(tmp_path, write_content):
    templates = templates_fetching_passwd(tmp_path)
    path = write_content(MINIMAL)
    with pytest.raises(ContentError) as err:
        handout.render(load(path), context(templates=templates))
    message = str(err.value)
    assert message.startswith(f"{load(path).path}: handout: refused to fetch 'file:///etc/passwd'")
    assert "outside" in message


def test_the_garbage_collector_is_back_as_it_was_after_a_render_that_worked_or_failed(tmp_path, write_content):
    templates = templates_fetching_passwd(tmp_path)
    path = write_content(MINIMAL)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    handout.render(load(path), context())
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with pytest.raises(ContentError):
        handout.render(load(path), context(templates=templates))
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()  # a caller that turned it off keeps it off
    try:
        handout.render(load(path), context())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_rendering_many_handouts_in_one_process_does_not_pile_up_garbage(write_content):
    # Each render leaves its document as garbage in the oldest generation; the next
    # render must collect it (a 50-file build in one process grew to 589 MiB when it did
    # not). Without that, each render of this small talk leaves about 500 objects more.
    talk = load(write_content(MINIMAL))
    tracked = []
    for _ in range(4):
        handout.render(talk, context())
        tracked.append(len(gc.get_objects()))
    assert tracked[3] - tracked[1] < 250, tracked


def test_a_section_moved_to_the_next_page_does_not_lay_its_slide_out_again(monkeypatch):
    # A section that does not fit on the rest of a page is laid out there, then again on
    # the next. Its slide cards' boxes were laid out with their slide (their containing
    # block when the slide was positioned), in both tries: the sample's 115 boxes took 220
    # layouts. Placed from an unpositioned slide, they are laid out with the page, once;
    # but with "break-after: avoid" on a card WeasyPrint gave such a section up whole and
    # still laid out, at the end of the page it left, the boxes it had placed there (164;
    # at 100 sections, 1,928 layouts for 1,090 boxes). Every box is laid out once.
    import weasyprint.layout.absolute as absolute

    from triptych import weasy

    weasy.load()
    laid = []
    original = absolute.absolute_box_layout
    monkeypatch.setattr(absolute, "absolute_box_layout",
                        lambda context, box, *args: laid.append(box.element) or original(context, box, *args))
    talk = load(SAMPLE)
    views, slides_css = handout.cards(talk, context())
    placed = sum(str(card).count(' class="tp-' + kind) for view in views for card in view.slides
                 for kind in ("box", "rect", "picture", "bullet"))
    pdf = handout.render(talk, context())
    assert placed > 100 and len(laid) == len(set(map(id, laid))) == placed, (len(laid), placed)
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 8  # sections did move to the next page


def test_a_rendered_documents_garbage_is_young(write_content):
    # The next render collects the last one's garbage with a young collection (a full one
    # walks every module: about 40 ms of the second PDF a build worker renders), so the
    # document must be left in the young generations, not promoted to the oldest one.
    talk = load(write_content(MINIMAL))
    handout.render(talk, context())
    gc.collect()
    handout.render(talk, context())
    young, rest = gc.collect(1), gc.collect()
    assert young > 300 and rest < young / 5, (young, rest)  # about 580 and 40 here


def test_a_character_no_font_has_fails_the_build_naming_field_and_line(tmp_path, write_content):
    path = write_content("""
    title: Glyphs
    author: {name: Ada}
    sections:
      - title: Fine
        points: [Fine, "Boxes \ue000 here"]
    """)
    with pytest.raises(ContentError) as err:
        handout.render(load(path), context())
    assert str(err.value).startswith(f"{load(path).path}:5: sections[0].points[1]: no installed font can draw U+E000")


def test_cjk_text_is_drawn_when_a_cjk_font_is_installed(tmp_path, write_content):
    from triptych import glyphs

    if "\u65e5" not in glyphs.coverage():
        # scripts/install-test-deps.sh installs one, so under CI a skip would hide a broken install
        (pytest.fail if os.environ.get("CI") else pytest.skip)("no CJK font installed (apt-get install fonts-noto-cjk)")
    path = write_content("""
    title: 日本語のハンドアウト
    lang: ja
    author: {name: 山田太郎}
    sections:
      - title: 基盤モデル
        points: [大規模言語モデルは基盤モデルの一種です]
    """)
    warnings: list[str] = []
    target = tmp_path / "ja.pdf"
    target.write_bytes(handout.render(load(path), context(warnings=warnings)))
    text = handout.read_text(target)
    assert "大規模言語モデルは基盤モデルの一種です" in text
    assert "基盤モデル" in text and warnings == []


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), min_size=1, max_size=60))
def test_any_title_reaches_the_html_as_text(title):
    from html.parser import HTMLParser

    from triptych.model import Author, Section, Talk

    talk = Talk(path="t.yaml", base_dir=ROOT / "content", slug="t", title=title,
                author=Author(title), sections=(Section(0, "S", "s"),))
    found: dict[str, list] = {"title": [], "h1": [], "elements": []}

    class Reader(HTMLParser):
        current = None

        def handle_starttag(self, tag, attrs):
            found["elements"].append(tag)
            self.current = tag if tag in ("title", "h1") else None

        def handle_endtag(self, tag):
            self.current = None

        def handle_data(self, data):
            if self.current:
                found[self.current].append(data)

    reader = Reader(convert_charrefs=True)
    reader.feed(handout.html(talk, context()))
    assert "".join(found["title"]) == title
    assert "".join(found["h1"]) == title
    assert not {"script", "img", "link", "a"} & set(found["elements"])


# -- reproducibility ---------------------------------------------------------------------

def test_same_content_gives_identical_bytes(sample):
    talk, _, _, first = sample
    assert handout.render(talk, context()) == first


def test_dates_come_from_source_date_epoch_when_the_talk_has_none(tmp_path, write_content, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = write_content(MINIMAL)
    one = handout.render(load(path), context())
    two = handout.render(load(path), context())
    assert one == two
    target = tmp_path / "m.pdf"
    target.write_bytes(one)
    assert PdfReader(str(target)).metadata["/CreationDate"].startswith("D:20231114221320")


def test_no_dates_at_all_without_a_talk_date_or_source_date_epoch(tmp_path, write_content, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    target = build(write_content(MINIMAL), tmp_path)
    assert "/CreationDate" not in PdfReader(str(target)).metadata


def test_importing_the_writer_does_not_import_weasyprint():
    code = "import sys, triptych.writers.handout, triptych.sandbox, triptych.glyphs; print('weasyprint' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- golden HTML and a look at the pages -------------------------------------------------

def sample_html() -> str:
    html = handout.html(load(SAMPLE), context())
    # the image URL is absolute, so it depends on where the repository is checked out
    return html.replace((ROOT / "content").resolve().as_uri(), "file:///CONTENT")


def test_sample_html_matches_golden():
    if os.environ.get("TRIPTYCH_REGEN"):
        GOLDEN_HTML.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN_HTML.write_text(sample_html(), encoding="utf-8")
    assert GOLDEN_HTML.read_text(encoding="utf-8") == sample_html(), (
        "the handout HTML changed; if intended, run: TRIPTYCH_REGEN=1 python -m pytest -k golden")


def test_pages_render_to_images(sample, tmp_path):
    pdftoppm = require_tool("pdftoppm")
    _, path, reader, _ = sample
    subprocess.run([pdftoppm, "-png", "-r", "20", "-f", "1", "-l", "2", str(path), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == 2 and all(p.stat().st_size > 1000 for p in images)



def _section_talk(sections: list[tuple[int, int]]) -> str:
    """A talk whose section ``i`` has three points, ``body`` words of prose and ``notes``
    paragraphs of talking points; each section's words are marked so its pages can be found."""
    out = ["title: Keeping things together", "author: Ada Lovelace", "sections:"]
    for i, (body, notes) in enumerate(sections, 1):
        out += [f"  - title: Part{i} heading", "    points: [First point here, Second point here, Third point here]"]
        if body:
            out.append(f"    body: Body{i}start " + "prose words to fill the page " * (body // 6) + f"Body{i}end.")
        paragraphs = [f"Notes{i}p{k} " + "what to say about it here " * 8 for k in range(notes)]
        paragraphs[0] = f"Notes{i}start " + paragraphs[0]
        paragraphs[-1] += f" Notes{i}end."
        out.append("    notes: |\n" + "\n\n".join("      " + p for p in paragraphs))
    return "\n".join(out) + "\n"


def _pages_of(pages: list[str], marker: str) -> list[int]:
    return [i for i, text in enumerate(pages) if marker.lower() in text]


def _kept_together(pages: list[str], sections: int) -> list[str]:
    """What breaks the rules for keeping a section together, one line per section: a
    section is split across pages only when it starts at the top of one (so it is longer
    than a page), and its talking points are never split, their heading above them."""
    broken = []
    for i in range(1, sections + 1):
        [card] = _pages_of(pages, f"Part{i} heading")
        start, end = _pages_of(pages, f"Notes{i}start"), _pages_of(pages, f"Notes{i}end")
        if start != end or len(start) != 1:
            broken.append(f"section {i}: talking points split over pages {start} to {end}")
            continue
        label = pages[start[0]].find("talking points")
        if not 0 <= label < pages[start[0]].find(f"notes{i}start"):
            broken.append(f"section {i}: 'Talking points' is not above its notes on page {start[0] + 1}")
        # At the top of its page when nothing of the section before it is on that page (the
        # card's boxes are positioned, so a PDF's text may list them after the page's prose).
        at_top = i == 1 or f"notes{i - 1}end" not in pages[card]
        if start[0] != card and not at_top:
            broken.append(f"section {i}: card on page {card + 1}, talking points on page {start[0] + 1}, "
                          "though the section began mid-page")
    return broken


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_talking_points_stay_with_their_card_where_they_fit_on_a_page(tmp_path, write_content, paper):
    # Sections of about a page: split at Letter size before the handout kept them together
    # (card on one page, talking points on the next, the section having begun mid-page).
    sections = [(250, 2), (150, 1), (300, 3), (200, 4), (300, 2), (200, 2), (200, 3)]
    path = write_content(_section_talk(sections))
    pages = page_texts(PdfReader(str(build(path, tmp_path, paper=paper))))
    assert _kept_together(pages, len(sections)) == []


def test_a_section_longer_than_a_page_keeps_its_talking_points_whole_under_their_heading(tmp_path, write_content):
    sections = [(900, 2), (1400, 3), (1100, 2)]
    pages = page_texts(PdfReader(str(build(write_content(_section_talk(sections)), tmp_path, paper="Letter"))))
    assert _kept_together(pages, len(sections)) == []


def test_a_section_of_a_card_alone_stays_on_its_page_when_the_next_one_does_not_fit(tmp_path, write_content):
    # A card with nothing after it in its section gave the section its "keep with what
    # follows": it went over to the next page with the section after it when that one did
    # not fit, leaving room for it blank. A page holds a card with a line of talking
    # points and a card alone, not a third card.
    path = write_content("""
        title: Cards alone
        author: {name: Ada}
        sections:
          - {title: First card, points: [One, Two], notes: A line of talking points.}
          - {title: Second card, points: [Three, Four]}
          - {title: Third card, points: [Five, Six]}
        """)
    pages = page_texts(PdfReader(str(build(path, tmp_path))))
    assert [_pages_of(pages, f"{n} card") for n in ("first", "second", "third")] == [[1], [1], [2]]


# -- the compact layout ------------------------------------------------------------------

def compact_context(**kw) -> Context:
    return Context(TEMPLATES, load_theme(TEMPLATES / "theme.yaml", kw.get("paper")), {"handout_layout": "compact"},
                   lambda message: None)


@pytest.fixture(scope="module")
def compact(tmp_path_factory):
    """The sample's compact handout: its path and PdfReader."""
    path = tmp_path_factory.mktemp("compact") / "sample.pdf"
    path.write_bytes(handout.render(load(SAMPLE), compact_context()))
    return path, PdfReader(str(path))


def test_the_compact_handout_takes_about_half_the_pages(sample, compact):
    notes_pages, compact_pages = len(sample[2].pages), len(compact[1].pages)
    assert compact_pages <= notes_pages * 0.55, (compact_pages, notes_pages)


def test_compact_cards_have_their_talking_points_beside_them(compact):
    """Each card's title and its "Talking points" label start on one page, the label to the
    right of the card (past the middle of the page) and level with the card's top."""
    pdftotext = require_tool("pdftotext")
    html = subprocess.run([pdftotext, "-bbox", str(compact[0]), "-"], check=True, capture_output=True,
                          text=True).stdout
    talk = load(SAMPLE)
    pages = re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', html, re.S)
    words = [(float(width), [(float(x), float(y), w) for x, y, w in
                             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" [^>]*>(.*?)</word>', body)])
             for width, body in pages]
    checked = 0
    for section in talk.sections_in("handout"):
        if not section.notes:
            continue
        first = markup.to_plain(section.title).split()[0]
        for width, on_page in words:
            titles = [(x, y) for x, y, w in on_page if w == first and x < width / 2]
            labels = [(x, y) for x, y, w in on_page if w.upper() == "TALKING" and x > width / 2]
            pairs = [(t, l) for t in titles for l in labels if abs(l[1] - t[1]) < 30]
            if pairs:
                checked += 1
                break
        else:
            pytest.fail(f"{section.title}: no talking points beside its card")
    assert checked == sum(1 for s in talk.sections_in("handout") if s.notes)


def test_the_theme_can_make_compact_the_default(tmp_path, compact):
    theme = tmp_path / "theme.yaml"
    theme.write_text("extends: navy\nhandout: {layout: compact}\n")
    ctx = Context(TEMPLATES, load_theme(theme), {}, lambda message: None)
    assert handout.render(load(SAMPLE), ctx) == compact[0].read_bytes()
    # --handout notes on the command line wins over the theme
    ctx = Context(TEMPLATES, load_theme(theme), {"handout_layout": "notes"}, lambda message: None)
    assert handout.render(load(SAMPLE), ctx) == handout.render(load(SAMPLE), context())


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_compact_talking_points_start_on_their_cards_page(tmp_path, write_content, paper):
    sections = [(250, 2), (150, 1), (300, 3), (200, 4), (60, 6), (200, 2), (200, 3)]
    path = write_content(_section_talk(sections))
    talk = load(path)
    pdf = tmp_path / "compact.pdf"
    pdf.write_bytes(handout.render(talk, compact_context(paper=paper)))
    pages = page_texts(PdfReader(str(pdf)))
    for i in range(1, len(sections) + 1):
        assert _pages_of(pages, f"Part{i} heading") == [_pages_of(pages, f"Notes{i}start")[0]], i
    assert len(pages) < 10


def test_a_table_card_below_another_card_draws_its_table_inside_it(tmp_path, write_content):
    """A table slide's boxes are placed on its own card: with the slide laid out relative
    to the page instead, a table card that was not first on its page came out blank (its
    words drawn over the card above it, and clipped)."""
    pdftotext = require_tool("pdftotext")
    path = write_content("""
        title: Tables mid-page
        author: Ada
        sections:
          - title: First
            points: [One, Two]
          - title: Tabled
            table: {columns: [A, B], rows: [[one, two], [three, four]]}
        """)
    pdf = build(path, tmp_path)
    html = subprocess.run([pdftotext, "-bbox", "-f", "2", "-l", "2", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    y = {word: float(top) for top, word in re.findall(r'yMin="([\d.]+)" [^>]*>(\w+)</word>', html)}
    assert y["First"] < y["Tabled"] < y["three"]
    assert y["three"] - y["First"] > 150  # the second card, below the first one's whole height


@pytest.mark.parametrize("layout", ["notes", "compact"])
def test_a_lead_in_line_stays_on_the_page_of_its_listing(tmp_path, layout):
    # "And a one-liner to back it up:" stood at a page's foot, its listing on the next page.
    parts = []
    for k in range(16):
        parts.append(" ".join(["Filler words for a paragraph of some length."] * (3 + k % 5)))
        parts.append(f"Here comes listing K{k:02d}:")
        parts.append(f"```python\nlisting_k{k:02d} = 1\nprint(listing_k{k:02d})\n```")
    body = "\n\n".join(parts)
    path = tmp_path / "talk.yaml"
    path.write_text("title: Lead-ins\nauthor: {name: Ada}\nsections:\n  - title: Listings\n    body: |\n"
                    + "".join(f"      {line}\n" if line else "\n" for line in body.split("\n")), encoding="utf-8")
    pdf = tmp_path / "talk.pdf"
    ctx = Context(TEMPLATES, load_theme(TEMPLATES / "theme.yaml"), {"handout_layout": layout}, [].append)
    pdf.write_bytes(handout.render(load(path), ctx))
    pages = page_texts(PdfReader(str(pdf)))
    for k in range(16):
        lead = [i for i, text in enumerate(pages) if f"here comes listing k{k:02d}" in text]
        code = [i for i, text in enumerate(pages) if f"listing_k{k:02d} = 1" in text]
        assert lead == code, (k, lead, code)
