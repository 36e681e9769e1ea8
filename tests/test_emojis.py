"""Emoji: found as whole sequences, measured as one wide glyph, kept in every output,
drawn in colour in the PDFs where an emoji font is installed (and never used for digits),
left out with one warning where none is, and compared by parity as each reader returns them."""

from __future__ import annotations

import os

import emoji as emoji_data
import pytest
from hypothesis import given
from hypothesis import strategies as st

from triptych import Options, emojis, fit, fonts, glyphs, parity
from triptych.fit import Para, line_starts
from triptych.loader import load
from triptych.markup import Span
from triptych.project import DEFAULT_TEMPLATES as TEMPLATES
from triptych.theme import load_theme

FAMILY = "👨\u200d👩\u200d👧"
KEYCAP = "1\ufe0f\u20e3"
SHIP = f"""\
title: "Ship it 🚀 and celebrate 🎉"
subtitle: "Flags 🇫🇷🇯🇵, skin tones 👍🏽, keycaps {KEYCAP}, families {FAMILY}"
author: Dana Example
date: "2026-11-20"
tags: [Shipping, DevLife]
summary: |
  We shipped 🚀 on Friday. Here is what worked ✅ and what did not ❌.
sections:
  - title: "Popular options 🔥"
    points:
      - "Feature flags 🚩 keep risk small"
      - text: "Canary releases 🐤"
        points: ["{KEYCAP} one region first", "2️⃣ then everyone 🌍"]
    notes: |
      Tell the story of the rollback 😅 in 2025.
    body: |
      Teams 👩‍💻👨‍💻 that ship daily sleep better 😴.
  - title: "Numbers 123 #hash *star"
    points: ["Up 42% 📈", "Down 7 # issues"]
"""


def test_every_emoji_in_unicode_data_is_looked_up():
    # ``possible`` is the cheap pre-test that skips the look-up: it must never skip an emoji.
    assert [e for e in emoji_data.EMOJI_DATA if not emojis.possible(e)] == []


def test_text_without_emoji_in_any_script_needs_no_look_up():
    assert not emojis.possible("Plain “quotes” — dashes … é, 日本語, العربية, עברית")


@pytest.mark.parametrize("sequence", ["🚀", "🇫🇷", "👍🏽", KEYCAP, FAMILY, "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"])
def test_a_sequence_is_one_span(sequence):
    assert emojis.spans(f"a {sequence} b") == [(2, 2 + len(sequence))]
    assert emojis.strip(f"a {sequence} b") == "a  b"


def test_strip_only_removes_the_sequences_named():
    assert emojis.strip("🚀 and 🎉", only=["🎉"]) == "🚀 and "


def test_digits_hash_and_star_alone_are_not_emoji():
    assert emojis.spans("Numbers 123 #hash *star") == []


def test_an_emoji_sequence_is_measured_as_one_wide_glyph():
    metrics = fonts.resolve(("Carlito", "DejaVu Sans")).metrics
    for sequence in ("🚀", KEYCAP, "🇫🇷", FAMILY, "👍🏽"):
        assert sum(metrics.widths(sequence)) == pytest.approx(emojis.WIDTH_EM)
    # a digit is narrow; the keycap emoji it starts is not
    assert sum(metrics.widths("1")) < 0.6 < emojis.WIDTH_EM


def test_a_line_of_emoji_wraps_where_wide_glyphs_would_leave_the_box():
    book = fit.FontBook(load_theme(TEMPLATES / "theme.yaml"))
    para = Para((Span("🚀 " * 20),), size=20)
    # 20 emoji at 1.3 em of 20 pt, with their spaces: about 600 pt; a 300 pt box needs 3 lines
    assert len(line_starts(para, 300, book)) >= 3


@given(st.lists(st.sampled_from(["🚀", "🇫🇷", KEYCAP, FAMILY, "a", " ", "é"]), max_size=40).map("".join))
def test_spans_cover_each_emoji_once_and_strip_leaves_the_rest(text):
    found = emojis.spans(text)
    assert all(a[1] <= b[0] for a, b in zip(found, found[1:]))
    left = emojis.strip(text)
    assert not emojis.spans(left)
    assert left.replace(" ", "").replace("a", "").replace("é", "") == ""


def test_parity_folds_emoji_out_of_pdfs_only():
    assert not parity.output("handout").reads_emoji and not parity.output("slides").reads_emoji
    assert parity.output("deck").reads_emoji and parity.output("article").reads_emoji
    # presentation selectors are kept or dropped by readers at will
    assert parity.normalise("1\ufe0f\u20e3 ❤\ufe0f") == parity.normalise("1\u20e3 ❤")


@pytest.fixture
def ship(tmp_path):
    path = tmp_path / "content" / "ship.yaml"
    path.parent.mkdir()
    path.write_text(SHIP, encoding="utf-8")
    return path


def _build(ship, tmp_path, outputs=None):
    warnings: list[str] = []
    from triptych import pipeline

    options = Options(out_dir=tmp_path / "out", jobs=1, **({"outputs": outputs} if outputs else {}))
    report = pipeline.build([ship], options, on_warning=warnings.append)
    return report, warnings


def test_an_emoji_talk_builds_every_output_and_passes_parity(ship, tmp_path):
    from triptych.writers import available

    report, _ = _build(ship, tmp_path, list(available()))
    assert report.exit_status == 0, [str(p) for f in report.files for p in f.problems]
    from pptx import Presentation

    deck = Presentation(tmp_path / "out" / "ship.pptx")
    title = deck.slides[0].shapes.title.text_frame.text
    assert title == "Ship it 🚀 and celebrate 🎉"  # kept as text, the sequence intact
    article = (tmp_path / "out" / "ship.md").read_text(encoding="utf-8")
    assert f"keycaps {KEYCAP}, families {FAMILY}" in article


def test_a_deck_that_loses_an_emoji_fails_parity(ship, tmp_path):
    _build(ship, tmp_path, ["article"])
    md = tmp_path / "out" / "ship.md"
    md.write_text(md.read_text(encoding="utf-8").replace("Canary releases 🐤", "Canary releases"), encoding="utf-8")
    problems = parity.check(load(ship), {"article": md})
    assert [p.field for p in problems] == ["sections[0].points[1]"]


def _without_emoji(cov: glyphs.Coverage) -> glyphs.Coverage:
    ranges = []
    for start, end in cov.ranges:
        for lo, hi in ((start, min(end, 0x1F2FF)), (max(start, 0x1FB00), end)):
            if lo <= hi:
                ranges.append((lo, hi))
    cut = [(lo, hi) for lo, hi in ranges if not (lo >= 0x20E3 and hi <= 0x20E3)]
    return glyphs.Coverage(glyphs._merge(cut), cov.families - {"Noto Color Emoji"})


def test_without_an_emoji_font_the_pdfs_leave_emoji_out_and_say_so_once(ship, tmp_path, monkeypatch):
    bare = _without_emoji(glyphs.coverage())
    monkeypatch.setattr(glyphs, "coverage", lambda: bare)
    assert "🚀" in glyphs.undrawable_emoji(load(ship), bare)
    assert glyphs.missing(load(ship), bare) == []  # emoji are never a reason to refuse the file
    report, warnings = _build(ship, tmp_path, ["handout", "slides"])
    assert report.exit_status == 0, [str(p) for f in report.files for p in f.problems]
    said = [w for w in warnings if "emoji" in w]
    assert len(said) == 1 and "fonts-noto-color-emoji" in said[0] and "🚀" in said[0]
    text = parity.read_output("handout", tmp_path / "out" / "ship.pdf")
    assert "🚀" not in text and "Ship it" in text


def test_with_an_emoji_font_digits_stay_in_the_text_font(ship, tmp_path):
    """Where an emoji font is installed (CI installs one), it draws the emoji and nothing
    else: digits, '#' and '*' set in it read back as nothing, so the page footer and the
    section titled with numbers would be missing from the PDF's text."""
    if "\U0001f680" not in glyphs.coverage():
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install fonts-noto-color-emoji (scripts/install-test-deps.sh)")
        pytest.skip("no emoji font installed")
    report, _ = _build(ship, tmp_path, ["handout", "slides"])
    assert report.exit_status == 0, [str(p) for f in report.files for p in f.problems]
    for name in ("ship.pdf", "ship.slides.pdf"):
        fonts_used = _fonts_of(tmp_path / "out" / name, "0123456789#*")
        assert fonts_used and not [f for f in fonts_used if "emoji" in f.lower()], (name, fonts_used)
    text = parity.normalise(parity.read_output("handout", tmp_path / "out" / "ship.pdf"))
    for words in ("Page 1 of", "Numbers 123 #hash *star", "Up 42%", "Down 7 # issues", "20 November 2026"):
        assert parity.normalise(words) in text


def _fonts_of(pdf, chars: str) -> set[str]:
    """The names of the fonts that draw any of ``chars`` anywhere in ``pdf`` (PDFium)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    found = set()
    buffer, flags = ctypes.create_string_buffer(256), ctypes.c_int()
    document = pdfium.PdfDocument(pdf)
    for page in document:
        textpage = page.get_textpage()
        for i in range(textpage.count_chars()):
            if chr(raw.FPDFText_GetUnicode(textpage, i)) in chars:
                raw.FPDFText_GetFontInfo(textpage, i, buffer, len(buffer), ctypes.byref(flags))
                found.add(buffer.value.decode("latin-1"))
        textpage.close()
        page.close()
    document.close()
    return found


def test_keycaps_and_symbols_with_a_presentation_selector_leave_the_digits_alone(tmp_path):
    """"#️⃣", "©️" and "™️" (a symbol and U+FE0F) are drawn by the emoji font; the date, the
    years beside them and "Page n of N" stay in the text font."""
    if "\U0001f680" not in glyphs.coverage():
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install fonts-noto-color-emoji (scripts/install-test-deps.sh)")
        pytest.skip("no emoji font installed")
    path = tmp_path / "content" / "keys.yaml"
    path.parent.mkdir()
    path.write_text('title: "Keycaps 1\\ufe0f\\u20e3 #\\ufe0f\\u20e3 and \\u00a9\\ufe0f 2026"\n'
                    "author: Dana Example\ndate: \"2026-11-20\"\n"
                    'summary: "Step 2\\ufe0f\\u20e3 in 2026, \\u2122\\ufe0f 42 and *\\ufe0f\\u20e3 7."\n'
                    'sections:\n  - title: "Numbers 123 after #\\ufe0f\\u20e3"\n    points: ["Price 19.99 \\u00a9\\ufe0f"]\n',
                    encoding="utf-8")
    report, _ = _build(path, tmp_path, ["handout", "slides"])
    assert report.exit_status == 0, [str(p) for f in report.files for p in f.problems]
    for name in ("keys.pdf", "keys.slides.pdf"):
        fonts_used = _fonts_of(tmp_path / "out" / name, "0123456789#*")
        assert fonts_used and not [f for f in fonts_used if "emoji" in f.lower()], (name, fonts_used)
    text = parity.normalise(parity.read_output("handout", tmp_path / "out" / "keys.pdf"))
    for words in ("Page 1 of", "20 November 2026", "Numbers 123 after", "Price 19.99"):
        assert parity.normalise(words) in text
