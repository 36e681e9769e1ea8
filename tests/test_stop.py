"""Stopping a build or a watch with SIGTERM, SIGINT or SIGHUP (triptych/stop.py): every
worker process ends within a second or two, no temporary file is left, and the outputs
are the last good ones or complete new ones. Run as a user would: ``build.py`` in a
subprocess, signalled while its workers are busy. Linux only (/proc lists the workers)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE
from triptych import stop
from triptych.writers import defaults, output

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")

#: The file endings of what a plain build writes (``x.pptx``, ``x.slides.pdf``...), from the records.
OUTPUTS = tuple(output(name).suffix[1:] for name in defaults())
LAST_GOOD = b"the last good output\n"


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` right now."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def leftovers(project: Path) -> list[str]:
    """Temporary files left in the build's temporary folder (Jinja's bytecode cache, which
    is meant to stay, aside)."""
    return [p.name for p in (project / "tmp").iterdir() if not p.name.startswith("_jinja2-cache")]


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def project(tmp_path):
    """Three copies of the sample (so a build takes a few seconds on two workers), last good
    outputs in output/, and a private temporary folder for the build to leave files in."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE.parent, content)
    for name in ("b", "c"):
        shutil.copy(SAMPLE, content / f"{name}.yaml")
    (tmp_path / "output").mkdir()
    (tmp_path / "tmp").mkdir()
    for talk in content.glob("*.yaml"):
        for suffix in OUTPUTS:
            (tmp_path / "output" / f"{talk.stem}.{suffix}").write_bytes(LAST_GOOD)
    return tmp_path


def start(project: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(project / "tmp")}
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--jobs", "2", *args], cwd=project, env=env,
                            stdout=open(project / "stdout", "w"), stderr=open(project / "stderr", "w"),
                            start_new_session=True, preexec_fn=_default_signals)


def _default_signals() -> None:
    # As a build started from a terminal has them. A test run started in the background
    # by a shell (``pytest &``) inherits SIGINT ignored, and the build rightly keeps a
    # signal its caller chose to ignore: it would then finish and exit 0.
    for signum in stop.SIGNALS:
        signal.signal(signum, signal.SIG_DFL)


def stopped_cleanly(project: Path, process: subprocess.Popen, workers: set[int], signum: int) -> int:
    """Send ``signum`` to the build alone (``kill PID``); check that it and its workers end and
    leave no temporary file. Returns the exit status."""
    process.send_signal(signum)
    try:
        status = process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError(f"build.py still running 10 s after {signal.Signals(signum).name}")
    finally:
        ended = wait_for(lambda: not any(alive(w) for w in workers), 2.0)
        for worker in workers:  # never leave orphans behind, even when the test fails
            if alive(worker):
                os.kill(worker, signal.SIGKILL)
    assert ended, "workers outlived the build"
    assert not leftovers(project), "temporary files were left behind"
    assert not [p.name for p in (project / "output").iterdir() if p.name.endswith(".tmp")]
    return status


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=lambda s: s.name)
def test_a_build_stopped_by_a_signal_ends_its_workers_and_keeps_the_last_good_outputs(project, signum):
    process = start(project, "--force")
    workers: set[int] = set()
    assert wait_for(lambda: len(workers.update(children(process.pid)) or workers) >= 2, 30), "no workers started"
    time.sleep(0.3)  # well inside the first file's render (about a second)
    status = stopped_cleanly(project, process, workers, signum)
    assert status == 128 + signum
    assert "interrupted" in (project / "stderr").read_text()
    written = {line.split("wrote ", 1)[1] for line in (project / "stdout").read_text().splitlines()
               if line.startswith("wrote ")}
    for talk in ("b", "c", "llms-vs-foundation-models"):
        new = [f"output/{talk}.{suffix}" in written for suffix in OUTPUTS]
        assert len(set(new)) == 1, f"{talk}: some outputs are new and some old: {new}"
        kept = [(project / "output" / f"{talk}.{suffix}").read_bytes() == LAST_GOOD for suffix in OUTPUTS]
        assert kept == [not n for n in new], f"{talk}: an output changed without being written, or the reverse"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=lambda s: s.name)
def test_a_watch_stopped_by_a_signal_ends_its_workers(project, signum):
    (project / "content" / "b.yaml").unlink()
    (project / "content" / "c.yaml").unlink()
    process = start(project, "--watch")
    assert wait_for(lambda: "written" in (project / "stdout").read_text() or process.poll() is not None, 60)
    workers = children(process.pid)
    assert len(workers) == 2
    assert stopped_cleanly(project, process, workers, signum) == 0
    assert (project / "stdout").read_text().splitlines()[-1] == "stopped watching"
    assert "KeyboardInterrupt" not in (project / "stderr").read_text()


def test_a_terminal_ctrl_c_reaches_the_workers_too_and_only_the_build_acts_on_it(project):
    # Ctrl-C and a closed terminal signal the whole process group, workers included.
    process = start(project, "--force")
    workers: set[int] = set()
    assert wait_for(lambda: len(workers.update(children(process.pid)) or workers) >= 2, 30)
    time.sleep(0.3)
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=10) == 130
    assert wait_for(lambda: not any(alive(w) for w in workers), 2.0)
    assert "Traceback" not in (project / "stderr").read_text()
    assert not leftovers(project)


def test_a_stop_during_a_deferred_block_is_raised_when_it_ends():
    with pytest.raises(stop.Stopped) as caught:
        with stop.stopping():
            with stop.deferred():
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.05)
                finished = True
    assert finished and caught.value.exit_status == 128 + signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_a_handler_the_application_set_is_kept():
    mine = lambda signum, frame: None  # noqa: E731
    previous = signal.signal(signal.SIGHUP, mine)
    try:
        with stop.stopping():
            assert signal.getsignal(signal.SIGHUP) is mine
            assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
        assert signal.getsignal(signal.SIGHUP) is mine
    finally:
        signal.signal(signal.SIGHUP, previous)


class SignalledWhileNamed:
    """A descriptor whose ``__set_name__`` receives SIGHUP, as a stop arriving while a module
    defining such a class is imported: Python 3.11 wraps what the handler raises there in a
    ``RuntimeError`` (watchfiles imports ``platform`` when its watch starts)."""

    def __set_name__(self, owner, name):
        os.kill(os.getpid(), signal.SIGHUP)
        time.sleep(1)  # the handler raises inside this call


def define_a_class_while_signalled() -> None:
    class Late:  # noqa: F841 (defining it is the point)
        field = SignalledWhileNamed()


def test_a_stop_wrapped_by_an_import_is_still_a_stop(tmp_path, monkeypatch, capsys):
    with pytest.raises(BaseException) as caught:
        with stop.stopping():
            define_a_class_while_signalled()
    assert stop.cause(caught.value) is not None and stop.cause(caught.value).signum == signal.SIGHUP
    assert stop.cause(RuntimeError("a bug of ours")) is None
    # The command line reports it as a stop (128 + SIGHUP), not as a bug of ours.
    from triptych import cli

    def build(*args, **kwargs):
        with stop.stopping():
            define_a_class_while_signalled()

    monkeypatch.setattr(cli, "build", build)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--only", "article"]) == 128 + signal.SIGHUP
    err = capsys.readouterr().err
    assert "interrupted;" in err and "internal error" not in err
