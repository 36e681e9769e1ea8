"""Right-to-left text: each paragraph's direction from its first strong character, marked
in every output (deck paragraphs and tables, page and handout elements, slides drawn as
HTML), and the parity check's match for PDF readers that return it reordered."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from xml.etree import ElementTree as etree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triptych import Options, bidi, markup, parity
from triptych.loader import load

FIXTURES = Path(__file__).parent / "fixtures" / "rtl"
ARABIC = FIXTURES / "arabic-talk.yaml"
HEBREW = FIXTURES / "hebrew-in-english.yaml"

# -- direction --------------------------------------------------------------------------

NEUTRAL = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)).filter(
    lambda c: unicodedata.bidirectional(c) not in ("L", "R", "AL")), max_size=20)
LATIN = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", min_size=1, max_size=8)
ARABIC_WORD = st.text("ابتثجحخدذرزسشصضطظعغفقكلمنهوي", min_size=1, max_size=8)
HEBREW_WORD = st.text("אבגדהוזחטיכלמנסעפצקרשת", min_size=1, max_size=8)
ANY = st.text(max_size=40)


@given(NEUTRAL, st.sampled_from([bidi.LTR, bidi.RTL]))
def test_text_without_a_strong_character_takes_the_documents_direction(text, base):
    assert bidi.first_strong(text) is None
    assert bidi.direction(text, base) == base


@given(NEUTRAL, st.one_of(ARABIC_WORD, HEBREW_WORD), ANY, st.sampled_from([bidi.LTR, bidi.RTL]))
def test_a_paragraph_that_starts_right_to_left_runs_right_to_left(lead, word, rest, base):
    assert bidi.direction(lead + word + rest, base) == bidi.RTL
    assert bidi.has_rtl(lead + word + rest)


@given(NEUTRAL, LATIN, ANY, st.sampled_from([bidi.LTR, bidi.RTL]))
def test_a_paragraph_that_starts_left_to_right_runs_left_to_right(lead, word, rest, base):
    assert bidi.direction(lead + word + rest, base) == bidi.LTR


@pytest.mark.parametrize("text, expected", [
    ("مبني على بنية المحولات (Transformer)", "rtl"),
    ("GPT-4 و BERT", "ltr"),
    ("(2026) שלום", "rtl"),
    ("175", None),
    ("**bold** שלום", "ltr"),
])
def test_first_strong(text, expected):
    assert bidi.first_strong(text) == expected


@pytest.mark.parametrize("lang, expected", [
    ("ar", "rtl"), ("he-IL", "rtl"), ("FA", "rtl"), ("ur", "rtl"), ("yi", "rtl"), ("ckb", "rtl"),
    ("en", "ltr"), ("de-DE", "ltr"), ("", "ltr"), ("ku-Arab", "rtl"), ("ar-Latn", "ltr"), ("pa-Arab-PK", "rtl"),
])
def test_lang_direction(lang, expected):
    assert bidi.lang_direction(lang) == expected


def test_block_html_marks_the_paragraphs_that_run_against_the_document():
    html = markup.to_html("Hello\n\nשלום לכולם (AI)\n\n- א\n- b\n\n```\nx = 1\n```", direction="ltr")
    assert '<p>Hello</p>' in html and '<p dir="rtl">שלום לכולם (AI)</p>' in html
    assert '<ul dir="rtl">' in html and '<li dir="ltr">b</li>' in html
    assert "<pre><code>" in html  # code runs left to right already
    html = markup.to_html("Hello\n\nمرحبا\n\n```\nx = 1\n```", direction="rtl")
    assert '<p dir="ltr">Hello</p>' in html and "<p>مرحبا</p>" in html and '<pre dir="ltr">' in html
    assert markup.to_html("Hello\n\nשלום") == "<p>Hello</p>\n<p>שלום</p>"  # no direction asked: unmarked


# -- matching reordered text (PDF readers) ------------------------------------------------

def test_tokens_drop_brackets_and_split_scripts_and_digits():
    assert bidi.tokens("مبني على بنية (Transformer)، GPT-4") == ["مبني", "على", "بنية", "Transformer", "GPT", "4"]
    # PDFium's reading of the same line: mirrored bracket, runs reordered, lam-alef reversed.
    assert bidi.tokens("المحولات") == bidi.tokens("المحوالت")
    assert sorted(bidi.tokens(")Transformer) -4GPT")) == sorted(bidi.tokens("(Transformer) GPT-4"))


def test_combining_marks_are_left_out_of_tokens_wherever_a_reader_puts_them():
    assert bidi.tokens("مَرْحَبًا (bé)") == ["مرحبا", "bé"]
    # PDFium gives the shadda over "تسرّع" as a character of its own, before the word.
    assert bidi.find_reordered("تسرّع التعلم", bidi.tokens("• ّ تسرع التعلم"))
    assert not bidi.find_reordered("تسرّع التعلم", bidi.tokens("• ّ تسرع"))


def test_a_word_a_reader_breaks_at_a_raised_mark_is_found_by_its_letters():
    # PDFium's readings of correct PDFs: a raised mark is drawn with a text rise, and the
    # reader broke the word there, once in place, once moving its first letter past the line.
    body = "القهوة العربية تُحضَّر بالهيل وتُقدَّم في فناجين صغيرة."
    assert bidi.find_reordered(body, bidi.tokens("القهوة العربية تُ َّ حضر بالهيل وتُقدَّم في فناجين صغيرة."))
    point = "تُقدَّم مع التمر"
    assert bidi.find_reordered(point, bidi.tokens("• الهيل والزعفران\nُقدَّم مع التمر \n• ت\nBrewing"))
    # A misspelt, missing or added word still fails it.
    assert not bidi.find_reordered(body, bidi.tokens("القهوة العربية تُ َّ حضر بالهيل وتُقدَّم في فناجين كبيرة."))
    assert not bidi.find_reordered(point, bidi.tokens("• الهيل\nُقدَّم مع \n• ت\nBrewing"))
    assert not bidi.find_reordered(point, bidi.tokens("ُقدَّم مع الذي التمر \n• ت"))


@given(st.lists(ARABIC_WORD, min_size=2, max_size=6), st.data())
def test_a_piece_with_marks_missing_a_word_is_not_found(words, data):
    marked = [w[0] + "\u064f" + w[1:] for w in words]  # a damma after each word's first letter
    dropped = data.draw(st.integers(0, len(words) - 1))
    output = " ".join(w for i, w in enumerate(words) if i != dropped)
    assert not bidi.find_reordered(" ".join(marked), bidi.tokens(output))


@given(st.lists(st.one_of(ARABIC_WORD, HEBREW_WORD, LATIN, st.integers(0, 9999).map(str)), min_size=1, max_size=8),
       st.randoms(use_true_random=False))
def test_a_piece_is_found_whatever_order_its_words_come_back_in(words, random):
    piece = " ".join(words)
    shuffled = words[:]
    random.shuffle(shuffled)
    output = "before " + " ".join(shuffled) + " after"
    assert bidi.find_reordered(piece, bidi.tokens(output))


@given(st.lists(st.one_of(ARABIC_WORD, HEBREW_WORD), min_size=2, max_size=8), st.data())
def test_a_piece_missing_a_word_is_not_found(words, data):
    dropped = data.draw(st.integers(0, len(words) - 1))
    output = " ".join(w for i, w in enumerate(words) if i != dropped)
    if words[dropped] not in words[:dropped] + words[dropped + 1:]:
        assert not bidi.find_reordered(" ".join(words), bidi.tokens(output))


def test_the_parity_check_reads_pdfs_reordered_and_other_outputs_in_order(tmp_path, monkeypatch):
    talk = load(ARABIC)
    # What PDFium returns for a table row and a body line of the Arabic talk (measured).
    pdf_text = "\n".join([
        "DALL-E و CLIP BERT و GPT-4 أمثلة",
        "مبني على بنية المحوالت )Transformer)",
    ])
    from triptych.writers import writer

    for name in ("handout", "article"):
        monkeypatch.setattr(writer(name), "read_text", lambda path: pdf_text)
    path = tmp_path / "x"
    path.write_text("")
    found = {p.field for p in parity.expected(talk, "handout")} - {
        p.field for p in parity.check_output(talk, "handout", path).problems}
    assert {"sections[1].table.rows[1][1]", "sections[1].table.rows[1][2]", "sections[0].points[0]"} <= found
    # A Markdown reader returns logical order: the same text there is not the same words.
    missing = {p.field for p in parity.check_output(talk, "article", path).problems}
    assert "sections[1].table.rows[1][1]" in missing and "sections[0].points[0]" in missing


# -- every output ----------------------------------------------------------------------

def _build(path: Path, out: Path, outputs: list[str]):
    from triptych import pipeline

    report = pipeline.build([path], Options(out_dir=out, jobs=1, outputs=outputs))
    assert report.exit_status == 0, [str(p) for f in report.files for p in f.problems]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from triptych.writers import available

    out = tmp_path_factory.mktemp("rtl")
    for path in (ARABIC, HEBREW):
        _build(path, out, list(available()))
    return out


def test_an_arabic_talk_and_hebrew_in_an_english_talk_pass_parity_in_every_output(built):
    names = {p.name for p in built.iterdir()}
    for stem in ("arabic-talk", "hebrew-in-english"):
        assert {f"{stem}{s}" for s in (".pptx", ".md", ".html", ".pdf", ".slides.pdf", ".carousel.pdf")} <= names


def _paragraphs(shape):
    return [p for p in shape.text_frame.paragraphs if p.text]


def test_the_deck_sets_right_to_left_paragraphs_and_tables(built):
    from pptx import Presentation
    from pptx.enum.text import PP_ALIGN

    deck = Presentation(built / "arabic-talk.pptx")
    slide = deck.slides[2]  # "ما هو النموذج اللغوي الكبير؟": points and sub-points
    body = [s for s in slide.shapes if s.has_text_frame and "Transformer" in s.text_frame.text][0]
    for paragraph in _paragraphs(body):
        assert paragraph._p.pPr.get("rtl") == "1" and paragraph.alignment == PP_ALIGN.RIGHT
    title = slide.shapes.title.text_frame.paragraphs[0]
    assert title._p.pPr.get("rtl") == "1"
    table = [s for s in deck.slides[3].shapes if s.has_table][0]
    assert table._element.graphic.graphicData.tbl.tblPr.get("rtl") == "1"
    cells = {c.text: c.text_frame.paragraphs[0]._p.pPr.get("rtl") for row in table.table.rows for c in row.cells}
    assert cells["الجانب"] == "1" and cells["GPT-4 و BERT"] is None  # a cell starting in Latin runs left to right

    mixed = Presentation(built / "hebrew-in-english.pptx")
    points = [s for s in mixed.slides[1].shapes if s.has_text_frame and "greeting" in s.text_frame.text][0]
    rtl = {p.text: p._p.pPr.get("rtl") for p in _paragraphs(points)}
    assert rtl == {"The greeting: שלום עולם": None, "מודלים גדולים של שפה (LLMs) משנים את העבודה": "1",
                   "Everyone agreed on the next steps": None}


def test_the_page_and_handout_mark_directions(built):
    page = (built / "hebrew-in-english.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert '<p dir="rtl">שלום לכולם' in page and '<li dir="rtl">מודלים' in page and '<h2 dir="rtl">מה למדנו</h2>' in page
    assert "<li>The greeting: שלום עולם</li>" in page
    arabic = (built / "arabic-talk.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic and 'dir="ltr"' not in arabic


def test_the_slides_drawn_as_html_set_right_to_left_paragraphs_from_the_right(built, tmp_path):
    from triptych.project import DEFAULT_TEMPLATES
    from triptych.slides import render_slides
    from triptych.slides.layout import lay_out_talk
    from triptych.theme import load_theme
    from triptych.context import Context

    ctx = Context(DEFAULT_TEMPLATES, load_theme(DEFAULT_TEMPLATES / "theme.yaml"))
    mixed = render_slides(load(HEBREW), ctx, lay_out_talk(load(HEBREW), ctx)).slides[1]
    assert mixed.count('dir="rtl"') == 1 and "padding-right:" in mixed and "text-align:right" in mixed
    arabic = render_slides(load(ARABIC), ctx, lay_out_talk(load(ARABIC), ctx)).slides
    assert 'dir="ltr"' in arabic[3] and "<table class=" in arabic[3]  # the "GPT-4 و BERT" cell; the table runs as the page



def test_a_right_to_left_talk_is_laid_out_mirrored_in_the_built_in_look():
    from triptych.context import Context
    from triptych.project import DEFAULT_TEMPLATES
    from triptych.slides.layout import lay_out_talk
    from triptych.slides.shapes import Rect, SlideNumber, Text
    from triptych.theme import load_theme

    ctx = Context(DEFAULT_TEMPLATES, load_theme(DEFAULT_TEMPLATES / "theme.yaml"))
    width = ctx.theme.slide_width * 72
    arabic = lay_out_talk(load(ARABIC), ctx)
    english = lay_out_talk(load(HEBREW), ctx)  # an English talk: its layout is not mirrored
    compare = next(s for s in arabic if s.layout == "compare")
    headings = [t for t in compare.shapes if isinstance(t, Text) and t.paras and t.paras[0].role == "heading"]
    first, second = (next(t for t in headings if t.paras[0].text == title) for title in ("النماذج اللغوية", "النماذج الأساسية"))
    assert first.box.x > second.box.x  # the first column reads first: on the right
    assert compare.title.align == "right"
    for slides, right in ((arabic, False), (english, True)):
        number = next(s for s in slides[1].shapes if isinstance(s, SlideNumber))
        assert (number.box.x > width / 2) == right
        rule = next(s for s in slides[1].shapes if isinstance(s, Rect) and s.box.w < width / 2)
        assert (rule.box.x < width / 2) == right


def test_a_right_to_left_titles_rule_in_a_left_to_right_talk_is_under_its_first_letter(tmp_path):
    # The Hebrew section of an English talk: its title is set from the right, its accent rule
    # stood on the left, under nothing (deck, slides PDF, handout cards, carousel).
    from triptych.context import Context
    from triptych.project import DEFAULT_TEMPLATES
    from triptych.slides import carousel
    from triptych.slides.layout import lay_out_talk
    from triptych.slides.shapes import Rect
    from triptych.theme import load_theme

    ctx = Context(DEFAULT_TEMPLATES, load_theme(DEFAULT_TEMPLATES / "theme.yaml"), {}, lambda message: None)
    talk = load(HEBREW)
    for pages in (lay_out_talk(talk, ctx), carousel.lay_out(talk, ctx)):
        titles = {"Opening": "left", "מה למדנו": "right"}
        for title, side in titles.items():
            page = next(p for p in pages if p.section is not None and p.section.title == title)
            rule = next(s for s in page.shapes if isinstance(s, Rect) and s.name == "Accent rule")
            box = page.title.box
            assert (rule.box.x, rule.box.x + rule.box.w) == pytest.approx(
                (box.x, box.x + rule.box.w) if side == "left" else (box.x + box.w - rule.box.w, box.x + box.w)), title


def test_the_pre_test_for_right_to_left_text_misses_no_character():
    missed = [f"U+{c:04X}" for c in range(0x110000)
              if unicodedata.bidirectional(chr(c)) in ("R", "AL") and not bidi.has_rtl(chr(c))]
    assert missed == []
