"""Font files for a theme's family list, and widths measured from them."""

from __future__ import annotations

import pytest

from triptych import fonts


def test_calibri_is_measured_with_its_metric_twin_and_written_as_calibri():
    face = fonts.resolve(("Calibri", "Carlito", "DejaVu Sans"))
    if face.metrics.file is None or face.metrics.file.family != "Carlito":
        pytest.skip("Carlito is not installed here")
    assert face.written == "Calibri"


def test_a_family_that_is_not_installed_falls_back_to_dejavu_and_is_written_as_measured():
    face = fonts.resolve(("No Such Family 123",))
    assert face.metrics.file is not None and face.metrics.file.family == "DejaVu Sans"
    assert face.written == "DejaVu Sans"  # what was measured, so renderers use the same widths


def test_code_falls_back_to_the_monospaced_dejavu():
    face = fonts.resolve(("No Such Mono 123",), mono=True)
    assert face.metrics.file.family == "DejaVu Sans Mono"
    assert face.metrics.width("iii", 10) == pytest.approx(face.metrics.width("WWW", 10))


@pytest.mark.parametrize("bold, italic", [(False, False), (True, False), (False, True), (True, True)])
def test_styles_pick_the_matching_normal_width_file(bold, italic):
    face = fonts.resolve(("DejaVu Sans",), bold, italic)
    assert (face.metrics.file.bold, face.metrics.file.italic) == (bold, italic)
    assert "Condensed" not in face.metrics.file.path.name


def test_widths_scale_with_size_and_differ_by_glyph():
    metrics = fonts.resolve(("DejaVu Sans",)).metrics
    assert metrics.width("WWW", 20) == pytest.approx(2 * metrics.width("WWW", 10))
    assert metrics.width("WWW", 10) > metrics.width("iii", 10) > 0
    assert metrics.width("", 10) == 0


def test_a_character_without_a_glyph_counts_one_em():
    metrics = fonts.resolve(("DejaVu Sans",)).metrics
    assert metrics.width("\U0001D11E\U000E0001", 10) == pytest.approx(20)  # no glyphs in DejaVu Sans


def test_approximate_metrics_stand_in_when_no_file_is_found():
    metrics = fonts.Metrics.approximate()
    assert metrics.width("abc", 10) == pytest.approx(18.6)


def test_warm_reads_each_family_lists_regular_bold_and_italic_and_leaves_no_garbage():
    import gc

    fonts._resolve.cache_clear()
    gc.collect()
    fonts.warm([("DejaVu Sans",), ("No Such Family 123", "DejaVu Sans")])
    assert gc.isenabled() and gc.collect() == 0
    hits = fonts._resolve.cache_info().hits
    for families in ("DejaVu Sans",), ("No Such Family 123", "DejaVu Sans"):
        for bold, italic in fonts.WARM_STYLES:
            fonts.resolve(families, bold, italic)
    assert fonts._resolve.cache_info().hits == hits + 6


@pytest.mark.parametrize("family, bold, italic", [("Carlito", False, False), ("Carlito", True, False),
                                                  ("DejaVu Sans", False, True), ("DejaVu Sans Mono", False, False)])
def test_every_character_of_a_face_measures_as_fonttools_own_glyph_names_have_it(family, bold, italic):
    """Metrics names glyphs by their index (cheaper than the names fontTools makes up):
    every character the face maps must get the advance its own glyph names give it."""
    from fontTools.ttLib import TTFont

    faces = fonts.installed().get(family.lower())
    if not faces:
        pytest.skip(f"{family} is not installed here")
    file = fonts._pick(faces, bold, italic)
    font = TTFont(str(file.path), fontNumber=file.number, lazy=True)
    cmap, advances = font.getBestCmap(), font["hmtx"].metrics
    metrics = fonts.Metrics(file, fallbacks=())
    assert len(cmap) > 200
    assert {code: metrics.char_width(chr(code)) for code in cmap} == {
        code: advances[name][0] / font["head"].unitsPerEm for code, name in cmap.items()}
