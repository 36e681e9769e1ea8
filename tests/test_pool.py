"""The worker pool (triptych/pool.py): WeasyPrint imported and warmed once, by the building
process, before the workers that render PDFs are forked; the other jobs start at once in
workers forked before; never more busy processes than ``--jobs``; a build without a PDF
never imports WeasyPrint; a failed or unsafe warm-up falls back to workers that import
what they need themselves, with the same bytes."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT, SAMPLE, TEMPLATES
from triptych import jobs, stop, weasy
from triptych import pool as pool_module
from triptych.pipeline import Options, build
from triptych.pool import Pool

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the warm-up is inherited through fork")

# Run as a user would, in a fresh process (this one may have imported WeasyPrint already):
# each job notes, in the worker, whether WeasyPrint was there when it started.
PROBE = """
import json, os, sys, time
import triptych.jobs as jobs
from triptych import cli
work = jobs._work
def probe(job):
    start = time.monotonic()
    loaded = "weasyprint" in sys.modules
    result = work(job)
    with open(sys.argv[1], "a") as fh:
        fh.write(json.dumps([os.getpid(), list(job.names), loaded, start, time.monotonic()]) + "\\n")
    return result
jobs._work = probe
status = cli.main(sys.argv[2:])
print(json.dumps({"status": status, "weasyprint": "weasyprint" in sys.modules}))
"""


def probed_build(tmp_path, *args: str) -> tuple[dict, list[list]]:
    log = tmp_path / "jobs.log"
    done = subprocess.run([sys.executable, "-c", PROBE, str(log), str(SAMPLE), "--out", str(tmp_path / "out"),
                           "--templates", str(TEMPLATES), "-q", *args],
                          cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1]), [json.loads(line) for line in log.read_text().splitlines()]


def test_pdf_workers_start_with_weasyprint_imported_once_by_the_building_process(tmp_path):
    parent, ran = probed_build(tmp_path, "--only", "deck,article,page,post,handout,slides,carousel", "--jobs", "2")
    assert parent == {"status": 0, "weasyprint": True}
    pdfs = [r for r in ran if set(r[1]) & {"handout", "slides", "carousel"}]
    others = [r for r in ran if r not in pdfs]
    assert sorted(n for r in pdfs for n in r[1]) == ["carousel", "handout", "slides"]
    assert all(loaded for _, _, loaded, _, _ in pdfs), "a PDF worker imported WeasyPrint itself"
    # The deck started at once, in a worker forked before the warm-up, which it did not wait for.
    (deck,) = [r for r in others if r[1] == ["deck"]]
    assert not deck[2] and deck[3] < min(r[3] for r in pdfs)
    # Never more than two jobs at the same time.
    for _, _, _, start, _ in ran:
        assert sum(1 for r in ran if r[3] <= start < r[4]) <= 2


def test_a_build_without_a_pdf_never_imports_weasyprint(tmp_path):
    parent, ran = probed_build(tmp_path, "--only", "deck,article,page,post", "--jobs", "2")
    assert parent == {"status": 0, "weasyprint": False}
    assert len(ran) == 2 and not any(loaded for _, _, loaded, _, _ in ran)


def sample_pdfs(tmp_path, name: str, **pool) -> dict[str, bytes]:
    out = tmp_path / name
    report = build([SAMPLE], Options(out_dir=out, outputs=["deck", "handout", "carousel"], templates=TEMPLATES, jobs=2),
                   **pool)
    assert report.exit_status == 0
    return {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}


def test_a_failed_warm_up_leaves_the_workers_to_import_it_with_the_same_bytes(tmp_path, monkeypatch):
    warm = sample_pdfs(tmp_path, "warm")

    def broken(family):
        raise OSError("no fontconfig here")

    monkeypatch.setattr(weasy, "warm", broken)
    pool = Pool(2)
    try:
        assert sample_pdfs(tmp_path, "cold", pool=pool) == warm
        assert pool._warmed is False and pool._workers
    finally:
        pool.close()


def test_no_worker_is_forked_from_a_warm_up_that_left_a_thread_running(tmp_path, monkeypatch):
    real, release = weasy.warm, threading.Event()

    def leaves_a_thread(family):
        real(family)
        threading.Thread(target=release.wait, daemon=True).start()

    monkeypatch.setattr(weasy, "warm", leaves_a_thread)
    pool = Pool(2)
    try:
        sample_pdfs(tmp_path, "out", pool=pool)
        assert pool._warmed is False
    finally:
        release.set()
        pool.close()


def test_a_watch_pool_keeps_its_warm_workers_and_replaces_the_early_ones(tmp_path):
    pool = Pool(2, warm_outputs=["deck", "handout", "carousel"])
    try:
        sample_pdfs(tmp_path, "first", pool=pool)
        first = {w.process.pid for w in pool._workers}
        assert len(first) == 2 and pool._warmed
        sample_pdfs(tmp_path, "second", pool=pool)
        assert {w.process.pid for w in pool._workers} == first  # kept across builds
    finally:
        pool.close()
    assert not pool._workers


def test_closing_ends_idle_and_busy_workers_at_once(tmp_path):
    pool = Pool(2)
    sample_pdfs(tmp_path, "out", pool=pool)
    processes = [w.process for w in pool._workers]
    start = time.monotonic()
    pool.close(kill=True)
    assert time.monotonic() - start < 2 and not any(p.is_alive() for p in processes)


def test_a_stop_during_the_warm_up_stops_the_build_even_when_python_wraps_it(tmp_path, monkeypatch):
    def interrupted(family):  # as Python 3.11 wraps a signal raised inside __set_name__ during an import
        raise RuntimeError("Error calling __set_name__") from stop.Stopped(signal.SIGTERM)

    monkeypatch.setattr(weasy, "warm", interrupted)
    with pytest.raises(RuntimeError) as raised:
        sample_pdfs(tmp_path, "out")
    assert stop.cause(raised.value) is not None


# Each job notes, in the worker, which fonts had been read for measuring when it started.
FONTS_PROBE = """
import json, sys
import triptych.jobs as jobs
from triptych import cli
work = jobs._work
def probe(job):
    fonts = sys.modules.get("triptych.fonts")
    read = fonts is not None and fonts.installed.cache_info().currsize == 1
    faces = fonts._resolve.cache_info().currsize if fonts is not None else 0
    with open(sys.argv[1], "a") as fh:
        fh.write(json.dumps([list(job.names), read, faces]) + "\\n")
    return work(job)
jobs._work = probe
sys.exit(cli.main(sys.argv[2:]))
"""


def test_pdf_workers_start_with_the_themes_fonts_read_by_the_building_process(tmp_path):
    """The warm-up also reads the installed fonts and the theme's heading and body faces
    (``jobs.prepare``), so no PDF worker reads them again; the deck's worker, forked before
    the warm-up, reads its own."""
    log = tmp_path / "jobs.log"
    done = subprocess.run([sys.executable, "-c", FONTS_PROBE, str(log), str(SAMPLE), "--out", str(tmp_path / "out"),
                           "--templates", str(TEMPLATES), "-q", "--only", "deck,handout,slides,carousel", "--jobs", "2"],
                          cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    ran = {tuple(names): (read, faces) for names, read, faces in map(json.loads, log.read_text().splitlines())}
    assert ran[("deck",)] == (False, 0)
    for pdf in ("handout",), ("slides",), ("carousel",):
        read, faces = ran[pdf]
        assert read and faces >= 3, f"{pdf[0]} started without the theme's fonts read"


def serving(tmp_path, monkeypatch, wait: float):
    """A worker (``pool._serve``, forked) whose every job reports that it left memory to
    release; each job and each release is logged, in order, in the file returned."""
    log = tmp_path / "serve.log"

    def note(line: str) -> None:
        with open(log, "a") as fh:
            fh.write(line + "\n")

    def work(job):
        note(f"job {job}")
        return jobs.JobResult(), True

    monkeypatch.setattr(jobs, "_work", work)
    monkeypatch.setattr(jobs, "release", lambda: note("release"))
    monkeypatch.setattr(pool_module, "RELEASE_WAIT", wait)
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    process = context.Process(target=pool_module._serve, args=(theirs, [ours], ()), daemon=True)
    process.start()
    theirs.close()
    return process, ours, log


def logged(log) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_a_worker_sends_its_result_before_releasing_and_an_ended_one_never_releases(tmp_path, monkeypatch):
    """The release (a full collection and malloc_trim, tens of milliseconds) comes after the
    result the build waits for; a worker ended as soon as it answers (the deck's early
    worker, retired for a warm one) never pays it."""
    process, conn, log = serving(tmp_path, monkeypatch, wait=60.0)
    conn.send("deck")
    assert conn.recv()[0] == "done"
    assert logged(log) == ["job deck"]  # sent before any release
    conn.send(None)
    process.join(10)
    assert process.exitcode == 0 and logged(log) == ["job deck"]


def test_an_idle_worker_releases_and_a_job_that_comes_at_once_finds_it_released(tmp_path, monkeypatch):
    process, conn, log = serving(tmp_path, monkeypatch, wait=60.0)
    conn.send("deck")
    conn.recv()
    conn.send("article")  # at once: released first, as a release before the result did
    conn.recv()
    conn.send(None)
    process.join(10)
    assert logged(log) == ["job deck", "release", "job article"]

    (tmp_path / "idle").mkdir()
    process, conn, log = serving(tmp_path / "idle", monkeypatch, wait=0.01)
    conn.send("deck")
    conn.recv()
    deadline = time.monotonic() + 30
    while logged(log) != ["job deck", "release"] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert logged(log) == ["job deck", "release"]  # nothing came: released while idle
    conn.send(None)
    process.join(10)
    assert process.exitcode == 0


# Each job notes how many objects its worker had frozen when it started; the building
# process notes its own after the build.
FROZEN_PROBE = """
import gc, json, sys
import triptych.jobs as jobs
from triptych import cli
work = jobs._work
def probe(job):
    with open(sys.argv[1], "a") as fh:
        fh.write(json.dumps([list(job.names), gc.get_freeze_count()]) + "\\n")
    return work(job)
jobs._work = probe
status = cli.main(sys.argv[2:])
print(json.dumps({"status": status, "frozen": gc.get_freeze_count()}))
"""


def test_workers_are_forked_with_what_they_inherit_frozen_and_the_building_process_thawed(tmp_path):
    """A worker's collections skip the objects it inherited (frozen at the fork, so neither
    walked nor copied); the building process goes on collecting its own as before."""
    log = tmp_path / "jobs.log"
    done = subprocess.run([sys.executable, "-c", FROZEN_PROBE, str(log), str(SAMPLE), "--out", str(tmp_path / "out"),
                           "--templates", str(TEMPLATES), "-q", "--only", "deck,handout,article", "--jobs", "2"],
                          cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {"status": 0, "frozen": 0}
    frozen = {tuple(names): count for names, count in map(json.loads, log.read_text().splitlines())}
    assert frozen[("deck",)] > 10_000 and frozen[("handout",)] > 10_000, frozen
