"""``python build.py --watch``: rebuild what changed, as it changes, until Ctrl-C.

The process stays warm between rebuilds: Python, triptych and (in the worker processes,
which live as long as the watch) python-pptx and WeasyPrint are imported once, and the
cache skips every output whose inputs did not change, so a rebuild after an edit costs
only the render of that file's outputs.

What a change rebuilds (``affected``):

- a content file (``*.yaml`` directly in a watched content folder, or one named on the
  command line): that file. A new one is built; a deleted one is reported, its outputs
  are left alone;
- anything else in a content folder (an image, say): every watched content file; the
  cache then skips the outputs that do not use it;
- a file under the templates folder, the theme file or the .pptx master: every file.

Files in the output folder, hidden files (editors' swap and backup files) and changes
that touch nothing watched are ignored. Each rebuild prints one line (time, files, what
was written, skipped or failed, seconds); problems follow it as
``path:line: field: message`` lines, and the watch goes on. So does it after an internal
error, which is printed with its traceback: the next edit may well build.
"""

from __future__ import annotations

import itertools
import logging
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .files import display_path
from .pipeline import Options, Report, build, content_files

#: A batch of changes as watchfiles yields it: (change kind, absolute path) pairs. The
#: kind is watchfiles.Change (1 added, 2 modified, 3 deleted); only "deleted" matters here.
Changes = Iterable[tuple[int, str]]
MODIFIED, DELETED = 2, 3


@dataclass(frozen=True)
class Watched:
    """What the watch looks at, resolved to absolute paths. ``files`` are the content files
    named on the command line; empty means every ``*.yaml`` in ``content_dir``."""

    files: tuple[Path, ...]
    content_dir: Path
    templates: Path
    theme_file: Path
    master: Path | None
    out_dir: Path

    @classmethod
    def of(cls, files: Sequence[Path], options: Options, content_dir: Path = Path("content")) -> "Watched":
        theme = options.theme_file or options.templates / "theme.yaml"
        return cls(tuple(Path(f).resolve() for f in files), content_dir.resolve(), options.templates.resolve(),
                   theme.resolve(), options.master.resolve() if options.master else None, options.out_dir.resolve())

    def content_dirs(self) -> tuple[Path, ...]:
        return tuple(sorted({f.parent for f in self.files})) if self.files else (self.content_dir,)

    def roots(self) -> list[Path]:
        """The folders to hand to the file watcher (existing ones only, no duplicates)."""
        wanted = [*self.content_dirs(), self.templates, self.theme_file.parent]
        if self.master:
            wanted.append(self.master.parent)
        roots: list[Path] = []
        for path in wanted:
            if path.is_dir() and not any(path == r or path.is_relative_to(r) for r in roots):
                roots = [r for r in roots if not r.is_relative_to(path)] + [path]
        return roots

    def content(self) -> list[Path]:
        """The content files to build right now."""
        return list(self.files) if self.files else [p.resolve() for p in content_files((), self.content_dir)]

    def stamps(self) -> dict[Path, tuple[int, int]]:
        """Each watched file's modification time and size (the content folders' files, the
        templates, the theme, the master; not the output folder)."""
        paths = [p for folder in (*self.content_dirs(), self.templates) if folder.is_dir() for p in folder.rglob("*")]
        paths += [p for p in (self.theme_file, self.master) if p is not None]
        stamps = {}
        for path in paths:
            try:
                if path.is_file() and not _inside(path, self.out_dir):
                    stat = path.stat()
                    stamps[path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                continue  # gone since it was listed: its deletion is a change like another
        return stamps


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def affected(changes: Changes, watched: Watched) -> tuple[list[Path], list[Path]]:
    """The content files one batch of ``changes`` makes stale, in build order, and the
    content files it deleted. Both empty when nothing watched changed."""
    rebuild: set[Path] = set()
    everything = False
    deleted: set[Path] = set()
    for kind, name in changes:
        path = Path(name).resolve()
        if _inside(path, watched.out_dir) or any(part.startswith(".") for part in path.parts[-1:]):
            continue  # our own writes, the cache manifest, editors' hidden temporary files
        if path in (watched.theme_file, watched.master) or _inside(path, watched.templates):
            everything = True
        elif any(_inside(path, d) for d in watched.content_dirs()):
            if path.suffix == ".yaml" and path.parent in watched.content_dirs():
                if watched.files and path not in watched.files:
                    continue  # another talk in the same folder, not being watched
                (deleted if kind == DELETED else rebuild).add(path)
            else:
                everything = True  # an image or another file content may reference
    current = watched.content()
    if everything:
        return current, sorted(deleted)
    # New files are not in ``current`` yet when listed from a stale folder read; keep them.
    order = {p: i for i, p in enumerate(current)}
    return sorted(rebuild - deleted, key=lambda p: (order.get(p, len(order)), str(p))), sorted(deleted)


def summary(report: Report, seconds: float, clock: str) -> str:
    """The one line printed per rebuild, e.g.
    ``12:04:31 content/talk.yaml: 2 written, 3 unchanged in 0.42s``; failures say
    ``1 failed`` and are followed by their problems."""
    names = ", ".join(display_path(f.source) for f in report.files[:3])
    if len(report.files) > 3:
        names += f" and {len(report.files) - 3} more"
    written = sum(len(f.written) for f in report.files)
    unchanged = sum(len(f.unchanged) for f in report.files)
    failed = sum(1 for f in report.files if not f.ok)
    parts = [f"{written} written", f"{unchanged} unchanged"] + ([f"{failed} failed"] if failed else [])
    return f"{clock} {names or 'no content files'}: {', '.join(parts)} in {seconds:.2f}s"


def loop(batches: Iterable[Changes], watched: Watched, rebuild: Callable[[list[Path]], Report],
         echo: Callable[[str], None], clock: Callable[[], str] = lambda: time.strftime("%H:%M:%S")) -> int:
    """Build everything once, then rebuild what each batch of changes affects, printing
    through ``echo``. Returns the number of rebuilds run (the first build included) when
    ``batches`` ends; a real watch ends only by Ctrl-C. An exception from ``rebuild`` (a bug)
    is printed with its traceback and the loop goes on."""

    def run(files: list[Path]) -> None:
        start = time.perf_counter()
        try:
            report = rebuild(files)
        except Exception:  # a bug of ours: say so, keep watching
            echo(f"{clock()} internal error (a bug in triptych, please report it):\n{traceback.format_exc().rstrip()}")
            return
        echo(summary(report, time.perf_counter() - start, clock()))
        for message in report.warnings:
            echo(f"  warning: {message}")
        for result in report.files:
            for problem in result.problems:
                echo(f"  {problem}")

    runs = 1
    before = watched.stamps()
    run(watched.content())
    # The file watcher starts when ``batches`` is first read, after the first build: a file
    # saved while it ran was never rebuilt (the preview showed the old words until the next
    # save). What changed meanwhile is the first batch.
    after = watched.stamps()
    missed = {(DELETED if path not in after else MODIFIED, str(path))
              for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    for changes in itertools.chain([missed] if missed else [], batches):
        files, deleted = affected(changes, watched)
        for path in deleted:
            echo(f"{clock()} {display_path(path)} was deleted; its outputs are left in place")
        if files:
            run(files)
            runs += 1
    return runs


def watch(files: Sequence[Path], options: Options, echo: Callable[[str], None] = print,
          batches: Iterable[Changes] | None = None) -> int:
    """Watch until Ctrl-C, SIGTERM or SIGHUP (or until ``batches``, given by tests, runs
    out); exit status 0. Worker processes are kept between rebuilds and import the heavy
    libraries up front; however the watch stops, they end with it (``Pool.close``)."""
    from . import stop
    from .pool import Pool

    watched = Watched.of(files, options)
    if batches is None:
        import watchfiles

        roots = watched.roots()
        # watchfiles logs "KeyboardInterrupt caught, stopping watch" however the stop came
        # (kill PID too); "stopped watching" below says it plainly.
        logging.getLogger("watchfiles.main").addFilter(lambda record: "KeyboardInterrupt" not in record.getMessage())
        echo(f"watching {', '.join(display_path(r) for r in roots)} (Ctrl-C to stop)")
        batches = watchfiles.watch(*roots, raise_interrupt=False)
    pool = Pool(options.jobs, warm_outputs=options.outputs)
    try:
        with stop.stopping():  # kill PID and a closed terminal stop it as Ctrl-C does
            try:
                loop(batches, watched, lambda paths: build(paths, options, pool=pool), echo)
            finally:
                pool.close(kill=True)
    except KeyboardInterrupt:
        pass
    except Exception as err:  # a stop that arrived during an import can come wrapped (stop.cause)
        if stop.cause(err) is None:
            raise
    echo("stopped watching")
    return 0


__all__ = ["Watched", "affected", "loop", "summary", "watch"]
