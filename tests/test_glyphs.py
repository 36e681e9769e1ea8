"""Glyph coverage: which characters installed fonts draw, and which content fields hold
characters none does (named with file, line, field and code points)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triptych import emojis, glyphs
from triptych.glyphs import Coverage, missing
from triptych.loader import load

FAKE = Coverage(glyphs._merge([(0x20, 0x7E), (0xA0, 0xFF), (0x4E00, 0x4E10)]), frozenset({"Fake Sans"}))


def talk_with(write_content, point: str, **extra):
    lines = "\n".join(f"{k}: {v}" for k, v in extra.items())
    return load(write_content(f"""
title: Glyphs
author: {{name: Ada}}
{lines}
sections:
  - title: First
    points: [Fine, "{point}"]
"""))


def test_charset_text_is_parsed_into_merged_ranges():
    ranges = glyphs._merge(glyphs._parse_charset("20-7e a0 a1-ff 100-17f zz 4e00"))
    assert ranges == ((0x20, 0x7E), (0xA0, 0x17F), (0x4E00, 0x4E00))


def test_coverage_membership_at_range_edges():
    assert " " in FAKE and "~" in FAKE and "\u00a0" in FAKE and "\u4e10" in FAKE
    assert "\x7f" not in FAKE and "\u0100" not in FAKE and "\u4e11" not in FAKE


def test_installed_fonts_cover_latin_and_not_the_private_use_area():
    cov = glyphs.coverage()
    assert all(c in cov for c in "Aa0é€–")
    assert "\ue000" not in cov


def test_a_private_use_character_is_named_with_file_line_and_field(write_content):
    talk = talk_with(write_content, "Boxes \ue000 and \ue000")
    problems = missing(talk)
    assert [str(p) for p in problems] == [
        f"{talk.path}:6: sections[0].points[1]: no installed font can draw U+E000 PRIVATE USE; "
        "no installed font has them: remove them or install a font that covers them"]


def test_each_lacking_character_is_named_once_in_order(write_content):
    talk = talk_with(write_content, "\u4e12 a \u4e11 \u4e12")
    [problem] = missing(talk, FAKE)
    assert problem.message.index("U+4E12") < problem.message.index("U+4E11")
    assert problem.message.count("U+4E12") == 1


def test_a_script_with_a_known_package_gets_an_install_hint(write_content):
    talk = talk_with(write_content, "Kanji \u4e11 here")
    [problem] = missing(talk, FAKE)
    assert problem.field == "sections[0].points[1]"
    assert "U+4E11 CJK UNIFIED IDEOGRAPH-4E11 '\u4e11'" in problem.message
    assert problem.message.endswith("(on Debian: apt-get install fonts-noto-cjk)")


def test_every_printed_field_is_checked_and_named(write_content):
    talk = talk_with(write_content, "ok", subtitle='"Sub \ue000"', tags="[Tag\ue000]")
    assert [p.field for p in missing(talk)] == ["subtitle", "tags[0]"]


def test_markdown_syntax_and_link_targets_are_not_checked(write_content):
    talk = talk_with(write_content, "**bold** [link](https://example.org/\u4e11)")
    assert missing(talk, FAKE) == []


def test_sections_hidden_from_the_handout_are_not_checked(write_content):
    talk = load(write_content("""
title: Glyphs
author: {name: Ada}
sections:
  - title: Deck only
    only: [deck]
    points: ["\ue000"]
  - title: Shown
"""))
    assert missing(talk) == []


def test_whitespace_and_format_characters_need_no_glyph():
    for char in " \t\u00a0\u200d\u200c\u2060\ufe0f\u00ad":
        assert not glyphs._drawn(char), repr(char)
    assert glyphs._drawn("a") and glyphs._drawn("\ue000") and glyphs._drawn("\u0301")


def test_installed_script_families_are_listed_in_order():
    cov = Coverage(FAKE.ranges, frozenset({"Noto Sans CJK JP", "Noto Sans CJK SC", "Other"}))
    assert glyphs.installed_script_families(cov) == ("Noto Sans CJK SC", "Noto Sans CJK JP")


def test_font_files_are_read_when_fc_list_is_missing(monkeypatch):
    dejavu = [d for d in ("/usr/share/fonts/truetype/dejavu",) if Path(d).is_dir()]
    if not dejavu:
        pytest.skip("DejaVu fonts not found")
    monkeypatch.setattr(glyphs, "_FONT_DIRS", tuple(dejavu))
    cov = glyphs._from_font_files()
    assert "A" in cov and "\u0416" in cov and "\ue000" not in cov
    assert "DejaVu Sans" in cov.families


def test_fc_list_and_font_files_agree_on_what_dejavu_covers(monkeypatch):
    if not shutil.which("fc-list"):
        pytest.skip("fc-list not installed")
    monkeypatch.setattr(glyphs, "_FONT_DIRS", ("/usr/share/fonts/truetype/dejavu",))
    from_files = glyphs._from_font_files()
    from_fc = glyphs._from_fc_list(shutil.which("fc-list"))
    sample = [chr(c) for start, end in from_files.ranges for c in range(start, min(end, start + 50) + 1)]
    assert all(c in from_fc for c in sample)


@settings(max_examples=80, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_reported_characters_are_exactly_the_undrawable_ones(text):
    from triptych.model import Author, Section, Talk

    talk = Talk(path="t.yaml", base_dir=Path("."), slug="t", title=text, author=Author("A"),
                sections=(Section(0, "S", "s"),))
    problems = missing(talk, FAKE)
    # emoji are never refused (the PDFs leave out those no font draws): see test_emojis
    lacking = [c for c in dict.fromkeys(emojis.strip(text)) if glyphs._drawn(c) and c not in FAKE]
    if not lacking:
        assert problems == []
    else:
        [problem] = problems
        assert problem.field == "title"
        for char in lacking[:10]:
            assert f"U+{ord(char):04X}" in problem.message


def test_basic_latin_text_needs_no_font_lookup(write_content, monkeypatch):
    def no_lookup():
        raise AssertionError("coverage() was computed for text every font draws")

    monkeypatch.setattr(glyphs, "coverage", no_lookup)
    talk = talk_with(write_content, "Caf\u00e9 \u201cquoted\u201d \u2013 \u2022 \u2026 \u20ac5")
    assert not glyphs.needs_lookup(talk)
    assert missing(talk) == []


def test_text_beyond_latin_is_looked_up(write_content):
    assert glyphs.needs_lookup(talk_with(write_content, "Kanji \u4e11 here"))
    assert glyphs.needs_lookup(talk_with(write_content, "Greek \u03b1"))
    assert [p.field for p in missing(talk_with(write_content, "PUA \ue000"))] == ["sections[0].points[1]"]
