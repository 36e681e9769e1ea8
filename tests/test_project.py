"""triptych/project.py: where a build finds its templates, and ``--init``'s starter project.

The CLI tests run ``main`` in this process with the working folder set to a temporary
project, as a user runs ``triptych`` in it; the wheel itself is tested in test_install.py."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image

from triptych import load
from triptych.cli import main
from triptych.project import (DEFAULT_TEMPLATES, STARTER_IMAGE, STARTER_TALK, ExistsError, draw_three_panels, init,
                              project_templates)
from triptych.writers.article import platform_warnings

from conftest import TEMPLATES


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_in_a_clone_the_default_templates_are_the_repositorys():
    assert DEFAULT_TEMPLATES == TEMPLATES.resolve()


def test_a_projects_own_templates_folder_wins(tmp_path):
    assert project_templates(tmp_path) == DEFAULT_TEMPLATES
    (tmp_path / "templates").mkdir()
    assert project_templates(tmp_path) == tmp_path / "templates"
    # a file named templates is not a templates folder
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "templates").write_text("x")
    assert project_templates(tmp_path / "other") == DEFAULT_TEMPLATES


def test_init_writes_the_starter_talk_and_its_picture(tmp_path):
    written = init(tmp_path / "new" / "project", today=dt.date(2027, 3, 4))
    folder = tmp_path / "new" / "project"
    assert written == [folder / STARTER_TALK, folder / STARTER_IMAGE]
    assert sorted(snapshot(folder)) == ["content/first-talk.yaml", "content/images/three-panels.png"]
    talk = load(folder / STARTER_TALK)
    assert talk.date == dt.date(2027, 3, 4)
    assert platform_warnings(talk) == []  # it builds cleanly: no mistake, no warning


def test_the_starter_talk_shows_every_part_of_the_format(tmp_path):
    init(tmp_path)
    talk = load(tmp_path / STARTER_TALK)
    sections = talk.sections
    assert talk.title and talk.subtitle and talk.author.name and talk.summary and talk.tags
    assert any(point.points for s in sections for point in s.points), "points with nesting"
    for part in ("table", "compare", "quote", "image", "chart", "body", "notes"):
        assert any(getattr(s, part) for s in sections), part
    assert all(s.notes for s in sections)
    image = next(s.image for s in sections if s.image)
    assert image.path == (tmp_path / STARTER_IMAGE).resolve() and image.alt and image.caption


def test_the_starter_picture_is_a_16_by_9_png_drawn_the_same_every_time():
    data = draw_three_panels()
    assert data == draw_three_panels()
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.format == "PNG" and picture.size == (1200, 675)


def test_init_with_templates_copies_every_default_template(tmp_path):
    init(tmp_path, with_templates=True)
    copied = snapshot(tmp_path / "templates")
    # The built-in themes (themes/) stay in the package: 'extends: night' finds them there.
    assert copied == {name: data for name, data in snapshot(DEFAULT_TEMPLATES).items() if "/" not in name}
    assert "theme.yaml" in copied


def test_init_overwrites_nothing_and_names_every_file_in_the_way(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / STARTER_TALK).write_text("my own talk")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "theme.yaml").write_text("my own theme")
    before = snapshot(tmp_path)
    with pytest.raises(ExistsError) as caught:
        init(tmp_path, with_templates=True)
    assert caught.value.paths == [tmp_path / STARTER_TALK, tmp_path / "templates" / "theme.yaml"]
    assert snapshot(tmp_path) == before  # the picture, which was free, was not written either


def test_init_adds_the_starter_beside_other_talks(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "mine.yaml").write_text("title: mine")
    init(tmp_path)
    assert (tmp_path / "content" / "mine.yaml").read_text() == "title: mine"
    assert (tmp_path / STARTER_TALK).is_file()


def test_init_does_not_follow_a_symlink_in_the_way(tmp_path):
    target = tmp_path / "elsewhere.yaml"
    (tmp_path / "p" / "content").mkdir(parents=True)
    (tmp_path / "p" / STARTER_TALK).symlink_to(target)
    with pytest.raises(ExistsError):
        init(tmp_path / "p")
    assert not target.exists()


# --- the command line -------------------------------------------------------------------


def test_cli_init_then_a_plain_build_in_the_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["--init", "talks"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == ["created talks/content/first-talk.yaml", "created talks/content/images/three-panels.png",
                                "next: cd talks && triptych  (builds content/ into output/)"]
    monkeypatch.chdir(tmp_path / "talks")
    assert main(["--only", "article,post", "--jobs", "1", "-q"]) == 0
    assert sorted(snapshot(tmp_path / "talks" / "output")) == [
        ".triptych-cache.json", "first-talk.charts/a-chart.png", "first-talk.linkedin.txt", "first-talk.md"]
    assert "](../content/images/three-panels.png)" in (tmp_path / "talks" / "output" / "first-talk.md").read_text()


def test_cli_init_refuses_to_overwrite_naming_each_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["--init", "."]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "next: triptych  (builds content/ into output/)"
    before = snapshot(tmp_path)
    assert main(["--init", ".", "--with-templates"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == ["content/first-talk.yaml: already exists; --init never overwrites anything",
                   "content/images/three-panels.png: already exists; --init never overwrites anything",
                   "nothing written: move them away or start the project in another folder"]
    assert snapshot(tmp_path) == before


def test_cli_init_into_a_file_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("talks").write_text("a file")
    assert main(["--init", "talks/sub"]) == 2
    assert capsys.readouterr().err.startswith("talks: already exists; --init never overwrites anything\n")
    assert Path("talks").read_text() == "a file"


def test_cli_project_templates_win_over_the_built_in_ones(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["--init", ".", "--with-templates", "-q"]) == 0
    post = tmp_path / "templates" / "post.txt.j2"
    post.write_text("From my own templates.\n" + post.read_text())
    assert main(["--only", "post", "--jobs", "1", "-q"]) == 0
    assert (tmp_path / "output" / "first-talk.linkedin.txt").read_text().startswith("From my own templates.")
    # --templates still names another folder explicitly
    assert main(["--only", "post", "--jobs", "1", "-q", "--templates", str(DEFAULT_TEMPLATES), "--out", "o2"]) == 0
    assert not (tmp_path / "o2" / "first-talk.linkedin.txt").read_text().startswith("From my own templates.")


@pytest.mark.parametrize("argv, message", [
    (["--with-templates"], "--with-templates goes with --init DIR"),
    (["--init", "x", "content/a.yaml"], "--init takes a folder, not content files"),
    (["--init", "x", "--check"], "not allowed with argument"),
])
def test_cli_init_misuse_is_a_usage_error(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2 and message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_folder_without_content_points_to_init(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main([]) == 2
    assert "`triptych --init .` starts a project here" in capsys.readouterr().err
