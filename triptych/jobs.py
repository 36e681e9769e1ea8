"""Rendering work as jobs, run in this process or in a pool of worker processes.

A ``Job`` renders some outputs of one talk to bytes and runs the parity check on those
bytes; it writes nothing where outputs go (the pipeline writes a file's outputs only when
all its jobs succeeded). Outputs whose writer loads a heavy library (their record's
``imports``) get a job of their own (``split``), so on two cores the deck and the PDF
render at the same time, and a worker that never renders a PDF never imports WeasyPrint.

Workers are forked from the building process (which has imported triptych but none of
the heavy libraries), so they start in milliseconds; each keeps what it imported for the
jobs that follow, which is what keeps ``--watch`` rebuilds fast. Workers ignore Ctrl-C
and SIGHUP: the building process decides (``triptych/stop.py``), and
``Pool.close(kill=True)`` ends them with SIGTERM, which is safe because a worker never
writes an output; a worker's temporary folder is removed on the way out.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import shutil
import tempfile
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from . import stop
from .errors import ContentError, Problem
from .files import display_path
from .model import Talk
from .parity import OutputCheck, check_output
from .theme import Theme
from .writers import Context, output, writer


@dataclass
class Job:
    """Render ``names`` of ``talk``; ``targets`` maps each name to where the pipeline will
    write it (named in parity messages, and its file name is what the reader sees)."""

    talk: Talk
    names: tuple[str, ...]
    targets: dict[str, Path]
    templates: Path
    theme: Theme
    writer_options: dict
    check: bool


@dataclass
class JobResult:
    """The bytes of each output (empty when rendering failed), its parity check, each
    output's warnings (output name -> messages, in the order given), and the content
    problems that stopped the job (exit status 2)."""

    data: dict[str, bytes] = field(default_factory=dict)
    #: With ``--png``: each paged output's pages as PNG files, in page order.
    images: dict[str, list[bytes]] = field(default_factory=dict)
    #: Each output's companion files (``Output.companions``): name -> {file name: bytes}.
    files: dict[str, dict[str, bytes]] = field(default_factory=dict)
    checks: list[OutputCheck] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    exit_status: int = 0
    check_seconds: float = 0.0


def split(names: Sequence[str]) -> list[tuple[str, ...]]:
    """Group outputs into jobs: each output that imports a heavy library alone, costliest
    first, then the rest (Jinja and Markdown only) together, in the order given.
    ``split(["deck", "article", "page", "handout"])`` is
    ``[("handout",), ("deck",), ("article", "page")]``; no names give no jobs."""
    heavy = [n for n in names if output(n).imports]
    solo = [(n,) for n in sorted(heavy, key=lambda n: -output(n).cost)]
    rest = tuple(n for n in names if n not in heavy)
    return solo + ([rest] if rest else [])


def run(job: Job) -> JobResult:
    """Do ``job``: render each output; if that worked and ``job.check``, write the bytes to
    a private temporary folder under their final file names and run the parity check on
    them (the same bytes the pipeline then writes). A ``ContentError`` from a writer is
    returned as problems, after the job's other outputs were rendered too (so one run
    reports every problem they find); any other exception is a bug and propagates."""
    result, failed = JobResult(), []
    for name in job.names:
        ctx = Context(job.templates, job.theme, dict(job.writer_options), result.warnings.setdefault(name, []).append)
        try:
            result.data[name] = writer(name).render(job.talk, ctx)
        except ContentError as err:
            failed.append(err)
            continue
        if output(name).companions:
            try:
                result.files[name] = writer(name).companions(job.talk, ctx)
            except ContentError as err:
                failed.append(err)
                continue
        if ctx.options.get("png") and output(name).images:
            from .pdfout import page_images  # PDFium, in the worker that made the PDF

            result.images[name] = page_images(result.data[name], output(name).image_width)
    if failed:
        return JobResult(warnings=result.warnings, problems=[p for err in failed for p in err.problems],
                         exit_status=max(err.exit_status for err in failed))
    if job.check:
        start = time.perf_counter()
        tmp = None
        try:
            # Made and removed with stop signals held: a SIGTERM raised inside mkdtemp or
            # rmtree would leave the folder behind (during the check itself it cleans up).
            with stop.blocked():
                tmp = tempfile.mkdtemp(prefix=f"{CHECK_PREFIX}{os.getpid()}-")
            for name, data in result.data.items():
                target = job.targets[name]
                copy = Path(tmp) / target.name
                copy.write_bytes(data)
                check = check_output(job.talk, name, copy, display_path(target))
                check.path = target
                result.checks.append(check)
        except OSError as err:  # a full disk or a size limit: nothing was written where it counts
            problem = Problem(display_path(job.targets[job.names[0]]), 0, "",
                              f"cannot write a copy to check: {err.strerror or err}; the last good files are untouched")
            return JobResult(warnings=result.warnings, problems=[problem], exit_status=1)
        finally:
            if tmp is not None:
                with stop.blocked():
                    shutil.rmtree(tmp, ignore_errors=True)
        result.check_seconds = time.perf_counter() - start
    return result


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None on a C library without it (macOS, musl)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return None


_TRIM = _malloc_trim()

#: Seconds a worker has to end after SIGTERM before it is killed outright.
KILL_AFTER = 1.5

#: A worker's temporary folder for the parity check: this, its process id and a random part.
CHECK_PREFIX = "triptych-check-"

#: A job that leaves its worker this much larger has its freed memory handed back.
RELEASE_MIB = 32


def _resident_mib() -> float:
    """This process's resident memory in MiB (Linux; 0 elsewhere, which never releases)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except (OSError, ValueError, IndexError):
        return 0.0


def _work(job: Job) -> JobResult:
    """``run`` in a worker, then, if the job left the worker ``RELEASE_MIB`` larger, hand
    the memory it freed back to the system.

    python-pptx (through lxml) allocates with C's malloc, which keeps freed memory for
    reuse rather than returning it, and part of it is only freed by a full garbage
    collection: a worker that built a long deck would sit on about three times the memory
    it needs while the PDF worker beside it peaks (docs/design.md). A small job is not
    worth the collection's tens of milliseconds, nor is the PDF's job: the build is waiting for it
    (it is the longest), and the handout writer collects before writing, at its peak."""
    before = _resident_mib()
    try:
        result = run(job)
    except SystemExit as stopped:  # SIGTERM (stop.in_worker): the job's cleanup has run; end here
        # rather than hand the exit to the pool, whose worker loop would take the next job.
        os._exit(stopped.code if isinstance(stopped.code, int) else 1)
    if _TRIM is not None and "handout" not in job.names and _resident_mib() - before >= RELEASE_MIB:
        gc.collect()
        _TRIM(0)
    return result


def _worker_start(warm: tuple[str, ...]) -> None:
    stop.in_worker()
    for module in warm:
        try:
            __import__(module)
        except ImportError:  # the render reports it properly, with the output's name
            pass


class Pool:
    """``jobs`` worker processes, started on first use; ``jobs <= 1`` runs every job in
    this process instead (``submit`` then returns a finished future)."""

    def __init__(self, jobs: int | None = None, warm_outputs: Sequence[str] = ()):
        self.jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
        self.warm = tuple(m for name in warm_outputs for m in output(name).imports)
        self._executor: ProcessPoolExecutor | None = None

    def submit(self, job: Job) -> Future:
        if self.jobs <= 1:
            future: Future = Future()
            try:
                future.set_result(run(job))
            except BaseException as err:  # delivered through the future like a worker's
                future.set_exception(err)
                if not isinstance(err, Exception):
                    raise
            return future
        if self._executor is None:
            # fork: the workers inherit the imported triptych instead of importing it
            # again (a spawned worker would pay Python start-up and imports on every build).
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._executor = ProcessPoolExecutor(self.jobs, mp_context=context,
                                                 initializer=_worker_start, initargs=(self.warm,))
        return self._executor.submit(_work, job)

    def close(self, kill: bool = False) -> None:
        """Stop the workers: after their current job, or at once when ``kill``. A killed
        worker gets SIGTERM (it removes its temporary folder and exits), and SIGKILL if
        it is still there ``KILL_AFTER`` seconds later; ``close`` returns when all are gone."""
        if self._executor is None:
            return
        processes = list((getattr(self._executor, "_processes", None) or {}).values())
        if kill:
            # ProcessPoolExecutor has no public way to stop a running job before 3.14;
            # its workers write nothing, so ending them cannot leave a broken file.
            for process in processes:
                process.terminate()
        self._executor.shutdown(wait=not kill, cancel_futures=True)
        self._executor = None
        if kill:
            deadline = time.monotonic() + KILL_AFTER
            for process in processes:
                process.join(max(0.0, deadline - time.monotonic()))
                if process.is_alive():
                    process.kill()
                    process.join(1.0)
                    # A worker killed outright (busy in a library call that does not return to
                    # Python in time, as on a loaded machine) could not remove its folder.
                    for left in Path(tempfile.gettempdir()).glob(f"{CHECK_PREFIX}{process.pid}-*"):
                        shutil.rmtree(left, ignore_errors=True)


__all__ = ["Job", "JobResult", "Pool", "split", "run"]
