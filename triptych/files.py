"""Paths as the API takes them and as messages name them, and writing outputs so that a
failure never leaves a broken file where a good one was."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def as_path(value: str | os.PathLike[str]) -> Path:
    """``value`` as a ``Path``: every public function and ``Options`` field that takes a
    file or folder accepts ``str``, ``Path`` or any ``os.PathLike`` (``os.fspath`` decides;
    bytes paths are refused with ``TypeError``, as ``Path`` refuses them)."""
    return value if isinstance(value, Path) else Path(os.fspath(value))


def display_path(path: str | os.PathLike[str]) -> str:
    """How a file is named in messages: relative to the working folder when inside it."""
    path = as_path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all or nothing.

    The bytes go to a uniquely named temporary file in the same folder (same file
    system, so the rename is atomic), are flushed to disk, and the file is renamed over
    ``path``. If anything fails (disk full, a size limit, an exception) the temporary
    file is removed and ``path`` keeps its old bytes. Two builds writing the same path at
    once each rename a complete file, so the survivor is always valid.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
