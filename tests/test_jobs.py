"""Tests for triptych.jobs and the parallel build: grouping, the same bytes with one
process or several, file order kept, one bad file never stopping the others, and a bug in
a worker surfacing as an error (not a hang)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import MINIMAL, TEMPLATES
from triptych import jobs
from triptych.pool import Pool
from triptych.pipeline import Options, build

LIGHT = ["article", "page", "post"]


@pytest.mark.parametrize("names, groups", [
    (["deck", "article", "page", "post", "handout"], [("handout",), ("deck",), ("article", "page", "post")]),
    (["article"], [("article",)]),
    (["handout"], [("handout",)]),
    (["deck", "handout"], [("handout",), ("deck",)]),
    ([], []),
])
def test_split_gives_heavy_outputs_a_job_each(names, groups):
    assert jobs.split(names) == groups


@pytest.fixture
def many(tmp_path):
    """Four content files, the third one broken."""
    content = tmp_path / "content"
    content.mkdir()
    paths = []
    for k in range(4):
        text = textwrap.dedent(MINIMAL).lstrip().replace("A small talk", f"Talk number {k}")
        if k == 2:
            text = text.replace("title: Talk number 2", "title: [oops")
        path = content / f"talk-{k}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def run(paths, out, jobs_: int, **kw):
    return build(paths, Options(out_dir=out, outputs=LIGHT, templates=TEMPLATES, jobs=jobs_, **kw))


def test_one_process_and_a_pool_write_the_same_bytes_in_the_same_order(many, tmp_path):
    serial, parallel = run(many, tmp_path / "one", 1), run(many, tmp_path / "two", 2)
    for report in (serial, parallel):
        assert [f.source.name for f in report.files] == [p.name for p in many]
        assert [f.exit_status for f in report.files] == [0, 0, 2, 0]
        assert report.exit_status == 2
    for name in sorted(p.name for p in (tmp_path / "one").iterdir() if not p.name.startswith(".")):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert len(list((tmp_path / "two").glob("talk-*"))) == 3 * len(LIGHT)


def test_progress_counts_every_output_once(many, tmp_path):
    seen = []
    build(many, Options(out_dir=tmp_path / "o", outputs=LIGHT, templates=TEMPLATES, jobs=2),
          on_progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (4 * len(LIGHT), 4 * len(LIGHT))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def crash(talk, ctx):
    raise ZeroDivisionError("writer bug")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_worker_bug_is_raised_in_the_building_process(many, tmp_path, monkeypatch, workers):
    """A writer that crashes (not a ContentError) is our bug: it must reach the caller
    (the CLI prints it and exits 1), with nothing half-written, whether the writers run in
    this process (``jobs=1``) or in a pool."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    from triptych.writers import writer

    monkeypatch.setattr(writer("post"), "render", crash)  # forked workers inherit the patch
    with pytest.raises(ZeroDivisionError):
        build(many[:1], Options(out_dir=tmp_path / "out", outputs=LIGHT, templates=templates, jobs=workers))
    assert not list((tmp_path / "out").glob("talk-*"))


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_worker_bug_is_exit_1_with_its_traceback_and_internal_error(many, tmp_path, monkeypatch, capsys, workers):
    from triptych import cli
    from triptych.writers import writer

    monkeypatch.setattr(writer("post"), "render", crash)
    status = cli.main([str(many[0]), "--out", str(tmp_path / "out"), "--only", ",".join(LIGHT),
                       "--templates", str(TEMPLATES), "--jobs", workers])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback (most recent call last)" in err and "ZeroDivisionError: writer bug" in err
    assert err.rstrip().endswith("internal error: this is a bug in triptych, not in your content; "
                                 "please report it with the traceback above")
    assert not list((tmp_path / "out").glob("talk-*"))


def test_one_job_gives_the_bytes_and_their_parity_check(tmp_path):
    from triptych.loader import load
    from triptych.theme import load_theme

    path = tmp_path / "talk.yaml"
    path.write_text(textwrap.dedent(MINIMAL).lstrip(), encoding="utf-8")
    talk = load(path)
    job = jobs.Job(talk, ("article",), {"article": tmp_path / "out" / "talk.md"}, TEMPLATES,
                   load_theme(TEMPLATES / "theme.yaml"), {}, True)
    future = Pool(1).submit(job)
    assert future.done()  # one job at a time, in this process
    outcome = future.result()
    assert b"First things" in outcome.data["article"] and outcome.exit_status == 0
    (check,) = outcome.checks
    assert check.ok and check.found == check.expected > 0 and check.path == tmp_path / "out" / "talk.md"
    assert not (tmp_path / "out").exists()  # a job never writes where outputs go


def test_the_cli_rejects_a_job_count_that_is_not_a_positive_number(capsys):
    from triptych import cli

    for bad in ("0", "-1", "two"):
        with pytest.raises(SystemExit) as stop:
            cli.main(["--jobs", bad])
        assert stop.value.code == 2
        assert "is not a number of processes" in capsys.readouterr().err


def test_the_cli_force_flag_rebuilds(tmp_path, monkeypatch, capsys):
    from triptych import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "talk.yaml").write_text(textwrap.dedent(MINIMAL).lstrip(), encoding="utf-8")
    args = ["talk.yaml", "--out", "out", "--only", "article", "--jobs", "1"]
    assert cli.main(args) == 0 and "wrote out/talk.md" in capsys.readouterr().out
    assert cli.main(args) == 0
    again = capsys.readouterr().out
    assert "unchanged out/talk.md" in again and "0 output(s) written, 1 unchanged" in again
    assert cli.main(args + ["--force"]) == 0 and "wrote out/talk.md" in capsys.readouterr().out


def test_a_big_job_asks_its_worker_to_release_memory_but_not_the_pdf(monkeypatch):
    sizes = iter([])
    monkeypatch.setattr(jobs, "_TRIM", lambda pad: 1)
    monkeypatch.setattr(jobs, "_resident_mib", lambda: next(sizes))
    monkeypatch.setattr(jobs, "run", lambda job: jobs.JobResult(data={n: b"x" for n in job.names}))

    def work(*names, grew):
        nonlocal sizes
        sizes = iter([100.0, 100.0 + grew])
        return jobs._work(jobs.Job(None, names, {}, TEMPLATES, None, {}, False))

    result, due = work("deck", grew=jobs.RELEASE_MIB)
    assert result.data == {"deck": b"x"} and due
    assert work("article", "page", grew=jobs.RELEASE_MIB + 1)[1]
    assert not work("deck", grew=jobs.RELEASE_MIB - 1)[1]  # a small job: not worth a collection
    assert not work("handout", grew=300)[1]  # the build waits on it: no collection, no trim
    monkeypatch.setattr(jobs, "_TRIM", None)  # no malloc_trim (macOS, musl): nothing to gain
    assert not work("deck", grew=300)[1]


def test_a_release_collects_every_generation_then_trims(monkeypatch):
    done = []
    monkeypatch.setattr(jobs.gc, "collect", lambda *generation: done.append(("collect", *generation)))
    monkeypatch.setattr(jobs, "_TRIM", lambda pad: done.append(("trim", pad)))
    jobs.release()
    assert done == [("collect",), ("trim", 0)]
    done.clear()
    monkeypatch.setattr(jobs, "_TRIM", None)
    jobs.release()
    assert done == [("collect",)]


def test_resident_memory_is_read_on_linux():
    if not Path("/proc/self/statm").exists():
        pytest.skip("/proc is Linux's")
    assert 1 < jobs._resident_mib() < 100_000


def test_malloc_trim_is_found_on_glibc():
    import platform

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("malloc_trim is a glibc function")
    assert callable(jobs._malloc_trim())


def test_a_build_reports_the_problems_of_every_output_at_once(tmp_path):
    # A job renders several outputs; the first one's mistake used to hide the others'.
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    for name in ("article.md.j2", "post.txt.j2"):
        (templates / name).write_text("{{ talk.title }\n", encoding="utf-8")
    path = tmp_path / "talk.yaml"
    path.write_text(textwrap.dedent(MINIMAL).lstrip(), encoding="utf-8")
    report = build([path], Options(out_dir=tmp_path / "out", outputs=LIGHT, templates=templates, jobs=1))
    (result,) = report.files
    assert result.exit_status == 2 and not result.written
    blamed = sorted(Path(p.path).name for p in result.problems)
    assert blamed == ["article.md.j2", "post.txt.j2"], [str(p) for p in result.problems]


def _stuck(job):
    """A job busy where SIGTERM cannot reach Python (as a long library call on a loaded
    machine), after making its parity check's folder."""
    import os
    import signal
    import tempfile
    import time

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    tempfile.mkdtemp(prefix=f"{jobs.CHECK_PREFIX}{os.getpid()}-")
    time.sleep(60)


def test_a_worker_killed_outright_leaves_no_temporary_folder(tmp_path, monkeypatch):
    import tempfile
    import time

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(jobs, "run", _stuck)
    pool = Pool(2)
    future = pool.submit(jobs.Job(None, ("article",), {}, TEMPLATES, None, {}, False))  # _stuck ignores it
    pool.wait([future], 0)  # starts it
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(f"{jobs.CHECK_PREFIX}*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(tmp_path.glob(f"{jobs.CHECK_PREFIX}*"))
    pool.close(kill=True)
    assert list(tmp_path.glob(f"{jobs.CHECK_PREFIX}*")) == []
