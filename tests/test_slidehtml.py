"""The shared slide layout and its HTML rendering: the same slides, lines and text as the deck."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from pptx import Presentation

from triptych import fit
from triptych.slides import html as slidehtml, shapes as slidelayout
from triptych.slides.layout import lay_out_talk
from triptych.loader import load
from triptych.markup import Span
from triptych.theme import load_theme
from triptych.writers import Context, deck
from tests.conftest import SAMPLE, TEMPLATES

LONG_TALK = Path(__file__).parent / "fixtures" / "slides" / "long-talk.yaml"
BOOK = fit.FontBook(load_theme(TEMPLATES / "theme.yaml"))


def context() -> Context:
    return Context(TEMPLATES, load_theme(TEMPLATES / "theme.yaml"), {}, lambda message: None)


def render(talk, **options) -> slidehtml.RenderedSlides:
    """``talk``'s deck (the built-in look: no master) as HTML slides."""
    ctx = context()
    return slidehtml.render_slides(talk, ctx, lay_out_talk(talk, ctx), **options)


class _Text(HTMLParser):
    """Per slide fragment: the title, and every drawn line's text (a paragraph's lines are
    separated by line breaks; a listing's rows are one ``tp-line`` each; bullets are not text)."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []
        self.depth = 0  # inside a paragraph or a listing's row
        self.in_bullet = False
        self.in_title = False
        self.title = ""

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += 1
            self.in_bullet = "tp-bullet" in classes
        elif "tp-p" in classes or "tp-line" in classes:
            self.lines.append("")
            self.depth = 1
        if "tp-title" in classes:
            self.in_title = True

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
        self.in_bullet = False
        if tag in ("h1", "h2"):
            self.in_title = False

    def handle_data(self, data):
        if self.depth and not self.in_bullet:
            first, *more = data.split("\n")
            self.lines[-1] += first
            self.lines += more
        if self.in_title:
            self.title += data.replace("\n", "")  # its lines, run together


def parsed(fragment: str) -> _Text:
    parser = _Text()
    parser.feed(str(fragment))
    return parser


@pytest.mark.parametrize("path", [SAMPLE, LONG_TALK], ids=["sample", "long-talk"])
def test_the_html_slides_are_the_decks_slides_with_the_same_titles_and_words(path):
    talk = load(path)
    rendered = render(talk)
    prs = Presentation(io.BytesIO(deck.render(talk, context())))
    assert len(rendered.slides) == len(prs.slides)
    for fragment, slide in zip(rendered.slides, prs.slides):
        text = parsed(fragment)
        assert text.title.replace(" ", "").strip() == slide.shapes.title.text_frame.text.replace(" ", "")
        boxes = [shape.text_frame.text for shape in slide.shapes  # the title's lines are drawn too
                 if shape.has_text_frame and shape.name != "Slide number"]
        cells = [cell.text_frame.text for shape in slide.shapes if shape.has_table
                 for row in shape.table.rows for cell in row.cells]
        # A word may be cut at a line break (a URL): compare the letters, in order per box.
        assert "".join(sorted("".join(text.lines).replace(" ", ""))) == \
            "".join(sorted("".join(boxes + cells).replace(" ", "").replace("\v", "").replace("\n", "")))


def test_each_drawn_line_is_the_line_fit_measured():
    talk = load(LONG_TALK)
    rendered = render(talk)
    for slide, fragment in zip(rendered.laid, rendered.slides):
        expected = []
        for shape in (slide.title, *slide.shapes):
            if isinstance(shape, slidelayout.Text):
                for para in shape.paras:
                    expected += ["".join(s.text for s in line) for line in slidelayout.lines(para, shape.box.w, BOOK)]
            elif isinstance(shape, slidelayout.Table):
                for r, row in enumerate(shape.cells):
                    for c in range(len(row)):
                        para = shape.para(r, c)
                        expected += ["".join(s.text for s in line)
                                     for line in slidelayout.lines(para, shape.widths[c] - 2 * fit.CELL_X, BOOK)]
        # The title is drawn first, then tables and text in shape order.
        drawn = parsed(fragment).lines
        assert sorted(drawn) == sorted(expected)


words = st.text(alphabet="abcdefghij-/ ", min_size=0, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(words, st.booleans(), st.booleans()), min_size=1, max_size=6),
       st.floats(min_value=40, max_value=600))
def test_lines_keep_every_character_but_the_spaces_at_breaks(runs, width):
    spans = tuple(Span(text, bold=bold, italic=italic) for text, bold, italic in runs if text)
    para = fit.Para(spans, 20.0)
    lines = slidelayout.lines(para, width, BOOK)
    assert "".join(s.text for line in lines for s in line).replace(" ", "") == para.text.replace(" ", "")
    assert len(lines) <= fit.line_count(para, width, BOOK)
    for line in lines:  # styles survive the cut
        for span in line:
            assert span.text in next(s.text for s in spans if s.bold == span.bold and s.italic == span.italic
                                     and span.text in s.text)


def test_content_is_escaped_never_markup(write_content):
    path = write_content('''
title: "<script>alert(1)</script>"
author: "A & B"
sections:
  - title: "<b>not bold</b>"
    points: ["a \\"quoted\\" <img src=x onerror=alert(1)>", "[link](https://example.org/?a=1&b=<2>)"]
''')
    rendered = render(load(path))
    html = "".join(rendered.slides)
    assert "<script" not in html and "<img src=x" not in html and "<b>not bold" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html
    assert 'href="https://example.org/?a=1&amp;b=%3C2%3E"' in html or 'href="https://example.org/?a=1&amp;b=&lt;2&gt;"' in html


def test_scale_shrinks_every_length():
    talk = load(SAMPLE)
    full = render(talk)
    half = render(talk, scale=0.5)
    assert half.width == full.width / 2
    first = re.search(r"font-size:([\d.]+)pt", full.slides[3]).group(1)
    assert f"font-size:{float(first) / 2:g}pt" in half.slides[3]


class _Styles(HTMLParser):
    """Every element's tag, classes and inline style, in document order."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, list[str], str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, (attrs.get("class") or "").split(), attrs.get("style") or ""))


def test_classed_slides_carry_each_inline_style_as_a_class_of_their_own():
    talk = load(SAMPLE)
    rendered = render(talk)
    classed = slidehtml.classed(rendered)
    rules = dict(re.findall(r"\.(tp-s\d+) \{ ([^}]*) \}", classed.css))
    styled = sum(str(slide).count(' style="') for slide in rendered.slides)
    assert classed.css.startswith(rendered.css) and len(set(rules.values())) == len(rules) < styled / 3
    for before, after in zip(rendered.slides, classed.slides):
        old, new = _Styles(), _Styles()
        old.feed(str(before))
        new.feed(str(after))
        assert len(old.elements) == len(new.elements)
        for (tag, classes, style), (tag2, classes2, style2) in zip(old.elements, new.elements):
            assert tag2 == tag and style2 == ""
            added = [c for c in classes2 if c not in classes]
            assert [rules[c] for c in added] == ([style] if style else [])
    assert slidehtml.classed(rendered) == classed  # the same slides give the same names


def test_the_pdfs_leave_out_the_attributes_only_a_browser_reads():
    """WeasyPrint reads no ARIA and no data- attribute, and parsing them was 2% of the
    sample's slides PDF: the classed slides (the PDFs') leave them out, the preview keeps them."""
    rendered = render(load(SAMPLE))
    preview = "".join(map(str, rendered.slides))
    assert 'aria-hidden="true"' in preview and 'data-slide="3"' in preview
    pdf = "".join(map(str, slidehtml.classed(rendered).slides))
    assert "aria-hidden" not in pdf and "data-slide" not in pdf
    assert pdf.count("tp-bullet") == preview.count("tp-bullet")


def test_text_that_looks_like_a_style_attribute_stays_text():
    talk = load(SAMPLE)
    bait = 'x" style="color:red'
    talk = replace(talk, sections=(talk.sections[0], replace(talk.sections[1], title=bait), *talk.sections[2:]))
    classed = slidehtml.classed(render(talk))
    assert "color:red" not in classed.css and any("x&#34; style=&#34;color:red" in str(s) for s in classed.slides)


def test_an_agenda_continued_on_more_slides_goes_on_counting(write_content):
    sections = "".join(f"  - title: Section {n}\n    points: [Point {n}]\n" for n in range(1, 31))
    talk = load(write_content("title: Long\nauthor: Me\nsections:\n" + sections))
    fragments = render(talk).slides
    agenda = [f for f in fragments if parsed(f).title.startswith("Agenda")]
    assert len(agenda) >= 2
    numbers = [int(n) for f in agenda for n in re.findall(r'tp-numbered"[^>]*>(\d+)\.<', f)]
    assert numbers == list(range(1, 31))


def test_an_agenda_number_of_three_digits_fits_before_its_text(write_content):
    # Counting on past 99 on a long agenda's later slides, "109." ran into "Section 109".
    sections = "".join(f"  - title: Section {n}\n    points: [Point {n}]\n" for n in range(1, 121))
    talk = load(write_content("title: Long\nauthor: Me\nsections:\n" + sections))
    laid = lay_out_talk(talk, context())
    numbered = [(para, text) for slide in laid for text in slide.shapes if isinstance(text, slidelayout.Text)
                for k, para in enumerate(text.paras) if text.bullet(k) == "number"]
    assert [slidelayout.ordinal(p) for p, _ in numbered] == list(range(1, 121))
    for para, _ in numbered:
        number = BOOK.face("heading").metrics.width(f"{slidelayout.ordinal(para)}.", para.size)
        assert number + 0.25 * para.size <= slidelayout.hanging(para), (slidelayout.ordinal(para), number)


def _laid_out_pages(talk):
    """WeasyPrint's pages of ``talk``'s slides PDF (its HTML and stylesheet, as written)."""
    from triptych import weasy
    from triptych.writers import slides

    weasyprint = weasy.load()
    document, stylesheet = slides.html(talk, context())
    return weasyprint.HTML(string=document).render(stylesheets=[weasyprint.CSS(string=stylesheet)]).pages


def _boxes(box, *classes):
    """The outermost boxes under ``box`` (itself too) of elements with all of ``classes``
    (not the line and text boxes inside, which share their element)."""
    if box.element is not None and set(classes) <= set((box.element.get("class") or "").split()):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _boxes(child, *classes)


@pytest.mark.parametrize("path", [SAMPLE, Path(__file__).parent / "fixtures" / "rtl" / "arabic-talk.yaml"])
def test_every_box_lands_where_the_layout_placed_it_on_its_slide(path):
    """Boxes are placed by their margins from the slide's corner (the slide is not
    positioned, so a PDF engine lays them out once, with the page): each lands at its
    layout's place, in a right-to-left talk too (a right-to-left container would start
    them at its right edge)."""
    talk = load(path)
    laid = lay_out_talk(talk, context())
    pages = _laid_out_pages(talk)
    assert len(pages) == len(laid)
    px = 4 / 3  # CSS pixels per point
    checked = 0
    for page, slide in zip(pages, laid):
        [section] = _boxes(page._page_box, "tp-slide")
        rects = [s.box for s in slide.shapes if isinstance(s, slidelayout.Rect)]
        drawn = list(_boxes(page._page_box, "tp-rect"))
        assert len(drawn) == len(rects)
        for box, want in zip(drawn, rects):
            got = (box.border_box_x() - section.border_box_x(), box.border_box_y() - section.border_box_y(),
                   box.border_width(), box.border_height())
            assert got == pytest.approx((want.x * px, want.y * px, want.w * px, want.h * px), abs=0.02)
            checked += 1
        [title] = _boxes(page._page_box, "tp-box", "tp-title")
        assert title.border_box_x() - section.border_box_x() == pytest.approx(slide.title.box.x * px, abs=0.02)
    assert checked >= len(laid)


@pytest.mark.parametrize("path", [SAMPLE, Path(__file__).parent / "fixtures" / "rtl" / "arabic-talk.yaml"])
def test_every_bullet_is_drawn_from_its_place_on_its_side(path):
    """A bullet's box is wider than the bullet (so that a PDF engine need not measure it to
    shrink the box): the bullet is drawn from the box's start, the side it is placed from,
    at its distance from its paragraph's edge, the left one or in a right-to-left
    paragraph the right one."""
    talk = load(path)
    checked = 0
    for page in _laid_out_pages(talk):
        for item in _boxes(page._page_box, "tp-p"):
            for bullet in _boxes(item, "tp-bullet"):
                [line] = bullet.children
                glyph = line.children[0]
                rtl = item.style["direction"] == "rtl"
                side = "right" if rtl else "left"
                offset = bullet.style[side].value * 4 / 3 if bullet.style[side].unit == "pt" else bullet.style[side].value
                if rtl:
                    got = item.padding_box_x() + item.padding_width() - (glyph.position_x + glyph.width)
                else:
                    got = glyph.position_x - item.padding_box_x()
                assert got == pytest.approx(offset, abs=0.02), (path.name, glyph.text)
                checked += 1
    assert checked > 10
