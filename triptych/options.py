"""What a build is told (``Options``, one field per command-line flag) and where it
writes each output (``output_path``, ``image_folder``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .files import as_path
from .model import Talk
from .project import DEFAULT_TEMPLATES
from .writers import defaults, output


@dataclass
class Options:
    """Everything a build can be told; the CLI flags map one to one onto these."""

    out_dir: Path = Path("output")
    outputs: Sequence[str] = field(default_factory=defaults)
    templates: Path = DEFAULT_TEMPLATES
    theme_file: Path | None = None  # default: <templates>/theme.yaml
    page_size: str | None = None
    master: Path | None = None
    #: Also write each page of the PDFs that have images (``Output.images``) as a PNG (``--png``).
    png: bool = False
    #: The outputs' own switches by name (each record's ``switches``, such as
    #: ``{"front_matter": True}``); one left out has its default (off).
    writer_options: dict = field(default_factory=dict)
    #: Run the parity check on the outputs just written (``--no-check`` turns it off).
    check: bool = True
    #: Rebuild every output even when the cache says it is up to date (``--force``).
    force: bool = False
    #: Worker processes (``--jobs``); None: one per core; 1: everything in this process.
    jobs: int | None = None
    #: A theme colour pair below WCAG 2.2 AA contrast is an error, not a warning (``--strict``).
    strict: bool = False

    def __post_init__(self) -> None:
        # The folders and files may be given as str or any os.PathLike; the build uses Paths.
        self.out_dir = as_path(self.out_dir)
        self.templates = as_path(self.templates)
        self.theme_file = None if self.theme_file is None else as_path(self.theme_file)
        self.master = None if self.master is None else as_path(self.master)
        # A bare string would be iterated letter by letter.
        self.outputs = (self.outputs,) if isinstance(self.outputs, str) else tuple(self.outputs)


def image_folder(target: Path, name: str) -> Path:
    """Where ``--png`` writes the pages of output ``name`` written to ``target``:
    ``output/<slug>.slides/`` beside ``output/<slug>.slides.pdf``."""
    return target.with_name(target.name[: -len(output(name).suffix)] + output(name).images)


def companion_folder(target: Path, name: str) -> Path:
    """Where the companion files of output ``name`` written to ``target`` go
    (``Output.companions``): ``output/<slug>.charts/`` beside ``output/<slug>.md``."""
    return target.with_name(target.name[: -len(output(name).suffix)] + output(name).companions)


def needs_companions(talk: Talk, name: str) -> bool:
    """Whether output ``name`` of ``talk`` has companion files: only charts make them (the
    article's pictures of them), for the sections its family shows."""
    return bool(output(name).companions) and any(s.chart for s in talk.sections_in(output(name).family))


def output_path(talk: Talk, name: str, out_dir: str | os.PathLike[str]) -> Path:
    """Where output ``name`` of ``talk`` goes: ``<out_dir>/<slug><suffix>``. The slug is
    made of [a-z0-9-] only, so the path cannot leave ``out_dir``."""
    return as_path(out_dir) / f"{talk.slug}{output(name).suffix}"
