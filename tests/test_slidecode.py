"""Code listings on slides (triptych.slides.code): rows that give back the listing, never
wider than the panel, coloured per token, emphasised lines standing out, long listings set
smaller and then continued; the deck and the HTML slides draw the same rows."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from pptx import Presentation

from triptych import fit, highlight
from triptych.loader import load
from triptych.model import Code
from triptych.slides import code as listing, html as slidehtml, layout
from triptych.slides.shapes import CodeText, Rect, Text
from triptych.theme import load_theme
from triptych.writers import Context, deck
from tests.conftest import TEMPLATES

TALK = Path(__file__).parent / "fixtures" / "code" / "retrieval-in-three-languages.yaml"
THEME = load_theme(TEMPLATES / "theme.yaml")
BOOK = fit.FontBook(THEME)
PANEL, INK = THEME.colors["light"], THEME.colors["text"]


def context(warnings: list[str] | None = None) -> Context:
    return Context(TEMPLATES, THEME, {}, (warnings.append if warnings is not None else lambda message: None))


def text_of(row: listing.Row) -> str:
    return "".join(span.text for span in row.spans)


def unwrapped(rows: list[listing.Row]) -> list[str]:
    """The listing's lines back from its rows: continuation prefixes dropped, rows joined."""
    lines: list[str] = []
    for row in rows:
        text = text_of(row)
        if row.first:
            lines.append(text)
        else:
            lines[-1] += text[text.index(listing.MARK) + 2:]
    return lines


def width_of(row: listing.Row, size: float) -> float:
    # Spaces at the end of a row hang past the edge, as in every renderer (no ink).
    return sum(BOOK.face("code").metrics.widths(text_of(row).rstrip(" "))) * size


code_text = st.text(alphabet="ab cd(){}\t\n=_.x", max_size=300)


@settings(max_examples=80, deadline=None)
@given(code_text, st.floats(min_value=60, max_value=900), st.sampled_from([12.0, 18.0, 24.0]))
def test_rows_give_back_every_line_and_none_is_wider_than_the_panel(text, width, size):
    rows = listing.rows(Code(text, "python"), size, width, BOOK, PANEL, INK)
    assert unwrapped(rows) == [line.expandtabs(listing.TAB) for line in text.split("\n")]
    for row in rows:
        # One character always goes on a row, even one wider than the panel.
        assert width_of(row, size) <= width + 1e-6 or len(text_of(row).strip(" ").lstrip(listing.MARK).strip(" ")) == 1
        assert len(row.colors) == len(row.spans)


def test_a_long_line_wraps_at_a_space_with_the_mark_at_its_indentation():
    line = "    return sum(weight for term in query.terms if term in document.weights) / (1 + len(document.terms))"
    rows = listing.rows(Code(line, "python"), 18.0, 500.0, BOOK, PANEL, INK)
    assert len(rows) >= 2 and rows[0].first and not rows[1].first
    assert text_of(rows[1]).startswith("    " + listing.MARK + " ")
    assert text_of(rows[0]).endswith(" ")  # broken at a space, which stays on the first row
    assert rows[1].colors[0] == highlight.palette(PANEL, INK)["c"]  # the mark is drawn as a comment


def test_tabs_are_shown_to_the_next_multiple_of_four_columns():
    rows = listing.rows(Code("a\tb\n\tc\n12345\td", "text"), 18.0, 800.0, BOOK, PANEL, INK)
    assert [text_of(r) for r in rows] == ["a   b", "    c", "12345   d"]


def test_emphasised_lines_keep_their_colours_and_the_others_are_dimmed():
    code = Code("x = 1\ny = 2\nz = 3", "python", highlight=(2,))
    rows = listing.rows(code, 18.0, 800.0, BOOK, PANEL, INK)
    bright, dim = highlight.palette(PANEL, INK), highlight.dimmed(PANEL, INK)
    assert set(rows[1].colors) <= set(bright.values()) and set(rows[0].colors) <= set(dim.values())
    assert rows[0].colors != rows[1].colors
    for color in dim.values():  # dimmed, still legible
        assert highlight.contrast(color, PANEL) >= highlight.DIM_CONTRAST
    plain = listing.rows(Code("x = 1\ny = 2", "python"), 18.0, 800.0, BOOK, PANEL, INK)
    assert set(plain[0].colors) <= set(bright.values())  # nothing emphasised: nothing dimmed


def laid(talk_path: Path, warnings: list[str] | None = None):
    return layout.lay_out_talk(load(talk_path), context(warnings))


def code_slides(slides):
    return [s for s in slides if any(isinstance(shape, CodeText) for shape in s.shapes)]


def test_every_row_lies_inside_its_panel_and_the_panel_on_the_slide():
    for slide in code_slides(laid(TALK)):
        panel = next(s for s in slide.shapes if isinstance(s, Rect) and s.name == "Code panel")
        rows = next(s for s in slide.shapes if isinstance(s, CodeText))
        assert panel.box.x <= rows.box.x and rows.box.x + rows.box.w <= panel.box.x + panel.box.w
        assert panel.box.y <= rows.box.y and rows.box.bottom <= panel.box.bottom + 1e-6
        assert len(rows.paras) * rows.paras[0].size * fit.LINE <= rows.box.h + 1e-6
        assert panel.box.bottom <= THEME.slide_height * 72 - 48  # above the footer
        for para in rows.paras:
            assert fit.line_count(para, rows.box.w, BOOK) == 1  # no renderer wraps a row again


def test_points_sit_beside_a_listing_only_where_both_fit(write_content):
    path = write_content('''
title: T
author: A
sections:
  - title: Short
    points: [One, Two]
    code: {lang: python, text: "x = 1\\ny = 2"}
  - title: Wide
    points: [One, Two]
    code: {lang: python, text: "value = some_function_with_a_long_name(first_argument, second_argument, third_argument)"}
''')
    slides = laid(path)
    short = [s for s in slides if s.section and s.section.title == "Short"]
    wide = [s for s in slides if s.section and s.section.title == "Wide"]
    assert len(short) == 1 and short[0].layout == "code"
    assert any(isinstance(shape, Text) and shape.name == "Content" for shape in short[0].shapes)
    assert [s.layout for s in wide] == ["bullets", "code"]


def listing_of(count: int) -> str:
    return "\n".join(f"total += values[{n}]  # line {n + 1}" for n in range(count))


def test_a_long_listing_is_set_smaller_then_continues_with_a_warning(write_content):
    path = write_content(f'''
title: T
author: A
sections:
  - title: Medium
    code:
      lang: python
      text: |
{chr(10).join("        " + line for line in listing_of(16).split(chr(10)))}
  - title: Long
    code:
      lang: python
      text: |
{chr(10).join("        " + line for line in listing_of(400).split(chr(10)))}
''')
    warnings: list[str] = []
    slides = laid(path, warnings)
    medium = [s for s in slides if s.section and s.section.title == "Medium"]
    long = [s for s in slides if s.section and s.section.title == "Long"]
    body = THEME.sizes["body"]
    medium_rows = next(s for s in medium[0].shapes if isinstance(s, CodeText))
    assert len(medium) == 1 and round(body * listing.MIN) <= medium_rows.paras[0].size < round(body * listing.SIZE)
    assert len(long) > listing.SLIDES_WARN
    assert long[0].title.paras[0].text == f"Long (1/{len(long)})" and long[-1].title.paras[0].text.endswith(
        f"({len(long)}/{len(long)})")
    rows = [text_of_para(p) for s in long for shape in s.shapes if isinstance(shape, CodeText) for p in shape.paras]
    assert rows == listing_of(400).split("\n")  # every line, once, in order, none wrapped
    assert all(next(s for s in slide.shapes if isinstance(s, CodeText)).paras[0].size == round(body * listing.MIN)
               for slide in long)
    assert [w for w in warnings if "sections[1].code" in w and f"400 lines take {len(long)} slides" in w]
    assert not [w for w in warnings if "sections[0]" in w]


def text_of_para(para: fit.Para) -> str:
    return "".join(s.text for s in para.spans)


def test_the_deck_writes_the_rows_as_coloured_editable_runs_and_the_html_slides_the_same_rows():
    talk = load(TALK)
    prs = Presentation(io.BytesIO(deck.render(talk, context())))
    rendered = slidehtml.render_slides(talk, context(), layout.lay_out_talk(talk, context()))
    assert len(prs.slides) == len(rendered.laid)
    seen = 0
    for slide, laid_slide, fragment in zip(prs.slides, rendered.laid, rendered.slides):
        shapes = [s for s in laid_slide.shapes if isinstance(s, CodeText)]
        boxes = [s for s in slide.shapes if s.name == "Code"]
        assert len(shapes) == len(boxes)
        for shape, box in zip(shapes, boxes):
            seen += 1
            paragraphs = box.text_frame.paragraphs
            assert [p.text for p in paragraphs] == [text_of_para(p) for p in shape.paras]
            for paragraph, para, colors in zip(paragraphs, shape.paras, shape.colors):
                assert [str(r.font.color.rgb) for r in paragraph.runs] == list(colors)
                for run in paragraph.runs:
                    assert run.font.name == BOOK.face("code").written and run.font.size.pt == para.size
                    assert run._r.get_or_add_rPr().get("noProof") == "1"
        # The HTML draws each row as one line, with the same text.
        assert html_rows(fragment) == [text_of_para(p) for shape in shapes for p in shape.paras]
    assert seen >= 4


class _Rows(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if "tp-code-row" in (dict(attrs).get("class") or "").split():
            self.rows.append("")
            self.depth = 1
        elif self.depth:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.rows[-1] += data


def html_rows(fragment: str) -> list[str]:
    parser = _Rows()
    parser.feed(str(fragment))
    return parser.rows


def test_a_code_slide_in_html_is_a_pre_with_one_line_per_row():
    rendered = slidehtml.render_slides(load(TALK), context(), layout.lay_out_talk(load(TALK), context()))
    fragment = next(f for f, s in zip(rendered.slides, rendered.laid) if code_slides([s]))
    assert re.search(r'<pre class="tp-box tp-code-block[^"]*" dir="ltr"', fragment) and fragment.count("tp-code-row") == len(
        next(s for s in code_slides(rendered.laid)[0].shapes if isinstance(s, CodeText)).paras)
    assert "font-family" not in fragment.split('<pre')[0].split("tp-slide")[1].split(">")[0]


@pytest.mark.parametrize("panel", ["EEF3F7", "1E1E1E"])
def test_dimmed_colours_fade_toward_the_panel(panel):
    bright, dim = highlight.palette(panel, "000000" if panel != "1E1E1E" else "FFFFFF"), highlight.dimmed(
        panel, "000000" if panel != "1E1E1E" else "FFFFFF")
    for kind in bright:
        assert highlight.contrast(dim[kind], panel) <= highlight.contrast(bright[kind], panel)


def test_an_accent_bar_marks_each_run_of_emphasised_rows():
    code = Code("a = 1\nb = 2\nc = 3\nd = 4\ne = 5", "python", highlight=(2, 3, 5))
    colors = THEME.colors
    [page] = listing.panel_pages(code, layout.Box(0, 0, 600, 400), BOOK, colors, 18.0, 14.0, 14.0, [], "muted")
    bars = [s for s in page if isinstance(s, Rect) and s.name == "Code emphasis"]
    pitch = 18.0 * fit.LINE
    assert [(b.box.y, b.box.h) for b in bars] == [(14.0 + pitch, 2 * pitch), (14.0 + 4 * pitch, pitch)]
    assert all(b.color == "accent" and b.box.x == 0 for b in bars)
    plain = listing.panel_pages(Code("a\nb", "python"), layout.Box(0, 0, 600, 400), BOOK, colors, 18.0, 14.0, 14.0,
                                [], "muted")
    assert not [s for s in plain[0] if isinstance(s, Rect) and s.name == "Code emphasis"]
