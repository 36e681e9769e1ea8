"""Words per language: a talk in ``lang: ar`` takes the templates of ``templates/ar/`` first,
so its byline, page numbers and "(2/3)" can be in Arabic while English talks keep theirs."""

from __future__ import annotations

import shutil
from pathlib import Path

from triptych import Options, render
from triptych.project import DEFAULT_TEMPLATES

ARABIC = Path(__file__).parent / "fixtures" / "rtl" / "arabic-talk.yaml"
HEBREW = Path(__file__).parent / "fixtures" / "rtl" / "hebrew-in-english.yaml"


def _templates_with_arabic_words(tmp_path: Path) -> Path:
    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, templates)
    (templates / "ar").mkdir()
    shared = (templates / "shared.j2").read_text(encoding="utf-8")
    shared = shared.replace("By {{ caller(\"name\") }}", "بقلم {{ caller(\"name\") }}")
    assert "بقلم" in shared
    (templates / "ar" / "shared.j2").write_text(shared, encoding="utf-8")
    css = (templates / "handout.css.j2").read_text(encoding="utf-8").replace('"Page "', '"صفحة "').replace('" of "', '" من "')
    (templates / "ar" / "handout.css.j2").write_text(css, encoding="utf-8")
    return templates


def test_the_language_folder_is_found_by_tag_then_by_language(tmp_path):
    (tmp_path / "ar").mkdir()
    (tmp_path / "pt-br").mkdir()
    assert render.overlay(tmp_path, "ar-EG") == tmp_path / "ar"
    assert render.overlay(tmp_path, "pt-BR") == tmp_path / "pt-br"
    assert render.overlay(tmp_path, "pt") is None and render.overlay(tmp_path, "en") is None
    assert render.overlay(tmp_path, "../ar") is None  # a tag is a name, never a path


def test_an_arabic_talk_says_its_words_and_an_english_talk_keeps_the_folders(tmp_path):
    from triptych import parity, pipeline

    templates = _templates_with_arabic_words(tmp_path)
    out = tmp_path / "out"
    report = pipeline.build([ARABIC, HEBREW], Options(out_dir=out, jobs=1, templates=templates,
                                                       outputs=["page", "handout", "deck"]))
    assert report.exit_status == 0, [str(p) for f in report.files for p in f.problems]
    assert "بقلم" in (out / "arabic-talk.html").read_text(encoding="utf-8")
    assert "By Dana Example" in (out / "hebrew-in-english.html").read_text(encoding="utf-8")
    handout = parity.read_output("handout", out / "arabic-talk.pdf")
    assert "صفحة 1 من" in handout and "Page 1 of" not in handout
    assert "Page 1 of" in parity.read_output("handout", out / "hebrew-in-english.pdf")
