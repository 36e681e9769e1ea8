"""Content files in, outputs out: load, render every requested output, write atomically.

For each content file: load it (all problems at once); render each requested output to
bytes in memory; only when every output rendered are they written, each atomically, so a
file with a mistake gets no outputs of its own and keeps the last good ones untouched.
One bad file never stops the others.

Speed (see ``triptych/jobs.py`` and ``triptych/cache.py``): an output whose inputs are
unchanged since it was last built cleanly is skipped (``force`` rebuilds it anyway); the
rest are rendered as jobs, on ``jobs`` worker processes, the deck and the PDF apart, while
this process loads and hashes the next file (``triptych/builder.py``). Results are
written in the order files finish; ``Report.files`` keeps the order the files were given in.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .pool import Pool
from . import stop
from .builder import Builder, FileResult, Report
from .cache import Cache
from .errors import ContentError, ParityError, Problem, TriptychError, warn_or_raise
from .files import as_path, display_path
from .loader import load
from .model import Talk
from .options import Options, output_path
from .parity import MISSING, check_outputs
from .theme import contrast_problems, load_theme
from .context import Context
from .writers import records, writer


def load_context(options: Options, warn: Callable[[str], None]) -> Context:
    """The theme and templates every output of a build uses. Raises ``ContentError``: a
    folder or file named by an option that is not there is blamed on that option
    (``--templates: folder 'x' not found``), and so is an ``--out`` that is a file or a file's
    name (``talk.pptx``), a mistake in the theme on its file and line,
    and, when ``options.strict``, a colour pair below WCAG AA contrast (without it each
    such pair is a warning)."""
    missing = [Problem(flag, 0, "", f"{kind} '{display_path(path)}' not found")
               for flag, kind, path, there in (("--templates", "folder", options.templates, Path.is_dir),
                                               ("--theme", "file", options.theme_file, Path.is_file))
               if path is not None and not there(path)]
    out = as_path(options.out_dir)
    if out.exists() and not out.is_dir() or not out.exists() and out.name.lower().endswith(
            tuple(record.suffix for record in records())):  # --out talk.pptx made a folder of that name
        missing.append(Problem("--out", 0, "", f"'{display_path(out)}' {'is' if out.exists() else 'names'} a file; "
                               "--out is the folder the outputs are written to, each named after its content file "
                               "(--out build writes build/<name>.pptx ...)"))
    if missing:
        raise ContentError(missing)
    theme = load_theme(options.theme_file or options.templates / "theme.yaml", options.page_size, options.master)
    warn_or_raise(contrast_problems(theme), options.strict, warn)
    # The article links its images relative to the folder it is written to.
    return Context(options.templates, theme, {"out_dir": options.out_dir, "png": options.png,
                                              "strict": options.strict, **options.writer_options}, warn)


def render_all(talk: Talk, ctx: Context, outputs: Iterable[str]) -> dict[str, bytes]:
    """Render each output of ``talk`` to bytes. Raises ``ContentError`` for the user's
    mistakes a writer finds (an unknown layout, a glyph no font has, a template typo)."""
    return {name: writer(name).render(talk, ctx) for name in outputs}


def build_file(path: str | os.PathLike[str], ctx: Context, options: Options, on_written: Callable[[Path], None] = lambda p: None) -> FileResult:
    """Build one content file in this process, without the cache: load, render every
    requested output, write them all (or, after a content mistake, none) and check parity.
    ``build`` does the same for many files, with the cache and the worker pool."""
    builder = Builder(ctx, options, Pool(1), None, on_written=on_written)
    builder.run([as_path(path)])
    return builder.results[0]


def _check(result: FileResult, talk: Talk, outputs: dict[str, Path], missing: str = MISSING) -> None:
    """Run the parity check into ``result``: a missing piece makes it exit 3."""
    start = time.perf_counter()
    result.checks = check_outputs(talk, outputs, display_path, missing)
    result.check_seconds = time.perf_counter() - start
    problems = [p for c in result.checks for p in c.problems]
    if problems:
        result.problems = problems
        result.exit_status = ParityError.exit_status


def check_file(path: str | os.PathLike[str], options: Options, missing: str = MISSING) -> FileResult:
    """Re-check the outputs of one content file already in ``options.out_dir``, without
    rebuilding (``--check``): a hand edit that lost text, or a missing output, exits 3;
    a content mistake exits 2 as in a build. ``missing`` is the problem's message for an
    output that is not there (the command line names the command that builds it)."""
    result = FileResult(as_path(path))
    start = time.perf_counter()
    try:
        talk = load(path)
        _check(result, talk, {name: output_path(talk, name, options.out_dir) for name in options.outputs}, missing)
    except ContentError as err:
        result.problems = err.problems
        result.exit_status = err.exit_status
    result.seconds = time.perf_counter() - start
    return result


def check_built(paths: Sequence[str | os.PathLike[str]] = (), options: Options | None = None,
                on_result: Callable[[FileResult], None] = lambda r: None, missing: str = MISSING) -> Report:
    """``check_file`` for ``paths`` (default: every content/*.yaml), one result each."""
    options = options or Options()
    report = Report()
    for path in content_files(paths):
        result = check_file(path, options, missing)
        report.files.append(result)
        on_result(result)
    return report


def content_files(paths: Sequence[str | os.PathLike[str]],
                  content_dir: str | os.PathLike[str] = "content") -> list[Path]:
    """The files to build: ``paths`` as given (str or any os.PathLike), or every ``*.yaml``
    in ``content_dir``. A single path given instead of a sequence counts as one file."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if paths:
        return [as_path(p) for p in paths]
    return sorted(as_path(content_dir).glob("*.yaml"))


def build(paths: Sequence[str | os.PathLike[str]] = (), options: Options | None = None,
          on_result: Callable[[FileResult], None] = lambda r: None,
          on_written: Callable[[Path], None] = lambda p: None,
          on_warning: Callable[[str], None] = lambda w: None,
          on_progress: Callable[[int, int], None] = lambda done, total: None,
          pool: "Pool | None" = None) -> Report:
    """Build ``paths`` (default: every content/*.yaml). Never raises for a user mistake:
    each file's problems are in its ``FileResult``; a broken theme or template makes every
    file fail with that problem.

    Outputs whose inputs are unchanged are skipped (listed in ``FileResult.unchanged``)
    unless ``options.force``. ``on_result`` is called as each file finishes, which with
    several jobs may be out of order; ``Report.files`` is in the order given.
    ``on_progress(done, total)`` counts outputs. ``pool`` lets a caller (the watch mode)
    keep warm workers between builds; by default a pool of ``options.jobs`` workers is
    made for this build and closed after it (at once, on an internal error or a stop).

    Stopping: SIGINT, SIGTERM and SIGHUP raise ``stop.Stopped`` (a ``KeyboardInterrupt``)
    out of ``build`` after the workers have ended and any temporary file is removed; the
    outputs already written are complete (a file's outputs are written all or none), the
    others keep their last good bytes. Handlers the application set itself are kept.
    """
    options = options or Options()
    report = Report()
    try:
        def warn(message: str) -> None:
            # Said once per build: outputs that share a cause (both PDFs lack the same
            # font, say) give the same words, and a cached output repeats its build's.
            if message not in report.warnings:
                report.warnings.append(message)
                on_warning(message)

        ctx = load_context(options, warn)
    except TriptychError as err:
        problems = getattr(err, "problems", [Problem(str(options.templates), 0, "", str(err))])
        for path in content_files(paths):
            result = FileResult(path, problems=problems, exit_status=err.exit_status)
            report.files.append(result)
            on_result(result)
        return report
    own_pool = pool is None
    pool = pool or Pool(options.jobs)
    builder = Builder(ctx, options, pool, Cache.open(options.out_dir), on_result, on_written, on_progress)
    clean = False
    with stop.stopping():
        try:
            builder.run(content_files(paths))
            clean = True
        finally:
            if own_pool:
                pool.close(kill=not clean)
    report.files = builder.results
    return report


__all__ = ["Options", "Report", "FileResult", "build", "build_file", "check_file", "check_built", "render_all", "output_path", "display_path"]
