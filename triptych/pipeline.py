"""Content files in, outputs out: load, render every requested output, write atomically.

For each content file: load it (all problems at once); render each requested output to
bytes in memory; only when every output rendered are they written, each atomically, so a
file with a mistake gets no outputs of its own and keeps the last good ones untouched.
One bad file never stops the others.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .errors import ContentError, ParityError, Problem, TriptychError
from .files import write_atomic
from .loader import display_path, load
from .model import Talk
from .parity import OutputCheck, check_outputs
from .theme import Theme, load_theme
from .writers import Context, available, writer

#: The repository's templates folder, used when the caller names none.
DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


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
    outputs: Sequence[str] = field(default_factory=available)
    templates: Path = DEFAULT_TEMPLATES
    theme_file: Path | None = None  # default: <templates>/theme.yaml
    page_size: str | None = None
    master: Path | None = None
    writer_options: dict = field(default_factory=dict)
    #: Run the parity check on the outputs just written (``--no-check`` turns it off).
    check: bool = True


def output_path(talk: Talk, name: str, out_dir: Path) -> Path:
    """Where output ``name`` of ``talk`` goes: ``<out_dir>/<slug><suffix>``. The slug is
    made of [a-z0-9-] only, so the path cannot leave ``out_dir``."""
    return out_dir / f"{talk.slug}{writer(name).SUFFIX}"


def load_context(options: Options, warn: Callable[[str], None]) -> Context:
    theme = load_theme(options.theme_file or options.templates / "theme.yaml", options.page_size, options.master)
    return Context(options.templates, theme, dict(options.writer_options), warn)


def render_all(talk: Talk, ctx: Context, outputs: Iterable[str]) -> dict[str, bytes]:
    """Render each output of ``talk`` to bytes. Raises ``ContentError`` for the user's
    mistakes a writer finds (an unknown layout, a glyph no font has, a template typo)."""
    return {name: writer(name).render(talk, ctx) for name in outputs}


def build_file(path: Path, ctx: Context, options: Options, on_written: Callable[[Path], None] = lambda p: None) -> FileResult:
    result = FileResult(path)
    start = time.perf_counter()
    try:
        talk = load(path)
        rendered = render_all(talk, ctx, options.outputs)
        for name, data in rendered.items():
            target = output_path(talk, name, options.out_dir)
            write_atomic(target, data)
            result.written.append(target)
            on_written(target)
        if options.check:
            # The outputs stay written when the check fails, so the user can open them.
            _check(result, talk, {name: output_path(talk, name, options.out_dir) for name in rendered})
    except ContentError as err:
        result.problems = err.problems
        result.exit_status = err.exit_status
    result.seconds = time.perf_counter() - start
    return result


def _check(result: FileResult, talk: Talk, outputs: dict[str, Path]) -> None:
    """Run the parity check into ``result``: a missing piece makes it exit 3."""
    start = time.perf_counter()
    result.checks = check_outputs(talk, outputs, display_path)
    result.check_seconds = time.perf_counter() - start
    problems = [p for c in result.checks for p in c.problems]
    if problems:
        result.problems = problems
        result.exit_status = ParityError.exit_status


def check_file(path: Path, options: Options) -> FileResult:
    """Re-check the outputs of one content file already in ``options.out_dir``, without
    rebuilding (``--check``): a hand edit that lost text, or a missing output, exits 3;
    a content mistake exits 2 as in a build."""
    result = FileResult(path)
    start = time.perf_counter()
    try:
        talk = load(path)
        _check(result, talk, {name: output_path(talk, name, options.out_dir) for name in options.outputs})
    except ContentError as err:
        result.problems = err.problems
        result.exit_status = err.exit_status
    result.seconds = time.perf_counter() - start
    return result


def check_built(paths: Sequence[Path] = (), options: Options | None = None,
                on_result: Callable[[FileResult], None] = lambda r: None) -> Report:
    """``check_file`` for ``paths`` (default: every content/*.yaml), one result each."""
    options = options or Options()
    report = Report()
    for path in content_files(paths):
        result = check_file(path, options)
        report.files.append(result)
        on_result(result)
    return report


def content_files(paths: Sequence[Path], content_dir: Path = Path("content")) -> list[Path]:
    """The files to build: ``paths`` as given, or every ``*.yaml`` in ``content_dir``."""
    if paths:
        return list(paths)
    return sorted(content_dir.glob("*.yaml"))


def build(paths: Sequence[Path] = (), options: Options | None = None,
          on_result: Callable[[FileResult], None] = lambda r: None,
          on_written: Callable[[Path], None] = lambda p: None,
          on_warning: Callable[[str], None] = lambda w: None) -> Report:
    """Build ``paths`` (default: every content/*.yaml). Never raises for a user mistake:
    each file's problems are in its ``FileResult``; a broken theme or template makes every
    file fail with that problem."""
    options = options or Options()
    report = Report()
    try:
        def warn(message: str) -> None:
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
    for path in content_files(paths):
        result = build_file(path, ctx, options, on_written)
        report.files.append(result)
        on_result(result)
    return report


__all__ = ["Options", "Report", "FileResult", "build", "build_file", "check_file", "check_built", "render_all", "output_path", "display_path"]
