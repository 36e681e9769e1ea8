"""Stopping when asked: Ctrl-C, ``kill PID`` and a closed terminal all end a build the same way.

Python turns Ctrl-C (SIGINT) into ``KeyboardInterrupt``, and the build's cleanup runs on
it: the worker processes are ended, a half-written temporary file is removed, the last
good outputs stay as they were. SIGTERM (``kill PID``, a CI runner's timeout, systemd)
and SIGHUP (the terminal closed) would by default end the process on the spot, skipping
all of that and leaving the workers running, orphaned. ``stopping()`` makes the three
signals raise ``Stopped``, a ``KeyboardInterrupt``, so every way of stopping takes the
one cleanup path, and the exit status says which signal it was (128 + its number).

``deferred()`` holds a stop back while one content file's outputs are being written, so
they are all the new ones or all the old ones, never a mix; the stop is raised when the
writing is done (a few milliseconds). Worker processes use ``in_worker()`` instead.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from contextlib import contextmanager
from typing import Iterator

#: The signals that stop a build. SIGHUP does not exist on Windows.
SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class Stopped(KeyboardInterrupt):
    """The build was asked to stop by signal ``signum``; ``exit_status`` is 128 + signum,
    as a shell reports a process ended by that signal."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


_held: list[int] = []  # signals that arrived while deferred, first one first
_depth = 0  # nesting of deferred() blocks
_stopping = False  # a Stopped was raised: later signals are ignored during the cleanup


def _handler(signum: int, frame) -> None:
    global _stopping
    if _depth:
        _held.append(signum)
        return
    if _stopping:
        return  # the cleanup is already under way (and bounded); let it finish
    _stopping = True
    raise Stopped(signum)


def cause(err: BaseException) -> Stopped | None:
    """The ``Stopped`` that ``err`` is or was raised from, else None. Python (3.11) wraps an
    exception raised in a class's ``__set_name__`` in a ``RuntimeError`` caused by it, so a
    signal that arrives while a module defining such a class is imported (watchfiles
    imports ``platform`` as its watch starts) surfaces as that error: still a stop."""
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        if isinstance(err, Stopped):
            return err
        seen.add(id(err))
        err = err.__cause__
    return None


def _ours(handler) -> bool:
    """Whether ``handler`` is one ``stopping()`` may replace: the default action, Python's
    own KeyboardInterrupt for SIGINT, or ours. A handler the application set is kept."""
    return handler in (signal.SIG_DFL, signal.default_int_handler, _handler)


@contextmanager
def stopping() -> Iterator[None]:
    """Within this block SIGINT, SIGTERM and SIGHUP raise ``Stopped`` (in the main thread;
    elsewhere, where signals cannot be handled, it does nothing). Signals whose handler the
    application chose itself (or set to ignore) are left alone. Nested blocks are fine;
    the outermost restores the handlers it found."""
    global _stopping
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in SIGNALS}
    outermost = not any(h is _handler for h in previous.values())
    if outermost:
        _stopping = False
    for signum, handler in previous.items():
        if _ours(handler):
            signal.signal(signum, _handler)
    try:
        yield
    finally:
        if outermost:
            for signum, handler in previous.items():
                if _ours(handler):
                    signal.signal(signum, handler)


@contextmanager
def deferred() -> Iterator[None]:
    """A stop signal arriving inside this block is raised as ``Stopped`` when it ends
    (normally or not), not in the middle of it."""
    global _depth, _stopping
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if not _depth and _held:
            signum = _held[0]
            _held.clear()
            if not _stopping:
                _stopping = True
                raise Stopped(signum)


def in_worker() -> None:
    """Signal handling for a worker process (called first thing in each worker).

    Ctrl-C and a closed terminal reach every process of the terminal's group: workers
    ignore SIGINT and SIGHUP, and the building process decides. It ends them with SIGTERM,
    which raises ``SystemExit`` so the job's ``with`` blocks (its temporary folder) are
    cleaned up on the way out. On Linux the worker also asks for SIGTERM when the building
    process dies, so even ``kill -9`` of the build leaves no worker behind."""
    for name in ("SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_worker)
    try:
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (AttributeError, OSError):  # not Linux: the building process's cleanup still ends them
        pass


def _exit_worker(signum: int, frame) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def blocked() -> Iterator[None]:
    """Stop signals are held by the operating system during this block and delivered as it
    ends. For steps a signal must not cut in two, such as creating or removing a temporary
    folder: a stop raised inside ``shutil.rmtree`` would leave the folder behind. Keep the
    block short (the building process kills a worker that ignores SIGTERM for
    ``pool.KILL_AFTER`` seconds). Does nothing where signals cannot be masked."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


__all__ = ["SIGNALS", "Stopped", "blocked", "deferred", "in_worker", "stopping"]
