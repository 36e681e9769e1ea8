"""The output registry: one line per output, one module per writer.

A writer module defines:

- ``FAMILY``: which ``only:`` name governs its sections ("deck", "article" or "handout");
- ``SUFFIX``: the file name ending, e.g. ".pptx" or ".linkedin.txt";
- ``render(talk, ctx) -> bytes``: the whole output, deterministic for the same inputs;
- ``read_text(path) -> str``: the text a reader would find in a written file, read back
  independently of ``render`` (the parity check compares it with the content).

Modules are imported only when their output is built or checked, so a build of the
article alone never pays for WeasyPrint. A fourth output is a new module and a line here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Callable

from ..theme import Theme

#: Output name -> module. Order is build order and the order of ``--only`` listings.
REGISTRY: dict[str, str] = {
    "deck": "triptych.writers.deck",
    "article": "triptych.writers.article",
    "page": "triptych.writers.page",
    "post": "triptych.writers.post",
    "handout": "triptych.writers.handout",
}


@dataclass
class Context:
    """What every writer may use besides the talk: templates, theme, options, a warner.

    ``options`` holds output-specific switches from the CLI or API (for example
    ``front_matter``); ``warn`` reports a non-fatal message for the build log.
    """

    templates: Path
    theme: Theme
    options: dict = field(default_factory=dict)
    warn: Callable[[str], None] = lambda message: None


def writer(name: str) -> ModuleType:
    """The writer module for output ``name`` (imported on first use)."""
    return importlib.import_module(REGISTRY[name])


def available() -> tuple[str, ...]:
    return tuple(REGISTRY)
