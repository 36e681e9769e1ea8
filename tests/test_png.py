"""--png: each page of the slides PDF and the carousel as a PNG, a folder written as a whole."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image

from triptych.files import write_folder_atomic
from triptych.pipeline import Options, build
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("png")
    shutil.copytree(SAMPLE.parent, folder / "content")
    options = Options(out_dir=folder / "out", outputs=["slides", "carousel"], png=True)
    [result] = build([folder / "content" / SAMPLE.name], options).files
    assert result.ok, result.problems
    return folder, options


@pytest.mark.parametrize("name, size", [("slides", (1920, 1080)), ("carousel", (1080, 1350))])
def test_every_page_is_a_png_of_its_size(built, name, size):
    import pypdfium2 as pdfium

    folder, _ = built
    pngs = sorted((folder / "out" / f"{SAMPLE.stem}.{name}").iterdir())
    pages = len(pdfium.PdfDocument(str(folder / "out" / f"{SAMPLE.stem}.{name}.pdf")))
    assert [p.name for p in pngs] == [f"{n:02d}.png" for n in range(1, pages + 1)]
    assert {Image.open(p).size for p in pngs} == {size}


def test_a_failed_build_leaves_the_last_good_set(built):
    folder, options = built
    pngs = folder / "out" / f"{SAMPLE.stem}.slides"
    before = {p.name: p.read_bytes() for p in pngs.iterdir()}
    content = folder / "content" / SAMPLE.name
    good = content.read_text(encoding="utf-8")
    try:
        content.write_text(good.replace("sections:", "sections: [", 1), encoding="utf-8")
        [result] = build([content], Options(**{**options.__dict__, "force": True})).files
        assert result.exit_status == 2
    finally:
        content.write_text(good, encoding="utf-8")
    assert {p.name: p.read_bytes() for p in pngs.iterdir()} == before
    # The same content again: the same images, byte for byte.
    [result] = build([content], Options(**{**options.__dict__, "force": True})).files
    assert result.ok and {p.name: p.read_bytes() for p in pngs.iterdir()} == before


def test_a_folder_is_replaced_whole_or_not_at_all(tmp_path):
    folder = tmp_path / "x.slides"
    write_folder_atomic(folder, {"01.png": b"one", "02.png": b"two", "03.png": b"three"})
    write_folder_atomic(folder, {"01.png": b"new"})  # fewer pages: no stale 02 and 03
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {"01.png": b"new"}
    with pytest.raises(OSError):
        write_folder_atomic(folder, {"01.png": b"newer", "no/such/dir.png": b"fails"})
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {"01.png": b"new"}
    assert [p.name for p in tmp_path.iterdir()] == ["x.slides"]  # no temporary folder left behind
