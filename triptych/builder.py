"""One build over many content files: plan each (load, hash, skip what is fresh), hand
the rest to the worker pool as jobs, and write a file's outputs atomically once all its
jobs are in; ``FileResult`` and ``Report`` say what happened.
"""

from __future__ import annotations

import shutil
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from . import jobs as _jobs
from . import stop
from .pool import Pool
from .cache import Cache, content_digest, environment_digest, file_digest, input_digests, output_key
from .errors import ContentError, ParityError, Problem, warn_or_raise
from .files import display_path, write_atomic, write_folder_atomic
from .loader import load
from .model import Talk
from .options import Options, companion_folder, image_folder, needs_companions, output_path
from .parity import OutputCheck
from .theme import Theme, contrast_problems, load_talk_theme
from .context import Context
from .writers import output, records

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


class Builder:
    """One build: plans each file (load, hash, skip what is fresh), hands the rest to the
    pool as jobs, and finishes a file (write, record in the cache) once all its jobs are in.

    ``cache`` None builds everything and records nothing. ``on_progress(done, total)``
    counts outputs (built, skipped or failed); it is also called about every 0.2 s while
    waiting on workers, so a display can keep its clock running."""

    def __init__(self, ctx: Context, options: Options, pool: Pool, cache: Cache | None,
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
                                         {"page_size": options.page_size, "png": options.png,
                                          "strict": options.strict, **switches})
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
            warn_or_raise(contrast_problems(theme), self.options.strict, self.ctx.warn)
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
            # Companion files (the article's chart pictures) are drawn in the theme, which
            # their output does not otherwise read: a talk that has them keys them with it.
            drawn = " ".join(file_digest(f) for f in theme.files)
            keys = {name: output_key(digest + (" theme " + drawn if needs_companions(talk, name) else ""),
                                     environments[name], name) for name in options.outputs}
            if not options.force:
                # With --png, an output whose page images were deleted is rebuilt too.
                todo = [n for n in options.outputs if not self.cache.fresh(targets[n], keys[n], options.check)
                        or (options.png and output(n).images and not image_folder(targets[n], n).is_dir())
                        or (needs_companions(talk, n) and not companion_folder(targets[n], n).is_dir())]
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
        finished = self.pool.wait(self.pending, timeout=0.2 if block else 0)
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
        files = {name: named for r in state.done for name, named in r.files.items()}
        checks = {c.name: c for r in state.done for c in r.checks}
        # A stop signal waits until this file's outputs are all written: all new or all old.
        with stop.deferred():
            for name in self.options.outputs:
                if name in data:
                    self._write(state, name, data[name], checks, images.get(name), files.get(name))
        # The outputs stay written when the check fails, so the user can open them.
        result.checks = [checks[n] for n in self.options.outputs if n in checks]
        result.check_seconds = sum(r.check_seconds for r in state.done)
        problems = [p for c in result.checks for p in c.problems]
        if problems:
            result.problems.extend(problems)
            result.exit_status = max(result.exit_status, ParityError.exit_status)
        self._done(state.index, result, state.start)

    def _write(self, state: _File, name: str, data: bytes, checks: dict[str, OutputCheck],
               images: list[bytes] | None = None, files: dict[str, bytes] | None = None) -> None:
        result = state.result
        folder = image_folder(state.targets[name], name) if images is not None else None
        companions = companion_folder(state.targets[name], name) if files is not None else None
        try:
            write_atomic(state.targets[name], data)
            if folder is not None:
                write_folder_atomic(folder, {f"{number:02d}.png": png for number, png in enumerate(images, 1)})
            if companions is not None and files:
                write_folder_atomic(companions, files)
            elif companions is not None and companions.is_dir():  # no stale pictures of charts now gone
                shutil.rmtree(companions)
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
