"""Tests for triptych.watch: which changes rebuild what, and the loop that keeps going.

The loop is driven with fake batches of changes (what watchfiles would yield), so nothing
here waits on the file system or on time. The last tests run ``watch`` itself on real
files with the light outputs.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import MINIMAL, TEMPLATES
from triptych.errors import Problem
from triptych.pipeline import FileResult, Options, Report
from triptych.watch import DELETED, Watched, affected, loop, summary, watch

ADDED, MODIFIED = 1, 2


@pytest.fixture
def tree(tmp_path):
    """content/{a,b}.yaml and an image, a templates folder, an output folder."""
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    for name in ("a", "b"):
        (content / f"{name}.yaml").write_text(textwrap.dedent(MINIMAL).lstrip(), encoding="utf-8")
    (content / "images" / "pic.png").write_bytes(b"\x89PNG")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def watched(tree: Path, files=(), **kw) -> Watched:
    options = Options(out_dir=tree / "out", templates=tree / "templates", **kw)
    return Watched.of(list(files), options, content_dir=tree / "content")


def names(paths) -> list[str]:
    return [p.name for p in paths]


@pytest.mark.parametrize("changed, kind, rebuilt, deleted", [
    ("content/a.yaml", MODIFIED, ["a.yaml"], []),
    ("content/c.yaml", ADDED, ["c.yaml"], []),
    ("content/a.yaml", DELETED, [], ["a.yaml"]),
    ("content/images/pic.png", MODIFIED, ["a.yaml", "b.yaml"], []),
    ("templates/article.md.j2", MODIFIED, ["a.yaml", "b.yaml"], []),
    ("templates/theme.yaml", MODIFIED, ["a.yaml", "b.yaml"], []),
    ("out/a.md", MODIFIED, [], []),
    ("out/.triptych-cache.json", MODIFIED, [], []),
    ("content/.a.yaml.swp", MODIFIED, [], []),
    ("content/notes.txt", ADDED, ["a.yaml", "b.yaml"], []),
    ("elsewhere/x.yaml", MODIFIED, [], []),
])
def test_what_one_change_rebuilds(tree, changed, kind, rebuilt, deleted):
    if kind == ADDED and changed.endswith(".yaml"):
        (tree / changed).write_text("title: new\n")
    got, gone = affected({(kind, str(tree / changed))}, watched(tree))
    assert (names(got), names(gone)) == (rebuilt, deleted)


def test_a_batch_rebuilds_each_file_once_in_build_order(tree):
    batch = {(MODIFIED, str(tree / "content" / "b.yaml")), (MODIFIED, str(tree / "content" / "a.yaml")),
             (ADDED, str(tree / "content" / "b.yaml"))}
    assert names(affected(batch, watched(tree))[0]) == ["a.yaml", "b.yaml"]


def test_named_files_watch_only_themselves(tree):
    w = watched(tree, files=[tree / "content" / "a.yaml"])
    assert names(affected({(MODIFIED, str(tree / "content" / "b.yaml"))}, w)[0]) == []
    assert names(affected({(MODIFIED, str(tree / "content" / "a.yaml"))}, w)[0]) == ["a.yaml"]
    assert names(affected({(MODIFIED, str(tree / "templates" / "page.html.j2"))}, w)[0]) == ["a.yaml"]


def test_a_theme_outside_the_templates_is_watched_exactly(tree):
    theme = tree / "brand" / "theme.yaml"
    theme.parent.mkdir()
    shutil.copyfile(TEMPLATES / "theme.yaml", theme)
    w = watched(tree, theme_file=theme)
    assert tree / "brand" in w.roots()
    assert names(affected({(MODIFIED, str(theme))}, w)[0]) == ["a.yaml", "b.yaml"]
    assert names(affected({(MODIFIED, str(tree / "brand" / "logo.png"))}, w)[0]) == []


def test_roots_are_existing_folders_without_overlap(tree):
    roots = watched(tree).roots()
    assert sorted(roots) == sorted([tree / "content", tree / "templates"])


def result(path: Path, written=0, unchanged=0, problems=()) -> FileResult:
    r = FileResult(path, written=[path.with_suffix(".md")] * written, unchanged=[path.with_suffix(".pdf")] * unchanged)
    if problems:
        r.problems, r.exit_status = list(problems), 2
    return r


def test_the_loop_builds_first_then_once_per_batch_and_survives_errors(tree, monkeypatch):
    monkeypatch.chdir(tree)
    calls, lines = [], []
    a, b = tree / "content" / "a.yaml", tree / "content" / "b.yaml"
    bad = Problem("content/a.yaml", 3, "sections[0].title", "is required")

    def rebuild(files):
        calls.append(names(files))
        if len(calls) == 3:
            raise RuntimeError("a bug")
        if len(calls) == 4:
            return Report([result(a, problems=[bad])])
        return Report([result(f, written=1, unchanged=2) for f in files], warnings=["a warning"] if len(calls) == 2 else [])

    batches = [
        {(MODIFIED, str(a))},
        {(MODIFIED, str(tree / "out" / "a.md"))},  # our own output: no rebuild
        {(MODIFIED, str(b))},
        {(MODIFIED, str(a))},
        {(MODIFIED, str(tree / "templates" / "theme.yaml"))},
    ]
    runs = loop(batches, watched(tree), rebuild, lines.append, clock=lambda: "12:00:00")
    assert runs == 5
    assert calls == [["a.yaml", "b.yaml"], ["a.yaml"], ["b.yaml"], ["a.yaml"], ["a.yaml", "b.yaml"]]
    assert lines[0].startswith("12:00:00 content/a.yaml, content/b.yaml: 2 written, 4 unchanged in ")
    assert "  warning: a warning" in lines
    assert any(line.startswith("12:00:00 internal error") and "RuntimeError: a bug" in line for line in lines)
    assert "  content/a.yaml:3: sections[0].title: is required" in lines
    assert any(line.endswith(" in " + line.split()[-1]) and "1 failed" in line for line in lines)
    # The loop went on after the bug and after the content mistake.
    assert lines[-1].startswith("12:00:00 ") and "2 written" in lines[-1]


def test_a_file_saved_during_the_first_build_is_rebuilt(tree, monkeypatch):
    # The file watcher starts after the first build: a save while it ran went unseen, and
    # the preview kept the old words until the next save.
    monkeypatch.chdir(tree)
    a, b = tree / "content" / "a.yaml", tree / "content" / "b.yaml"
    calls = []

    def rebuild(files):
        calls.append(names(files))
        if len(calls) == 1:
            a.write_text(a.read_text(encoding="utf-8").replace("A small talk", "A smaller talk"), encoding="utf-8")
            b.unlink()
        return Report([result(f) for f in files])

    lines = []
    assert loop([], watched(tree), rebuild, lines.append, clock=lambda: "t") == 2
    assert calls == [["a.yaml", "b.yaml"], ["a.yaml"]]
    assert "t content/b.yaml was deleted; its outputs are left in place" in lines


def test_a_deleted_file_is_reported_not_built(tree, monkeypatch):
    monkeypatch.chdir(tree)
    lines = []
    a = tree / "content" / "a.yaml"
    loop([{(DELETED, str(a))}], watched(tree), lambda files: Report([result(f) for f in files]), lines.append,
         clock=lambda: "t")
    assert lines[-1] == "t content/a.yaml was deleted; its outputs are left in place"
    assert len(lines) == 2  # the first build, then the deletion: no rebuild


def test_summary_names_at_most_three_files(tmp_path):
    report = Report([result(tmp_path / f"{n}.yaml", written=1) for n in "abcde"])
    line = summary(report, 0.5, "t")
    assert " and 2 more: 5 written, 0 unchanged in 0.50s" in line


@pytest.mark.parametrize("jobs", [1, 2])
def test_watch_rebuilds_an_edited_file_for_real(tree, jobs, monkeypatch):
    monkeypatch.chdir(tree)
    a = tree / "content" / "a.yaml"
    options = Options(out_dir=tree / "out", outputs=["article"], templates=tree / "templates", jobs=jobs)
    lines = []

    def batches():
        yield set()  # watchfiles never yields an empty set; nothing must happen
        a.write_text(a.read_text().replace("One", "Uno"), encoding="utf-8")
        yield {(MODIFIED, str(a))}
        a.write_text(a.read_text().replace("title: A small talk", "title: [oops"), encoding="utf-8")
        yield {(MODIFIED, str(a))}

    assert watch([], options, echo=lines.append, batches=batches()) == 0
    built = [line for line in lines if " written" in line]
    assert "content/a.yaml, content/b.yaml: 2 written, 0 unchanged" in built[0]
    assert "content/a.yaml: 1 written, 0 unchanged" in built[1]
    assert "Uno" in (tree / "out" / "a.md").read_text()
    assert "content/a.yaml: 0 written, 0 unchanged, 1 failed" in built[2]
    assert any(line.startswith("  content/a.yaml:") and "YAML syntax" in line for line in lines)
    assert lines[-1] == "stopped watching"


def test_a_stop_that_arrives_as_the_watch_starts_ends_it_cleanly(tree, monkeypatch):
    """SIGHUP while the first batch is awaited, inside an import that wraps it (see
    test_stop.SignalledWhileNamed): the watch still says it stopped, exit status 0."""
    from test_stop import define_a_class_while_signalled

    monkeypatch.chdir(tree)
    options = Options(out_dir=tree / "out", outputs=["article"], templates=tree / "templates", jobs=1)
    lines = []

    def batches():
        define_a_class_while_signalled()
        yield set()

    assert watch([], options, echo=lines.append, batches=batches()) == 0
    assert lines[-1] == "stopped watching"
