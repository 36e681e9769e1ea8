"""Skipping outputs that would come out the same: a content-hash cache in the output folder.

An output is rebuilt unless everything that made it is unchanged. "Everything" is hashed
into one key per output:

- the content file's bytes, and the bytes of every image and chart data file it references;
- every file under the templates folder (but the theme file);
- the tool: triptych's version and the source of its modules (so an upgrade or a local
  edit of a writer rebuilds), and the versions of the libraries that shape the bytes
  (Python-Markdown, Jinja2 and PyYAML, plus those the output's record names, such as
  python-pptx, WeasyPrint, pypdfium2 and fontTools);
- the inputs and options the output's record says it depends on, and only those: the
  theme file, the user's .pptx master, the paper size, ``--front-matter``... So
  ``--paper Letter`` rebuilds the handout alone, and ``--master`` the deck alone.

Installed fonts are not hashed (WeasyPrint and the deck's text measuring use them): after
installing or removing a font, build with ``--force``.

The manifest, ``<out>/.triptych-cache.json``, maps each output file name to its key, the
SHA-256 of the bytes written, whether the parity check ran on them and the warnings its
writer gave (a skipped output's warnings are reported again, so a no-op build is not
silent about them). An output counts as
fresh only when its key matches, the file is still there with exactly those bytes (a file
deleted or edited by hand is rebuilt) and, when this build checks parity, the recorded
build checked it too. Only outputs that built cleanly (no content or parity problem) are
recorded, so a failing file fails again on the next build instead of passing silently.

The manifest is a hint, never a source of truth: a missing, unreadable, corrupt or
foreign manifest is treated as empty (everything rebuilds) and replaced on the next save.
It is written atomically; two builds saving at once can only lose each other's entries,
which costs a rebuild, never a stale output.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from ._version import __version__
from .files import write_atomic
from .model import Talk
from .writers import Output

#: The manifest's file name inside the output folder.
MANIFEST = ".triptych-cache.json"
#: Bumped when the manifest's layout or the meaning of a key changes; other formats are ignored.
FORMAT = 1
#: Libraries whose version can change the bytes of every output (each output's record
#: names its own besides, ``Output.libraries``).
LIBRARIES = ("Markdown", "Jinja2", "PyYAML")

_PACKAGE = Path(__file__).resolve().parent


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes; a missing or unreadable file hashes to a marker naming
    the error, so it still changes the key (and the build reports the real problem)."""
    try:
        return _sha(path.read_bytes())
    except OSError as err:
        return f"unreadable:{type(err).__name__}"


def tree_digest(folder: Path, skip: Path | None = None) -> str:
    """One hash over every file below ``folder``: relative names and bytes, in sorted
    order, so an added, removed, renamed or edited file all change it. Hidden files and
    ``__pycache__`` are left out (editors' swap files must not force rebuilds), and so is
    the file ``skip`` (the theme, which is hashed as an input of its own)."""
    h = hashlib.sha256()
    skipped = skip.resolve() if skip is not None else None
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if any(part.startswith(".") or part == "__pycache__" for part in rel.parts) or not path.is_file():
                continue
            if skipped is not None and path.resolve() == skipped:
                continue
            h.update(rel.as_posix().encode() + b"\0" + file_digest(path).encode() + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=1)
def source_digest() -> str:
    """triptych's version and the source of its modules. Computed once per process (the
    watch mode restarts to pick up a new triptych)."""
    h = hashlib.sha256(f"triptych {__version__}\n".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + file_digest(path).encode() + b"\0")
    return h.hexdigest()


def _canonical(name: str) -> str:
    """A distribution's name as the packaging specifications compare them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@lru_cache(maxsize=1)
def _installed() -> dict[str, str]:
    """Canonical distribution name -> version, read from the names of the ``.dist-info``
    folders on ``sys.path`` (``<name>-<version>.dist-info``, as the wheel format and pip
    write them), the first on the path winning, as it does for ``import``.

    One listing of each folder: ``importlib.metadata.version`` finds and parses a
    METADATA file per call, about 5 ms each, which for a build's nine libraries was a
    twentieth of a cold build spent before its first job. Computed once per process."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as listing:
                names = [e.name for e in listing if e.name.endswith(".dist-info")]
        except OSError:  # a zip file, a folder gone
            continue
        for folder in sorted(names):
            name, _, version = folder[: -len(".dist-info")].rpartition("-")
            if name and version:
                found.setdefault(_canonical(name), version)
    return found


@lru_cache(maxsize=None)
def library_version(name: str) -> str:
    """The installed version of distribution ``name``, or "absent". A distribution that
    has no ``.dist-info`` folder on the path (an egg, an old development install) is
    looked up by ``importlib.metadata``."""
    version = _installed().get(_canonical(name))
    if version is not None:
        return version
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def tool_digest(libraries: Iterable[str] = ()) -> str:
    """The tool's identity as one output sees it: ``source_digest`` and the versions of
    ``LIBRARIES`` and of ``libraries`` (the output's own, from its record)."""
    h = hashlib.sha256(source_digest().encode() + b"\n")
    for name in dict.fromkeys((*LIBRARIES, *libraries)):
        h.update(f"{name} {library_version(name)}\n".encode())
    return h.hexdigest()


def input_digests(templates: Path, theme_file: Path, master: Path | None, options: Mapping[str, object]) -> dict[str, str]:
    """The digest of everything one build's outputs may depend on besides the content,
    computed once per build: "templates" (every file under the folder but the theme file),
    "theme" (the theme file's bytes), "master" (the master's bytes, or "none") and each of ``options`` (name ->
    value, such as ``page_size`` or an output's switch) as JSON; a value JSON cannot hold is
    taken by its ``str``."""
    digests = {"templates": tree_digest(templates, skip=theme_file), "theme": file_digest(theme_file),
               "master": file_digest(master) if master else "none"}
    digests.update({name: json.dumps(value, sort_keys=True, default=str) for name, value in options.items()})
    return digests


def environment_digest(record: Output, inputs: Mapping[str, str]) -> str:
    """What output ``record`` depends on besides the content: the templates (every output
    reads them), the tool with the record's libraries, and each input the record depends
    on (``Output.depends_on``) from ``inputs`` (``input_digests``), and nothing else, so
    that ``--paper Letter`` leaves the outputs that never read the paper fresh. Raises
    ``KeyError`` when ``inputs`` lacks one of them (a bug: the key would miss a change)."""
    h = hashlib.sha256()
    h.update(b"templates " + inputs["templates"].encode() + b"\n")
    h.update(b"tool " + tool_digest(record.libraries).encode() + b"\n")
    for name in record.depends_on:
        h.update(f"{name} ".encode() + inputs[name].encode() + b"\n")
    return h.hexdigest()


def content_digest(raw: bytes, talk: Talk | None = None) -> str:
    """The content file's bytes plus every image and chart CSV file ``talk`` references
    (each once, by its path and its bytes). Hash ``raw`` as read
    *before* loading and call this right after loading, before rendering: if a file
    changes during the build, the key then describes older inputs and the next build
    rebuilds, never the other way round."""
    h = hashlib.sha256(b"content " + _sha(raw).encode() + b"\n")
    if talk is not None:
        images = sorted({s.image.path for s in talk.sections if s.image is not None})
        for path in images:
            h.update(b"image " + str(path).encode() + b" " + file_digest(path).encode() + b"\n")
        data = sorted({s.chart.data for s in talk.sections if s.chart is not None and s.chart.data is not None})
        for path in data:
            h.update(b"chart data " + str(path).encode() + b" " + file_digest(path).encode() + b"\n")
    return h.hexdigest()


def output_key(content: str, environment: str, output: str) -> str:
    """The key of one output: its name, the content digest and the environment digest."""
    return _sha(f"{output}\n{content}\n{environment}".encode())


@dataclass
class Entry:
    """What the manifest remembers about one output file."""

    key: str
    sha256: str
    checked: bool
    #: The warnings its writer gave, replayed when the output is skipped as fresh, so a
    #: build says the same whether or not it had to rebuild.
    warnings: tuple[str, ...] = ()


@dataclass
class Cache:
    """The manifest of one output folder. ``Cache.open(out_dir)`` reads it (never raises
    for a bad manifest); ``fresh`` asks whether an output may be skipped; ``record`` notes
    a clean build; ``save`` writes the manifest atomically, merged with what is on disk."""

    out_dir: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    #: This build's changes: an entry recorded, or None for one to drop.
    updates: dict[str, Entry | None] = field(default_factory=dict)
    #: Why the manifest on disk was ignored (for a warning), or "" when it was fine or absent.
    ignored: str = ""

    @property
    def path(self) -> Path:
        return self.out_dir / MANIFEST

    @classmethod
    def open(cls, out_dir: Path) -> "Cache":
        cache = cls(out_dir)
        cache.entries, cache.ignored = _read(cache.path)
        return cache

    def fresh(self, target: Path, key: str, checking: bool) -> bool:
        """True when ``target`` was built from inputs with ``key``, still holds the bytes
        recorded then, and was parity-checked if ``checking``. Reads ``target`` to hash it."""
        entry = self.updates[target.name] if target.name in self.updates else self.entries.get(target.name)
        if entry is None or entry.key != key or (checking and not entry.checked):
            return False
        return file_digest(target) == entry.sha256

    def record(self, target: Path, key: str, data: bytes, checked: bool, warnings: Iterable[str] = ()) -> None:
        """Remember that ``target`` now holds ``data``, built from inputs with ``key``, and
        the ``warnings`` its writer gave."""
        self.updates[target.name] = Entry(key, _sha(data), checked, tuple(warnings))

    def warnings(self, target: Path) -> tuple[str, ...]:
        """The warnings recorded with ``target``'s build (for an output found ``fresh``)."""
        entry = self.updates[target.name] if target.name in self.updates else self.entries.get(target.name)
        return entry.warnings if entry is not None else ()

    def forget(self, targets: Iterable[Path]) -> None:
        """Drop the entries of ``targets`` (their build failed: rebuild them next time)."""
        for target in targets:
            self.updates[target.name] = None

    def save(self) -> None:
        """Write the manifest: the entries on disk now (another build may have saved since
        this one opened it), overlaid with this build's records and removals. Does nothing
        when this build recorded nothing. Raises ``OSError`` when the folder is not writable."""
        if not self.updates:
            return
        merged, _ = _read(self.path)
        for name, entry in self.updates.items():
            if entry is None:
                merged.pop(name, None)
            else:
                merged[name] = entry
        data = {"format": FORMAT, "outputs": {name: {**vars(e), "warnings": list(e.warnings)}
                                              for name, e in sorted(merged.items())}}
        write_atomic(self.path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode())
        self.entries, self.updates = merged, {}


def _read(path: Path) -> tuple[dict[str, Entry], str]:
    """The entries of the manifest at ``path`` and, when it was ignored, why. Every kind
    of damage (not JSON, wrong shape, wrong types, another format) gives no entries."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, ""
    except OSError as err:
        return {}, f"cannot read {path.name}: {err.strerror or err}"
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}, f"{path.name} has an unknown format; rebuilding everything"
        entries = {}
        for name, item in data["outputs"].items():
            if (not isinstance(item, dict) or os.sep in name or name.startswith(".")
                    or not all(isinstance(item.get(k), str) for k in ("key", "sha256"))
                    or not isinstance(item.get("checked"), bool)
                    or not isinstance(item.get("warnings", []), list)
                    or not all(isinstance(w, str) for w in item.get("warnings", []))):
                raise ValueError(name)
            entries[name] = Entry(item["key"], item["sha256"], item["checked"], tuple(item.get("warnings", [])))
        return entries, ""
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return {}, f"{path.name} is damaged; rebuilding everything"


__all__ = ["MANIFEST", "Cache", "Entry", "content_digest", "input_digests", "environment_digest", "output_key",
           "tool_digest", "source_digest", "tree_digest", "file_digest"]
