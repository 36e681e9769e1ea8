"""Paths as the API takes them and as messages name them, and writing outputs so that a
failure never leaves a broken file where a good one was."""

from __future__ import annotations

import os
import shutil
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


def write_folder_atomic(folder: Path, files: dict[str, bytes]) -> None:
    """Make ``folder`` hold exactly ``files`` (name -> bytes), as a whole or not at all.

    The files are written into a new temporary folder beside it; only when all of them
    are on disk does it take ``folder``'s name (the old folder is renamed away first and
    then removed). If anything fails, the temporary folder is removed and ``folder``
    keeps its last good files; a failure between the two renames leaves the old set
    under ``.<name>.old-*`` beside it rather than losing it."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".tmp"))
    try:
        for name, data in files.items():
            with open(fresh / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(fresh / name, 0o644)
        os.chmod(fresh, 0o755)
        old = None
        if folder.exists():
            old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.old-"))
            os.replace(folder, old / folder.name)
        os.replace(fresh, folder)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
