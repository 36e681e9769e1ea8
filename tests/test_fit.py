"""Wrapping, pagination, title sizing and table layout, measured with real font files."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from triptych import fit
from triptych.markup import Span
from triptych.theme import load_theme
from tests.conftest import TEMPLATES

BOOK = fit.FontBook(load_theme(TEMPLATES / "theme.yaml"))


def para(text, size=20.0, **kw):
    return fit.Para((Span(text),), size, **kw)


@pytest.mark.parametrize("text, width, starts", [
    ("aaa bbb ccc", 65, [0, 4, 8]),          # each word 30 wide, space 10: two words need 70
    ("aaa bbb ccc", 70, [0, 8]),             # "aaa bbb" is exactly 70
    ("aaaaaaaaaa", 35, [0, 3, 6, 9]),         # a word wider than the line breaks between characters
    ("aa\nbb", 100, [0, 3]),                 # a line break forces a new line
    ("aa   ", 20, [0]),                      # trailing spaces hang, never wrap
    ("", 50, [0]),
])
def test_breaks(text, width, starts):
    assert fit.breaks(text, [10.0] * len(text), width) == starts


@pytest.mark.parametrize("text, width, starts", [
    ("aaa-bbb", 50, [0, 4]),                 # a line may break after a hyphen...
    ("aaa/bbb", 50, [0, 4]),                 # ...or a slash, as PowerPoint and LibreOffice do
    ("aaa-bbb", 70, [0]),                    # but only when the word does not fit
    ("aaaaa-10", 60, [0, 6]),                # never before a digit: "-10" stays whole...
    ("-abcdef", 40, [0, 4]),                 # ...nor after a hyphen that starts the word
    ("aa-bb-cc", 55, [0, 3]),                # "aa-bb-" is 60: break after the first hyphen
])
def test_soft_breaks(text, width, starts):
    assert fit.breaks(text, [10.0] * len(text), width, soft="-/") == starts


def test_the_drawn_lines_never_outnumber_the_measured_ones():
    # Heights are made of the count with SLACK and breaks at spaces only; the lines the
    # slides draw (the font's own widths, soft breaks too) must fit in that room.
    text = "Retrieval-augmented generation with cross-encoders and long/short contexts " * 3
    for width in (120, 200, 333, 500):
        assert len(fit.line_starts(para(text), width, BOOK, slack=1.0)) <= fit.line_count(para(text), width, BOOK)


def test_bold_and_code_are_measured_in_their_own_faces():
    plain = fit.line_count(para("word " * 40), 300, BOOK)
    bold = fit.line_count(para("word " * 40, bold=True), 300, BOOK)
    code = fit.line_count(fit.Para((Span("word " * 40, code=True),), 20.0), 300, BOOK)
    assert plain <= bold < code


def test_paginate_keeps_a_point_with_its_sub_points():
    # Three groups of two paragraphs; a page holds four lines, so a group never splits.
    paras = [para(f"p{g}{i}", group=g) for g in range(3) for i in range(2)]
    pages = fit.paginate(paras, 500, 4 * 20 * fit.LINE + 1, BOOK)
    assert [[p.text for p in page] for page in pages] == [["p00", "p01", "p10", "p11"], ["p20", "p21"]]


def test_paginate_cuts_a_paragraph_taller_than_a_page_between_lines():
    big = para("word " * 300)
    room = 5 * 20 * fit.LINE
    pages = fit.paginate([big], 400, room, BOOK)
    assert len(pages) > 1
    assert " ".join(p.text for page in pages for p in page).split() == big.text.split()
    assert all(p.continued for page in pages[1:] for p in page)
    assert all(fit.total_height(page, 400, BOOK) <= room for page in pages)


def test_paginate_of_nothing_is_one_empty_page():
    assert fit.paginate([], 100, 100, BOOK) == [[]]


words = st.lists(st.text(alphabet="abcdefghij WMil", min_size=1, max_size=60), min_size=1, max_size=25)


@settings(max_examples=60, deadline=None)
@given(texts=words, width=st.floats(60, 600), lines=st.integers(1, 12))
def test_paginate_keeps_every_word_and_every_page_fits(texts, width, lines):
    paras = [para(t, group=i, space_before=6) for i, t in enumerate(texts)]
    room = lines * 20 * fit.LINE + 6
    pages = fit.paginate(paras, width, room, BOOK)
    assert "".join(p.text for page in pages for p in page).replace(" ", "") == "".join(texts).replace(" ", "")
    for page in pages:
        assert fit.total_height(page, width, BOOK) <= room + 1e-6


def test_fit_size_shrinks_a_long_title_until_it_fits():
    title = para("A title that goes on and on " * 6, size=40, role="heading", bold=True)
    size = fit.fit_size([title], 800, 90, BOOK, 14)
    assert 14 < size < 40
    shrunk = fit.Para(title.spans, size, role="heading", bold=True)
    assert fit.total_height([shrunk], 800, BOOK) <= 90
    assert fit.fit_size([para("Short", size=40)], 800, 90, BOOK, 14) == 40


def test_a_tall_table_splits_between_rows_and_every_page_fits_under_its_header():
    cells = [[(Span("Name"),), (Span("Description"),)]] + \
        [[(Span(f"Row {i}"),), (Span("words " * (i % 7 + 1)),)] for i in range(60)]
    layout = fit.layout_table(cells, 600, 300, BOOK, 16, 10)
    assert layout.fits and len(layout.pages) > 1
    assert [r for page in layout.pages for r in page] == list(range(60))
    for page in layout.pages:
        assert layout.heights[0] + sum(layout.heights[r + 1] for r in page) <= 300
    assert sum(layout.widths) == pytest.approx(600)


def test_a_row_too_tall_for_a_page_makes_the_table_smaller_first():
    cells = [[(Span("Head"),), (Span("Other"),)], [(Span("word " * 60),), (Span("x"),)]]
    layout = fit.layout_table(cells, 300, 200, BOOK, 20, 8)
    assert layout.size < 20 and layout.fits


def test_a_table_row_is_as_tall_as_the_lines_drawn_in_it():
    # A cell whose text fills 98.5% of its column is drawn on one line (renderers break
    # with the font's own widths): its row is one line tall, with no empty line under it.
    text = "Language: understanding and generating"
    drawn = sum(fit._widths(fit.Para((Span(text),), 18), BOOK, slack=1.0))
    width = drawn / 0.985 + 2 * fit.CELL_X
    layout = fit.layout_table([[(Span("Aspect"),)], [(Span(text),)]], width, 400, BOOK, 18, 18)
    assert layout.widths == pytest.approx((width,))
    assert layout.heights[1] == pytest.approx(18 * fit.LINE + 2 * fit.CELL_Y)
