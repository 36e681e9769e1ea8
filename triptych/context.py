"""What every writer, and the slide plan and layout they share, may use besides the talk:
the templates folder, the theme, the output switches and a warner (``Context``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .theme import Theme


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
