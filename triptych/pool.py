"""The worker processes a build's jobs run in, with WeasyPrint imported and warmed once.

``Pool(n)`` runs jobs (``triptych.jobs``) in at most ``n`` busy processes; ``Pool(1)``
runs each job in this process when it is submitted. Workers are forked from the
building process, so they start in milliseconds with triptych already imported, and each
keeps what it imported for the jobs that follow (what keeps ``--watch`` rebuilds fast).

**WeasyPrint once per build.** Importing WeasyPrint takes about 0.45 s of CPU and a
process's first document about 0.3 s more (cffi parsing the C declarations it uses,
Pango's and fontconfig's font lists, the fonts' files, fontTools' subsetter). Paid in
each worker that renders a PDF, that was 0.75 s per PDF worker: twice for the handout, the
slides PDF and the carousel on two cores. So a job that renders with WeasyPrint
(``SHARED``) waits while the building process, idle otherwise, imports it and lays out
one small document in the theme's fonts (``weasy.warm``); the workers that render PDFs
are forked after that and inherit it all. Jobs that need no WeasyPrint start at once in
workers forked before (at most ``n - 1`` of them: the building process is the n-th busy
one meanwhile), and between the warm-up's steps the building process hands them their
next job. A worker forked before the warm-up never renders a PDF: when a PDF job finds no
free worker, an idle early one is ended and a warm one forked in its place. A build
with no PDF to render never imports WeasyPrint.

The warm-up must leave the building process as it found it apart from imported modules
and caches: no garbage (collected) and no new thread (forking a process with a thread in
a C library is how a child inherits a lock it can never take). If a thread appeared
during it, or it failed, workers are forked as before and import what they need
themselves (the job then reports what is missing, with its output's name).

Stopping: workers ignore Ctrl-C and SIGHUP (``stop.in_worker``): the building process
decides, and ``close(kill=True)`` ends them with SIGTERM, which is safe because a worker
never writes an output; a worker's temporary folder is removed on the way out, and by
the building process when the worker had to be killed outright.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import shutil
import tempfile
import threading
import time
import traceback
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait as ready
from pathlib import Path
from typing import Iterable, Sequence

from . import jobs as _jobs
from . import stop, weasy
from .writers import output

#: Seconds a worker has to end after SIGTERM before it is killed outright.
KILL_AFTER = 1.5

#: Seconds a worker waits, after sending a result, for the building process's next word
#: before it releases the memory its job freed (``_serve``).
RELEASE_WAIT = 0.05

#: Modules the building process imports and warms itself, once, before it forks the
#: workers for jobs that use them (see the module docstring).
SHARED = ("weasyprint",)


class _RemoteTraceback(Exception):
    """A worker's traceback, set as the ``__cause__`` of the exception it raised, so the
    building process prints where in the worker the bug is."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return self.text


def _failure(err: BaseException) -> tuple[BaseException, str]:
    """What a worker sends back for a job that raised ``err``: the exception (or, when it
    cannot be pickled, a RuntimeError naming it) and its formatted traceback."""
    text = "".join(traceback.format_exception(type(err), err, err.__traceback__))
    err.__traceback__ = None
    try:
        pickle.dumps(err)
    except Exception:
        err = RuntimeError(f"{type(err).__name__}: {err}")
    return err, '\n"""\n' + text + '"""'


def _serve(conn: Connection, inherited: Sequence[Connection], modules: tuple[str, ...]) -> None:
    """A worker's life: do each job the building process sends and send back its result
    (or the exception, with its traceback), until it sends None."""
    stop.in_worker()
    for other in inherited:  # the building process's ends of the pipes, copied by the fork
        other.close()
    for module in modules:
        try:
            if module == "weasyprint":
                weasy.load()  # with its own fixes applied
            else:
                __import__(module)
        except ImportError:  # the render reports it properly, with the output's name
            pass
    release = False
    while True:
        # The memory a big job freed is handed back (``jobs.release``, tens of milliseconds)
        # after its result is sent, not before: the build waits for that result, and often
        # ends this worker as soon as it has it (an early worker after the deck), and then
        # the release is not needed at all. So: released when nothing comes within
        # RELEASE_WAIT, or before the next job when one comes at once.
        if release and not conn.poll(RELEASE_WAIT):
            _jobs.release()
            release = False
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        if release:
            _jobs.release()
        try:
            result, release = _jobs._work(job)
            message: tuple = ("done", result)
        except Exception as err:
            message, release = ("failed", *_failure(err)), False
        try:
            conn.send(message)
        except Exception as err:  # a result pickle refuses: a bug of ours, said as one
            conn.send(("failed", *_failure(err)))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    #: Has ``SHARED`` warm: forked after the warm-up, or rendered with it itself.
    warm: bool
    #: The job it is doing: its future and output names.
    busy: tuple[Future, tuple[str, ...]] | None = None


def _threads() -> int:
    """This process's threads, a C library's included (Linux's /proc), else Python's."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


class Pool:
    """At most ``jobs`` processes doing jobs (default: one per core), started on first
    use and kept until ``close``; ``jobs <= 1`` runs every job in this process instead
    (``submit`` then returns a finished future). ``warm_outputs`` (``--watch``,
    ``--serve``): outputs whose libraries every worker should have, so that any rebuild
    finds them imported."""

    def __init__(self, jobs: int | None = None, warm_outputs: Sequence[str] = ()):
        self.jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
        self.warm_outputs = tuple(warm_outputs)
        #: The modules of ``warm_outputs``: imported by the building process before it
        #: forks warm workers, and by each worker forked before that, when it starts.
        self.warm = tuple(dict.fromkeys(m for name in self.warm_outputs for m in output(name).imports))
        self._queue: deque[tuple[Future, _jobs.Job]] = deque()
        self._workers: list[_Worker] = []
        methods = multiprocessing.get_all_start_methods()
        # fork: workers inherit the imported triptych (and the warm-up) instead of paying
        # Python's start and the imports again on every build. A spawned worker would
        # inherit nothing, so without fork there is no warm-up either.
        self._context = multiprocessing.get_context("fork" if "fork" in methods else None)
        #: None until the warm-up, then whether a worker forked now inherits ``SHARED`` warm.
        self._warmed: bool | None = None if "fork" in methods else False

    def submit(self, job: _jobs.Job) -> Future:
        """Queue ``job``; its future gets the ``JobResult``, or the exception a bug raised.
        Jobs start at the next ``wait``, which so sees every job submitted before it (the
        builder submits a file's jobs together, costliest first)."""
        future: Future = Future()
        if self.jobs <= 1:
            try:
                future.set_result(_jobs.run(job))
            except BaseException as err:  # delivered through the future like a worker's
                future.set_exception(err)
                if not isinstance(err, Exception):
                    raise
            return future
        self._queue.append((future, job))
        return future

    def wait(self, futures: Iterable[Future], timeout: float) -> set[Future]:
        """Start what can start, then return the ``futures`` that are done, after waiting up
        to ``timeout`` seconds for one. The warm-up, when due, happens here, where the
        building process would otherwise sit idle."""
        futures = list(futures)
        if self.jobs > 1:
            if self._warm_up_due():
                self._dispatch()  # the jobs that need no WeasyPrint start first
                self._warm_up()
            self._poll(0 if any(f.done() for f in futures) else timeout)
        return {f for f in futures if f.done()}

    # -- scheduling ---------------------------------------------------------------------------

    @staticmethod
    def _uses_shared(job: _jobs.Job) -> bool:
        return any(m in SHARED for n in job.names for m in output(n).imports)

    def _warm_up_due(self) -> bool:
        """Whether this process should warm up before it forks more workers: not done yet,
        and two queued jobs or more use ``SHARED`` (for one, a worker would pay the same
        import and first document), or one does and the pool is kept across builds."""
        if self._warmed is not None:
            return False
        shared = sum(1 for _, job in self._queue if self._uses_shared(job))
        return shared >= 2 or (shared == 1 and any(m in SHARED for m in self.warm))

    def _dispatch(self) -> None:
        """Hand queued jobs, first come first served, to idle workers that suit them,
        forking workers up to the limit; a job no worker suits yet stays queued. While a
        warm-up is due, its jobs wait and this process counts as one of the busy ones."""
        due = self._warm_up_due()
        limit = self.jobs - 1 if due else self.jobs
        waiting: deque = deque()
        while self._queue:
            future, job = self._queue.popleft()
            worker = None if due and self._uses_shared(job) else self._worker_for(job, limit)
            if worker is None:
                waiting.append((future, job))
                continue
            try:
                worker.conn.send(job)
            except OSError:  # the worker died between jobs (killed from outside): another does it
                self._forget(worker)
                waiting.append((future, job))
                continue
            worker.busy = (future, job.names)
            future.set_running_or_notify_cancel()
        self._queue = waiting

    def _worker_for(self, job: _jobs.Job, limit: int) -> _Worker | None:
        """An idle worker for ``job``, a new one, or None (no free slot). After a warm-up, a
        job that uses ``SHARED`` goes to a worker forked after it (or one that rendered
        with it already)."""
        warmth = bool(self._warmed) and self._uses_shared(job)
        idle = [w for w in self._workers if w.busy is None]
        for worker in idle:
            if worker.warm or not warmth:
                return worker
        if len(self._workers) - len(idle) >= limit:
            return None
        if len(self._workers) >= self.jobs:
            self._retire(idle[0])  # an early worker, idle: a warm one takes its place
        return self._start()

    def _start(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        # After the warm-up a worker inherits the modules; before it, an early worker of a
        # --watch imports those the warm-up will not give (python-pptx) when it starts.
        modules = () if self._warmed else tuple(m for m in self.warm if self._warmed is False or m not in SHARED)
        inherited = [ours, *(w.conn for w in self._workers)]
        process = self._context.Process(target=_serve, args=(theirs, inherited, modules),
                                        name="triptych-worker", daemon=True)
        with stop.deferred():  # a stop cannot leave a forked worker unrecorded
            # Forked with every object frozen (gc.freeze's advice for fork without exec): the
            # worker's collections never walk what it inherited, nor write to those objects'
            # pages, which would make it copy them. The deck's early worker so skips a full
            # collection during its fontTools import (about 20 ms) and its release after the
            # deck walks less (about 20 ms instead of 30 to 45). Thawed here at once, so
            # this process collects as before.
            gc.freeze()
            try:
                process.start()
            finally:
                gc.unfreeze()
            worker = _Worker(process, ours, warm=bool(self._warmed))
            self._workers.append(worker)
        theirs.close()
        return worker

    def _retire(self, worker: _Worker) -> None:
        try:
            worker.conn.send(None)
        except OSError:
            pass
        self._forget(worker)
        worker.process.join(KILL_AFTER)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(1.0)

    def _forget(self, worker: _Worker) -> None:
        self._workers.remove(worker)
        worker.conn.close()

    def _poll(self, timeout: float) -> None:
        """Take in what busy workers sent within ``timeout`` seconds, then hand out more work."""
        busy = [w for w in self._workers if w.busy is not None]
        if busy:
            waited = ready([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
            for worker in busy:
                if worker.conn in waited or worker.process.sentinel in waited:
                    self._receive(worker)
        self._dispatch()

    def _receive(self, worker: _Worker) -> None:
        assert worker.busy is not None
        future, names = worker.busy
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(1.0)
            future.set_exception(RuntimeError(
                f"a worker process ended unexpectedly (exit status {worker.process.exitcode}) "
                f"while rendering {', '.join(names)}"))
            self._forget(worker)
            return
        worker.busy = None
        if any(m in SHARED for n in names for m in output(n).imports):
            worker.warm = True  # it has imported and used them itself
        if message[0] == "done":
            future.set_result(message[1])
        else:
            err, text = message[1], message[2]
            err.__cause__ = _RemoteTraceback(text)
            future.set_exception(err)

    # -- the warm-up --------------------------------------------------------------------------

    def _warm_up(self) -> None:
        """Import, in this process, the libraries and writers of the queued jobs that use
        ``SHARED`` (and of ``warm_outputs``), then lay out a first document in their
        theme's fonts; between steps, take in and hand out the early workers' jobs."""
        wanted = [job for _, job in self._queue if self._uses_shared(job)]
        names = dict.fromkeys([n for job in wanted for n in job.names] + list(self.warm_outputs))
        steps = dict.fromkeys([m for n in names for m in output(n).imports] + [output(n).module for n in names])
        threads = _threads()
        try:
            for module in steps:
                if module == "weasyprint":
                    weasy.load()  # with its own fixes applied
                else:
                    __import__(module)
                self._poll(0)
            weasy.warm(wanted[0].theme.css_family("body"))
        except Exception as err:  # ImportError, a broken install: each job reports it with its output's name
            if stop.cause(err) is not None:  # a stop that arrived during an import, wrapped
                raise
            self._warmed = False
        else:
            self._warmed = _threads() <= threads
        self._prepare(wanted[0])
        self._dispatch()

    def _prepare(self, job: _jobs.Job) -> None:
        """``jobs.prepare``: what every worker's first job of ``job``'s talk would pay, paid
        here once before they are forked (the deck's early worker pays its own). If it
        fails, each job meets the same failure and reports it."""
        try:
            _jobs.prepare(job)
        except Exception as err:
            if stop.cause(err) is not None:
                raise

    def close(self, kill: bool = False) -> None:
        """Stop the workers: after their current job, or at once when ``kill``. A killed
        worker gets SIGTERM (it removes its temporary folder and exits), and SIGKILL if
        it is still there ``KILL_AFTER`` seconds later; ``close`` returns when all are gone.
        Jobs still queued are cancelled."""
        for future, _ in self._queue:
            future.cancel()
        self._queue.clear()
        workers, self._workers = self._workers, []
        for worker in workers:
            if kill:
                worker.process.terminate()
            else:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
        deadline = time.monotonic() + KILL_AFTER
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()) if kill else None)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(1.0)
                # A worker killed outright (busy in a library call that does not return to
                # Python in time, as on a loaded machine) could not remove its folder.
                for left in Path(tempfile.gettempdir()).glob(f"{_jobs.CHECK_PREFIX}{worker.process.pid}-*"):
                    shutil.rmtree(left, ignore_errors=True)
            worker.conn.close()


__all__ = ["KILL_AFTER", "Pool", "RELEASE_WAIT", "SHARED"]
