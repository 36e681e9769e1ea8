"""WCAG contrast: the ratio, the pairs checked, and how a low pair is reported."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from triptych import contrast
from triptych.theme import builtin_themes, contrast_problems, load_theme

HEX = st.integers(0, 0xFFFFFF).map(lambda v: f"{v:06X}")


@pytest.mark.parametrize("a, b, expected", [
    ("000000", "FFFFFF", 21.0),
    ("FFFFFF", "FFFFFF", 1.0),
    ("767676", "FFFFFF", 4.54),  # the lightest grey that passes on white, a well-known value
    ("777777", "FFFFFF", 4.48),  # one step lighter fails
])
def test_ratio_matches_the_wcag_formula(a, b, expected):
    assert contrast.ratio(a, b) == pytest.approx(expected, abs=0.01)


@given(HEX, HEX)
def test_ratio_is_symmetric_and_between_1_and_21(a, b):
    value = contrast.ratio(a, b)
    assert value == contrast.ratio(b, a)
    assert 1.0 <= value <= 21.0 + 1e-9


def test_a_ratio_is_shown_rounded_down_so_a_failing_pair_never_reads_as_passing():
    assert contrast.shown(4.4999) == "4.4:1" and contrast.shown(21.0) == "21:1"


@pytest.mark.parametrize("name", sorted(builtin_themes()))
def test_every_built_in_theme_passes_every_pair(name):
    theme = load_theme(builtin_themes()[name])
    assert contrast_problems(theme) == []
    assert all(contrast.ratio(theme.colors[p.text], theme.colors[p.background]) >= 4.5 for p in contrast.PAIRS)


def test_a_low_pair_is_reported_at_the_line_that_set_its_text_colour(tmp_path):
    path = tmp_path / "brand.yaml"
    path.write_text('extends: navy\ncolors:\n  accent: "2A9D8F"\n', encoding="utf-8")
    problems = contrast_problems(load_theme(path))
    assert [(p.path, p.line, p.field) for p in problems] == [(str(path), 3, "colors.accent")] * 2
    assert problems[0].message.startswith("accent #2A9D8F on background #FFFFFF has contrast 3.3:1, "
                                          "below the 4.5:1 WCAG 2.2 AA asks for text; seen in links on slides")
    assert problems[1].message.startswith("accent #2A9D8F on light #EEF3F7 has contrast 2.9:1")


def test_a_cover_colour_left_out_is_checked_as_its_default(tmp_path):
    path = tmp_path / "brand.yaml"
    path.write_text('extends: navy\ncolors:\n  on_primary: "2A4A6F"\n', encoding="utf-8")
    problems = contrast_problems(load_theme(path))
    assert {p.field for p in problems} == {"colors.on_primary", "colors.on_cover"}
    assert {p.line for p in problems} == {3}  # on_cover was never set: it is on_primary's line
