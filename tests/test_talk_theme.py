"""``theme:`` in a content file: which theme a talk is built with, what its cache key
holds, and that a theme a content file names reads nothing outside the content folder."""

from __future__ import annotations

import textwrap

import pytest

from triptych.pipeline import Options, build
from triptych.theme import builtin_themes

from conftest import MINIMAL

LIGHT = ("article", "page")  # the page reads the theme, the article does not
NIGHT_BACKGROUND = "0F1724"
BRAND_BACKGROUND = "FAF0E0"


@pytest.fixture
def project(tmp_path):
    """content/talk.yaml naming ``theme:`` (set per test), content/themes/brand.yaml, and a
    build returning (exit status, {output: "written"/"unchanged"}, page HTML, problems)."""
    content = tmp_path / "content"
    (content / "themes").mkdir(parents=True)
    (content / "themes" / "brand.yaml").write_text(f'extends: paper\ncolors: {{background: "{BRAND_BACKGROUND}"}}\n')
    talk = content / "talk.yaml"
    out = tmp_path / "out"

    def run(theme: str | None, **options):
        head = f"theme: {theme}\n" if theme else ""
        talk.write_text(head + textwrap.dedent(MINIMAL).lstrip(), encoding="utf-8")
        report = build([talk], Options(out_dir=out, outputs=LIGHT, jobs=1, **options))
        (result,) = report.files
        states = {**{p.name: "written" for p in result.written}, **{p.name: "unchanged" for p in result.unchanged}}
        page = (out / "talk.html").read_text() if (out / "talk.html").exists() else ""
        return report.exit_status, states, page, [str(p) for p in result.problems]

    run.content = content
    return run


def test_a_talk_is_built_with_the_theme_it_names(project):
    status, _, page, _ = project("night")
    assert status == 0 and NIGHT_BACKGROUND in page
    status, _, page, _ = project("themes/brand.yaml")
    assert status == 0 and BRAND_BACKGROUND in page and NIGHT_BACKGROUND not in page
    status, _, page, _ = project(None)
    assert status == 0 and BRAND_BACKGROUND not in page and NIGHT_BACKGROUND not in page


def test_the_command_line_theme_wins_over_the_talks(project):
    status, _, page, _ = project("themes/brand.yaml", theme_file=builtin_themes()["night"])
    assert status == 0 and NIGHT_BACKGROUND in page and BRAND_BACKGROUND not in page


def test_an_edit_of_the_talks_theme_rebuilds_what_reads_the_theme(project):
    assert project("themes/brand.yaml")[1] == {"talk.md": "written", "talk.html": "written"}
    assert project("themes/brand.yaml")[1] == {"talk.md": "unchanged", "talk.html": "unchanged"}
    brand = project.content / "themes" / "brand.yaml"
    brand.write_text(brand.read_text() + 'fonts: {body: Carlito}\n')
    assert project("themes/brand.yaml")[1] == {"talk.md": "unchanged", "talk.html": "written"}


def test_a_mistake_in_the_talks_theme_fails_that_talk_at_the_themes_line(project):
    (project.content / "themes" / "brand.yaml").write_text('extends: paper\ncolors: {accent: "12345"}\n')
    status, states, _, problems = project("themes/brand.yaml")
    assert status == 2 and states == {}
    assert problems == [f"{project.content / 'themes' / 'brand.yaml'}:2: colors.accent: must be six hex digits such as 1F3A5F"]


def test_the_talks_theme_may_not_use_a_master_outside_the_content_folder(project, tmp_path):
    (tmp_path / "brand.pptx").write_bytes(b"PK a master outside the content folder")
    (project.content / "themes" / "brand.yaml").write_text("extends: paper\nmaster: ../../brand.pptx\n")
    status, states, _, problems = project("themes/brand.yaml")
    assert status == 2 and states == {}
    assert problems == [f"{project.content / 'themes' / 'brand.yaml'}:2: master: '../../brand.pptx' is outside the "
                        f"content folder {project.content}; a theme a content file names may use a master from that "
                        "folder only"]


def test_a_low_contrast_in_the_talks_theme_is_a_warning_or_with_strict_an_error(project):
    (project.content / "themes" / "brand.yaml").write_text('extends: paper\ncolors: {muted: "EEEEEE"}\n')
    status, _, _, _ = project("themes/brand.yaml")
    assert status == 0
    status, states, _, problems = project("themes/brand.yaml", strict=True)
    assert status == 2 and any("colors.muted: muted #EEEEEE on background" in p for p in problems)
