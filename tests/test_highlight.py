"""Syntax highlighting: runs that give back the listing exactly, readable colours, and
unknown languages refused with a suggestion."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triptych import highlight

LISTING = 'def f(x):\n\tif x:  # tab-indented\n\n\t\treturn "a" + 3\n'


def test_runs_give_back_the_text_byte_for_byte():
    runs = highlight.runs(LISTING, "python")
    assert "".join(text for _kind, text in runs) == LISTING  # tabs and the blank line kept
    assert ("k", "def") in runs and ("c", "# tab-indented") in runs and ("s", '"a"') in runs


@settings(deadline=None)  # the first call of each language loads its lexer
@given(st.text(max_size=200), st.sampled_from(["python", "js", "sql", "bash", "text", "nosuch"]))
def test_runs_join_to_any_text(text, lang):
    assert "".join(t for _k, t in highlight.runs(text, lang)) == text


def test_unknown_language_suggests_the_nearest():
    with pytest.raises(highlight.UnknownLanguage, match="did you mean 'python'"):
        highlight.check_language("pyhton")
    with pytest.raises(highlight.UnknownLanguage, match="such as 'python'"):
        highlight.check_language("zzqqxx")
    highlight.check_language("")  # no language: plain text


@pytest.mark.parametrize("panel", ["EEF3F7", "FFFFFF", "FFF3C4", "1E1E1E", "20305A"])
def test_palette_keeps_contrast_on_the_panel(panel):
    colors = highlight.palette(panel, "000000")
    for kind, color in colors.items():
        if kind:
            assert highlight.contrast(color, panel) >= highlight.MIN_CONTRAST, (kind, color)
