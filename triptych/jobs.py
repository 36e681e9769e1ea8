"""Rendering work as jobs, run in this process or by worker processes (``triptych.pool``).

A ``Job`` renders some outputs of one talk to bytes and runs the parity check on those
bytes; it writes nothing where outputs go (the pipeline writes a file's outputs only when
all its jobs succeeded). Outputs whose writer loads a heavy library (their record's
``imports``) get a job of their own (``split``), so on two cores the deck and the PDF
render at the same time, and a worker that never renders a PDF never imports WeasyPrint.
A worker may be ended with SIGTERM in the middle of a job (a stop): ``run`` removes its
temporary folder on the way out, and ``_work`` ends the process there.
"""

from __future__ import annotations

import ctypes
import gc
import os
import shutil
import tempfile
import time
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


def prepare(job: Job) -> None:
    """Pay in this process, once, what the first job of ``job``'s talk would pay in each
    worker: the theme's heading and body fonts read for measuring (``fonts.warm``). The
    pool calls it before it forks workers, which then inherit it."""
    from . import fonts  # fontTools: not for a build that renders nothing

    fonts.warm(job.theme.fonts[role] for role in ("heading", "body"))


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


def _work(job: Job) -> tuple[JobResult, bool]:
    """``run`` in a worker, and whether the worker should then hand the memory the job freed
    back to the system (``release``): when the job left it ``RELEASE_MIB`` larger.

    python-pptx (through lxml) allocates with C's malloc, which keeps freed memory for
    reuse rather than returning it, and part of it is only freed by a full garbage
    collection: a worker that built a long deck would sit on about three times the memory
    it needs while the PDF worker beside it peaks (docs/design.md). A small job is not
    worth the collection's tens of milliseconds, nor is the PDF's job: the build is waiting for it
    (it is the longest), and the handout writer collects before writing, at its peak.
    The worker releases after it has sent the result, not before (``pool``)."""
    before = _resident_mib()
    try:
        result = run(job)
    except SystemExit as stopped:  # SIGTERM (stop.in_worker): the job's cleanup has run; end here
        # rather than hand the exit to the pool, whose worker loop would take the next job.
        os._exit(stopped.code if isinstance(stopped.code, int) else 1)
    due = _TRIM is not None and "handout" not in job.names and _resident_mib() - before >= RELEASE_MIB
    return result, due


def release() -> None:
    """Free this process's garbage (a full collection) and hand the memory C's malloc keeps
    for reuse back to the system (glibc's ``malloc_trim``; nothing more where it is missing)."""
    gc.collect()
    if _TRIM is not None:
        _TRIM(0)


__all__ = ["CHECK_PREFIX", "Job", "JobResult", "prepare", "release", "split", "run"]
