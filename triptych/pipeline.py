"""Content files in, outputs out: load, render every requested output, write atomically.

For each content file: load it (all problems at once); render each requested output to
bytes in memory; only when every output rendered are they written, each atomically, so a
file with a mistake gets no outputs of its own and keeps the last good ones untouched.
One bad file never stops the others.

Speed (see ``triptych/jobs.py`` and ``triptych/cache.py``): an output whose inputs are
unchanged since it was last built cleanly is skipped (``force`` rebuilds it anyway); the
rest are rendered as jobs, on ``jobs`` worker processes, the deck and the PDF apart, while
this process loads and hashes the next file. Results are written in the order files
finish; ``Report.files`` keeps the order the files were given in.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from . import jobs as _jobs
from . import stop
from .cache import Cache, content_digest, environment_digest, file_digest, input_digests, output_key

from .errors import ContentError, ParityError, Problem, TriptychError
from .files import as_path, display_path, write_atomic, write_folder_atomic
from .loader import load
from .model import Talk
from .parity import MISSING, OutputCheck, check_outputs
from .project import DEFAULT_TEMPLATES
from .theme import Theme, contrast_problems, load_talk_theme, load_theme
from .writers import Context, defaults, output, records, writer

#: Exit status of a file whose outputs could not be written (disk full, permissions).
WRITE_FAILED = 1


@dataclass
class FileResult:
    """What happened to one content file."""

    source: Path
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    exit_status: int = 0
    seconds: float = 0.0
    #: The parity check of each output (empty when the check was skipped or never reached).
    checks: list[OutputCheck] = field(default_factory=list)
    check_seconds: float = 0.0
    #: Outputs skipped because their inputs had not changed since they were built.
    unchanged: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.exit_status == 0


@dataclass
class Report:
    files: list[FileResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        """0 when everything built; else the most severe status (3 parity, 2 content)."""
        statuses = [f.exit_status for f in self.files if f.exit_status]
        return max(statuses) if statuses else 0


@dataclass
class Options:
    """Everything a build can be told; the CLI flags map one to one onto these."""

    out_dir: Path = Path("output")
    outputs: Sequence[str] = field(default_factory=defaults)
    templates: Path = DEFAULT_TEMPLATES
    theme_file: Path | None = None  # default: <templates>/theme.yaml
    page_size: str | None = None
    master: Path | None = None
    #: Also write each page of the PDFs that have images (``Output.images``) as a PNG (``--png``).
    png: bool = False
    #: The outputs' own switches by name (each record's ``switches``, such as
    #: ``{"front_matter": True}``); one left out has its default (off).
    writer_options: dict = field(default_factory=dict)
    #: Run the parity check on the outputs just written (``--no-check`` turns it off).
    check: bool = True
    #: Rebuild every output even when the cache says it is up to date (``--force``).
    force: bool = False
    #: Worker processes (``--jobs``); None: one per core; 1: everything in this process.
    jobs: int | None = None
    #: A theme colour pair below WCAG 2.2 AA contrast is an error, not a warning (``--strict``).
    strict: bool = False

    def __post_init__(self) -> None:
        # The folders and files may be given as str or any os.PathLike; the build uses Paths.
        self.out_dir = as_path(self.out_dir)
        self.templates = as_path(self.templates)
        self.theme_file = None if self.theme_file is None else as_path(self.theme_file)
        self.master = None if self.master is None else as_path(self.master)
        # A bare string would be iterated letter by letter.
        self.outputs = (self.outputs,) if isinstance(self.outputs, str) else tuple(self.outputs)


def image_folder(target: Path, name: str) -> Path:
    """Where ``--png`` writes the pages of output ``name`` written to ``target``:
    ``output/<slug>.slides/`` beside ``output/<slug>.slides.pdf``."""
    return target.with_name(target.name[: -len(output(name).suffix)] + output(name).images)


def output_path(talk: Talk, name: str, out_dir: str | os.PathLike[str]) -> Path:
    """Where output ``name`` of ``talk`` goes: ``<out_dir>/<slug><suffix>``. The slug is
    made of [a-z0-9-] only, so the path cannot leave ``out_dir``."""
    return as_path(out_dir) / f"{talk.slug}{output(name).suffix}"


def load_context(options: Options, warn: Callable[[str], None]) -> Context:
    """The theme and templates every output of a build uses. Raises ``ContentError``: a
    folder or file named by an option that is not there is blamed on that option
    (``--templates: folder 'x' not found``), a mistake in the theme on its file and line,
    and, when ``options.strict``, a colour pair below WCAG AA contrast (without it each
    such pair is a warning)."""
    missing = [Problem(flag, 0, "", f"{kind} '{display_path(path)}' not found")
               for flag, kind, path, there in (("--templates", "folder", options.templates, Path.is_dir),
                                               ("--theme", "file", options.theme_file, Path.is_file))
               if path is not None and not there(path)]
    if missing:
        raise ContentError(missing)
    theme = load_theme(options.theme_file or options.templates / "theme.yaml", options.page_size, options.master)
    low = contrast_problems(theme)
    if low and options.strict:
        raise ContentError(low)
    for problem in low:
        warn(str(problem))
    # The article links its images relative to the folder it is written to.
    return Context(options.templates, theme, {"out_dir": options.out_dir, "png": options.png,
                                              **options.writer_options}, warn)


def render_all(talk: Talk, ctx: Context, outputs: Iterable[str]) -> dict[str, bytes]:
    """Render each output of ``talk`` to bytes. Raises ``ContentError`` for the user's
    mistakes a writer finds (an unknown layout, a glyph no font has, a template typo)."""
    return {name: writer(name).render(talk, ctx) for name in outputs}


def build_file(path: str | os.PathLike[str], ctx: Context, options: Options, on_written: Callable[[Path], None] = lambda p: None) -> FileResult:
    """Build one content file in this process, without the cache: load, render every
    requested output, write them all (or, after a content mistake, none) and check parity.
    ``build`` does the same for many files, with the cache and the worker pool."""
    builder = _Builder(ctx, options, _jobs.Pool(1), None, on_written=on_written)
    builder.run([as_path(path)])
    return builder.results[0]


@dataclass
class _File:
    """One content file in flight: its jobs still out, and what came back."""

    index: int
    result: FileResult
    talk: Talk
    targets: dict[str, Path]
    keys: dict[str, str]
    start: float
    left: int = 0
    done: list[_jobs.JobResult] = field(default_factory=list)


class _Builder:
    """One build: plans each file (load, hash, skip what is fresh), hands the rest to the
    pool as jobs, and finishes a file (write, record in the cache) once all its jobs are in.

    ``cache`` None builds everything and records nothing. ``on_progress(done, total)``
    counts outputs (built, skipped or failed); it is also called about every 0.2 s while
    waiting on workers, so a display can keep its clock running."""

    def __init__(self, ctx: Context, options: Options, pool: _jobs.Pool, cache: Cache | None,
                 on_result: Callable[[FileResult], None] = lambda r: None,
                 on_written: Callable[[Path], None] = lambda p: None,
                 on_progress: Callable[[int, int], None] = lambda done, total: None):
        self.ctx, self.options, self.pool, self.cache = ctx, options, pool, cache
        self.on_result, self.on_written, self.on_progress = on_result, on_written, on_progress
        self.results: list[FileResult] = []
        self._by_index: dict[int, FileResult] = {}
        self.pending: dict[Future, tuple[_File, tuple[str, ...]]] = {}
        self.done = self.total = 0
        #: Output name -> what its key holds besides the content (``cache.environment_digest``).
        self.environments: dict[str, str] = {}
        #: Theme file -> (its theme, each output's environment digest), for talks with ``theme:``.
        self._themes: dict[Path, tuple[Theme, dict[str, str]]] = {}
        self._inputs: dict[str, str] = {}
        if cache is not None:
            if cache.ignored:
                ctx.warn(cache.ignored)
            theme_file = options.theme_file or options.templates / "theme.yaml"
            # A switch left out has its default, as on the command line.
            switches = {s.name: options.writer_options.get(s.name, s.default) for r in records() for s in r.switches}
            self._inputs = input_digests(options.templates, theme_file, ctx.theme.master,
                                         {"page_size": options.page_size, "png": options.png, **switches})
            self.environments = self._environments(ctx.theme)

    def _environments(self, theme: Theme) -> dict[str, str]:
        """Each output's environment digest with ``theme``: its files (the one it extends
        too) and its master in the key, every other input the build's."""
        inputs = dict(self._inputs)
        inputs["theme"] = " ".join(file_digest(f) for f in theme.files)
        inputs["master"] = file_digest(theme.master) if theme.master else "none"
        return {name: environment_digest(output(name), inputs) for name in self.options.outputs}

    def _theme(self, talk: Talk) -> tuple[Theme, dict[str, str]]:
        """The theme ``talk`` is built with and its outputs' environment digests: the build's
        when ``--theme`` was given (the command line wins) or the talk names none, else the
        one its ``theme:`` names (read once per build, its contrast warned about once).
        Raises ``ContentError`` for a mistake in that theme (or, with ``--strict``, a low pair)."""
        if talk.theme is None or self.options.theme_file is not None:
            return self.ctx.theme, self.environments
        if talk.theme not in self._themes:
            theme = load_talk_theme(talk.theme, talk.base_dir, self.options.page_size, self.options.master)
            low = contrast_problems(theme)
            if low and self.options.strict:
                raise ContentError(low)
            for problem in low:
                self.ctx.warn(str(problem))
            self._themes[talk.theme] = theme, self._environments(theme) if self.cache is not None else {}
        return self._themes[talk.theme]

    def run(self, files: Sequence[Path]) -> None:
        self.total = len(files) * len(self.options.outputs)
        try:
            for index, path in enumerate(files):
                state = self._plan(index, path)
                if state is not None and state.left == 0:
                    self._finish(state)
                self._collect(block=False)
            while self.pending:
                self._collect(block=True)
        finally:
            if self.cache is not None:
                try:
                    self.cache.save()
                except OSError as err:  # the outputs are written; only the next build's skip is lost
                    self.ctx.warn(f"cannot save the build cache {self.cache.path}: {err.strerror or err}")
            self.results = [self._by_index[i] for i in sorted(self._by_index)]

    def _advance(self, count: int) -> None:
        self.done += count
        self.on_progress(self.done, self.total)

    def _plan(self, index: int, path: Path) -> _File | None:
        options = self.options
        result = FileResult(path)
        start = time.perf_counter()
        try:
            # The bytes are hashed before loading: if the file changes meanwhile, the key
            # describes the older text and the next build rebuilds (never a stale skip).
            raw = path.read_bytes()
        except OSError:
            raw = b""  # load() reports why, with the file's name
        try:
            talk = load(path)
            theme, environments = self._theme(talk)
        except ContentError as err:
            result.problems, result.exit_status = err.problems, err.exit_status
            self._done(index, result, start)
            self._advance(len(options.outputs))
            return None
        targets = {name: output_path(talk, name, options.out_dir) for name in options.outputs}
        keys: dict[str, str] = {}
        todo = list(options.outputs)
        if self.cache is not None:
            digest = content_digest(raw, talk)
            keys = {name: output_key(digest, environments[name], name) for name in options.outputs}
            if not options.force:
                # With --png, an output whose page images were deleted is rebuilt too.
                todo = [n for n in options.outputs if not self.cache.fresh(targets[n], keys[n], options.check)
                        or (options.png and output(n).images and not image_folder(targets[n], n).is_dir())]
        result.unchanged = [targets[n] for n in options.outputs if n not in todo]
        for target in result.unchanged:  # what its build warned about still holds
            for message in self.cache.warnings(target):
                self.ctx.warn(message)
        state = _File(index, result, talk, targets, keys, start)
        if result.unchanged:
            self._advance(len(result.unchanged))
        for names in _jobs.split(todo):
            job = _jobs.Job(talk, names, {n: targets[n] for n in names}, self.ctx.templates, theme,
                            dict(self.ctx.options), options.check)
            self.pending[self.pool.submit(job)] = (state, names)
            state.left += 1
        return state

    def _collect(self, block: bool) -> None:
        if not self.pending:
            return
        finished, _ = wait(list(self.pending), timeout=0.2 if block else 0, return_when=FIRST_COMPLETED)
        if not finished:
            self.on_progress(self.done, self.total)
            return
        for future in finished:
            state, names = self.pending.pop(future)
            outcome = future.result()  # a bug in a writer propagates, with the worker's traceback
            for messages in outcome.warnings.values():
                for message in messages:
                    self.ctx.warn(message)
            state.done.append(outcome)
            state.left -= 1
            if state.left == 0:
                self._finish(state)
            self._advance(len(names))

    def _finish(self, state: _File) -> None:
        """All jobs of a file are in: write every output, or none after a content mistake."""
        result, failed = state.result, [r for r in state.done if r.exit_status]
        if failed:
            # Every output's problems, each once (two outputs may share a template's mistake).
            result.problems = list({str(p): p for r in failed for p in r.problems}.values())
            result.exit_status = max(r.exit_status for r in failed)
            self._done(state.index, result, state.start)
            return
        data = {name: blob for r in state.done for name, blob in r.data.items()}
        images = {name: pngs for r in state.done for name, pngs in r.images.items()}
        checks = {c.name: c for r in state.done for c in r.checks}
        # A stop signal waits until this file's outputs are all written: all new or all old.
        with stop.deferred():
            for name in self.options.outputs:
                if name in data:
                    self._write(state, name, data[name], checks, images.get(name))
        # The outputs stay written when the check fails, so the user can open them.
        result.checks = [checks[n] for n in self.options.outputs if n in checks]
        result.check_seconds = sum(r.check_seconds for r in state.done)
        problems = [p for c in result.checks for p in c.problems]
        if problems:
            result.problems.extend(problems)
            result.exit_status = max(result.exit_status, ParityError.exit_status)
        self._done(state.index, result, state.start)

    def _write(self, state: _File, name: str, data: bytes, checks: dict[str, OutputCheck],
               images: list[bytes] | None = None) -> None:
        result = state.result
        folder = image_folder(state.targets[name], name) if images is not None else None
        try:
            write_atomic(state.targets[name], data)
            if folder is not None:
                write_folder_atomic(folder, {f"{number:02d}.png": png for number, png in enumerate(images, 1)})
        except OSError as err:  # disk full, a size limit, permissions: not content, not a bug
            pages = folder is not None and bool(err.filename) and str(folder.name) in str(err.filename)
            where, kept = (folder, "pages are") if pages else (state.targets[name], "file is")
            result.problems.append(Problem(display_path(where), 0, "",
                                           f"cannot write: {err.strerror or err}; the last good {kept} untouched"))
            result.exit_status = WRITE_FAILED
            return
        result.written.append(state.targets[name])
        self.on_written(state.targets[name])
        if folder is not None:  # reported, not counted: the pages of the output just written
            self.on_written(folder)
        # Only a clean output is remembered: one that lost text is rebuilt and
        # reported again next time instead of being skipped as "unchanged".
        if self.cache is not None and (name not in checks or checks[name].ok):
            warnings = [w for outcome in state.done for w in outcome.warnings.get(name, ())]
            self.cache.record(state.targets[name], state.keys[name], data, self.options.check, warnings)

    def _done(self, index: int, result: FileResult, start: float) -> None:
        result.seconds = time.perf_counter() - start
        self._by_index[index] = result
        self.on_result(result)


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
          pool: "_jobs.Pool | None" = None) -> Report:
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
    pool = pool or _jobs.Pool(options.jobs)
    builder = _Builder(ctx, options, pool, Cache.open(options.out_dir), on_result, on_written, on_progress)
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
