"""Arabic is drawn joined: a font that would draw its letters apart is refused, and the
handout of the Arabic talk really draws initial, medial and final letter shapes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

from triptych import Options, fonts, shaping
from triptych.loader import load

ARABIC = Path(__file__).parent / "fixtures" / "rtl" / "arabic-talk.yaml"
HEBREW = Path(__file__).parent / "fixtures" / "rtl" / "hebrew-in-english.yaml"


def _font_without_joining(path: Path) -> Path:
    """A font with every Arabic letter in its character map and no GSUB: it would draw
    each letter in its isolated shape."""
    letters = [c for c in range(0x0600, 0x0700) if chr(c).isalpha()]
    names = [".notdef", "space"] + [f"uni{c:04X}" for c in letters]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({0x20: "space", **{c: f"uni{c:04X}" for c in letters}})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0)), pen.lineTo((0, 500)), pen.lineTo((400, 500)), pen.closePath()
    box = pen.glyph()
    builder.setupGlyf({name: box for name in names})
    builder.setupHorizontalMetrics({name: (500, 0) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Loose Arabic", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))
    return path


@pytest.fixture
def loose_font(tmp_path, monkeypatch):
    path = _font_without_joining(tmp_path / "LooseArabic.ttf")
    table = dict(fonts.installed())
    table["loose arabic"] = [fonts.FontFile("Loose Arabic", path, 0, False, False)]
    monkeypatch.setattr(fonts, "installed", lambda: table)
    return path


def test_a_font_without_joining_forms_is_refused_naming_field_and_font(loose_font):
    assert not shaping.joins(str(loose_font))
    problems = shaping.unjoined(load(ARABIC), ("Loose Arabic", "Carlito"))
    assert problems and {p.field for p in problems} >= {"title", "sections[0].points[0]"}
    message = problems[0].message
    assert "Loose Arabic" in message and "isolated" in message and "fonts-noto-core" in message


def test_the_fonts_a_fresh_machine_has_join_arabic(loose_font):
    # DejaVu Sans (WeasyPrint's dependency on Debian) draws Arabic the theme's Carlito lacks.
    assert shaping.unjoined(load(ARABIC), ("Carlito", "Calibri")) == []
    assert shaping.unjoined(load(HEBREW), ("Loose Arabic",)) == []  # Hebrew letters do not join


def test_a_handout_in_a_loose_font_is_not_built(loose_font, tmp_path, monkeypatch):
    from triptych import pipeline

    theme = tmp_path / "theme.yaml"
    theme.write_text("extends: navy\nfonts: {body: [Loose Arabic], heading: [Loose Arabic]}\n", encoding="utf-8")
    report = pipeline.build([ARABIC], Options(out_dir=tmp_path / "out", jobs=1, outputs=["handout"], theme_file=theme))
    assert report.exit_status == 2
    assert any("isolated" in p.message for f in report.files for p in f.problems)
    assert not (tmp_path / "out" / "arabic-talk.pdf").exists()


#: DejaVu Sans's joined shapes of letters in the Arabic talk (Arabic Presentation Forms-B
#: names: initial, medial and final beh, lam, meem, noon, and the lam-alef ligature).
JOINED = {"uniFE91", "uniFE92", "uniFE90", "uniFEDF", "uniFEE0", "uniFEDE", "uniFEE3", "uniFEE4",
          "uniFEE2", "uniFEE7", "uniFEE8", "uniFEE6", "uniFEFB", "uniFEFC"}


def test_the_handout_draws_arabic_joined(tmp_path):
    from pypdf import PdfReader

    from triptych import pipeline

    original = next((f for f in fonts.installed().get("dejavu sans", []) if not f.bold and not f.italic
                     and f.path.name == "DejaVuSans.ttf"), None)
    if original is None:
        pytest.skip("DejaVu Sans is not installed")
    report = pipeline.build([ARABIC], Options(out_dir=tmp_path, jobs=1, outputs=["handout"]))
    assert report.exit_status == 0, [str(p) for f in report.files for p in f.problems]
    names = TTFont(str(original.path), lazy=True).getGlyphOrder()
    used: set[str] = set()
    for page in PdfReader(tmp_path / "arabic-talk.pdf").pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if not str(font["/BaseFont"]).endswith("+DejaVu-Sans"):
                continue
            data = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()["/FontFile2"]
            subset = TTFont(io.BytesIO(data.get_object().get_data()))
            glyf = subset["glyf"]
            # The subset keeps the original glyph ids; the glyphs drawn are those with outlines.
            used |= {names[gid] for gid, name in enumerate(subset.getGlyphOrder())
                     if gid < len(names) and glyf[name].numberOfContours}
    assert len(used & JOINED) >= 6, sorted(used & JOINED)
