"""How far a build is, for a person watching: a rich progress bar on a terminal, plain
lines everywhere else (a CI log, a pipe, a file).

The plain lines are the build's own messages (``wrote output/x.pdf``), one per output as
it lands, so a log shows progress without control characters. On a terminal the same
lines scroll above a bar counting outputs (built, skipped or failed) with the elapsed
time. The bar appears only once a build has run ``delay`` seconds, so a quick build (a
no-op rebuild, say) never pays for importing rich, and it is drawn from the building
thread only (no refresh thread: the build forks worker processes, and forking while
another thread holds a lock can hang the child).
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO


class Progress:
    """``update(done, total)`` as work completes (and now and then while waiting);
    ``line(text)`` for a message; ``close()`` at the end. ``enabled`` False (``-q``, or
    stderr is not a terminal) never draws a bar."""

    def __init__(self, enabled: bool | None = None, delay: float = 0.3,
                 out: TextIO | None = None, err: TextIO | None = None):
        self.out = Unbroken.of(out or sys.stdout)
        self.err = Unbroken.of(err or sys.stderr)
        self.enabled = self.err.isatty() if enabled is None else enabled
        self.delay = delay
        self.start = time.perf_counter()
        self._bar = None
        self._task = None

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        if self._bar is None:
            if time.perf_counter() - self.start < self.delay or done >= total:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

            self._bar = Bar(TextColumn("building"), BarColumn(), MofNCompleteColumn(), TextColumn("outputs"),
                            TimeElapsedColumn(), console=Console(file=self.err), transient=True,
                            auto_refresh=False)
            self._bar.start()
            self._task = self._bar.add_task("build", total=total)
        self._bar.update(self._task, completed=done, total=total)
        self._bar.refresh()

    def line(self, text: str, error: bool = False) -> None:
        """Print ``text`` to stdout (stderr when ``error``), above the bar if one is shown.

        A line is flushed as it is printed, so a reader that has gone (``triptych | head
        -1``) is found here, not later when the build forks a worker (which flushes the
        standard streams) or ends. The build then goes on without its lines (``Unbroken``)."""
        stream = self.err if error else self.out
        if self._bar is not None and stream.isatty():
            self._bar.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            print(text, file=stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


class Unbroken:
    """``stream`` (the command's stdout or stderr) for a reader that may go away: a write
    or flush that meets a closed pipe (``triptych -q | head -1``, ``triptych --check |
    true``) sends the rest to the null device (``_gone``) instead of raising, so the
    command still finishes its work and exits with its own status. Everything else is
    ``stream``'s own (``fileno``, ``isatty``, ``encoding``...)."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    @classmethod
    def of(cls, stream: TextIO) -> "Unbroken":
        """``stream`` as an ``Unbroken`` (itself when it is one already: the command's)."""
        return stream if isinstance(stream, cls) else cls(stream)

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            _gone(self._stream)
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            _gone(self._stream)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _gone(stream: TextIO) -> None:
    """The reader of ``stream`` closed its end (``| head``): what is still to be written
    there goes to the null device, so neither the rest of the build nor the flush at exit
    fails on it (a failure there was reported as a bug of ours and stopped the build).
    The outputs are what the reader did not want to see, and are all written."""
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, stream.fileno())
    finally:
        os.close(null)


__all__ = ["Progress", "Unbroken"]
