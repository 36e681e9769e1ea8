"""Atomic writes: whatever fails, the last good file stays byte for byte, and no temporary
file is left behind; concurrent writers leave a complete file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from triptych import files
from triptych.files import write_atomic

from conftest import ROOT


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_writes_creates_folders_and_replaces(tmp_path):
    target = tmp_path / "deep" / "out.md"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert leftovers(target.parent) == []


class Boom(Exception):
    pass


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_a_failure_keeps_the_old_bytes_and_no_temp_file(tmp_path, monkeypatch, where):
    target = tmp_path / "deck.pptx"
    target.write_bytes(b"last good")

    def fail(*args, **kwargs):
        raise Boom(where)

    if where == "write":
        real_fdopen = os.fdopen

        def fdopen(fd, mode):
            fh = real_fdopen(fd, mode)

            class Half:  # writes half the bytes, then the disk is "full"
                def __enter__(self):
                    return self

                def __exit__(self, *exc):
                    fh.close()

                def write(self, data):
                    fh.write(data[: len(data) // 2])
                    raise OSError(28, "No space left on device")

                def flush(self):
                    fh.flush()

                def fileno(self):
                    return fh.fileno()

            return Half()

        monkeypatch.setattr(files.os, "fdopen", fdopen)
        expected = OSError
    else:
        monkeypatch.setattr(files.os, "fsync" if where == "fsync" else "replace", fail)
        expected = Boom
    with pytest.raises(expected):
        write_atomic(target, b"new bytes that never land" * 100)
    assert target.read_bytes() == b"last good"
    assert leftovers(tmp_path) == []


def test_an_interrupt_is_cleaned_up_too(tmp_path, monkeypatch):
    target = tmp_path / "a.md"
    target.write_bytes(b"old")

    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []


FSIZE_SCRIPT = """
import resource, sys
from pathlib import Path
from triptych.files import write_atomic
resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
try:
    write_atomic(Path(sys.argv[1]), b"x" * 5000)
except OSError as err:
    print("refused", err.errno)
"""


def test_a_file_size_limit_keeps_the_old_bytes(tmp_path):
    """A real limit enforced by the kernel (as a full disk would be), in a child process."""
    target = tmp_path / "handout.pdf"
    target.write_bytes(b"last good")
    run = subprocess.run([sys.executable, "-c", FSIZE_SCRIPT, str(target)], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert run.stdout.strip() == "refused 27", run.stderr  # EFBIG
    assert target.read_bytes() == b"last good"
    assert leftovers(tmp_path) == []


RACE_SCRIPT = """
import sys
from pathlib import Path
from triptych.files import write_atomic
target, byte = Path(sys.argv[1]), sys.argv[2].encode()
for i in range(300):
    write_atomic(target, byte * (100_000 + i))
"""


def test_concurrent_writers_leave_a_complete_file(tmp_path):
    target = tmp_path / "article.md"
    procs = [subprocess.Popen([sys.executable, "-c", RACE_SCRIPT, str(target), b], cwd=ROOT) for b in "ab"]
    while any(p.poll() is None for p in procs):
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            continue
        # every read sees one writer's whole file: one byte repeated, of a length it wrote
        assert len(set(data)) == 1 and 100_000 <= len(data) < 100_300
    assert [p.wait() for p in procs] == [0, 0]
    data = target.read_bytes()
    assert len(set(data)) == 1 and leftovers(tmp_path) == []
