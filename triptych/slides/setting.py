"""What laying out slides needs besides the plan: the talk, the theme, its fonts and frames."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import fit
from ..model import Talk
from ..render import say
from ..theme import Theme
from .shapes import Frame


@dataclass(frozen=True)
class Setting:
    """What laying out needs besides the plan: the talk, the theme, its fonts, whether the
    look is ours (``branded``: backgrounds and decorations are drawn; False on a user's
    master) and each layout's frame (``frame(layout)``), and a warner."""

    talk: Talk
    templates: Path
    theme: Theme
    book: fit.FontBook
    branded: bool
    frame: Callable[[str], Frame]
    warn: Callable[[str], None] = lambda message: None

    def say(self, macro: str, *args, **slots: str) -> str:
        """The words ``shared.j2``'s ``macro`` says (``render.say``): "(2/3)", the footer."""
        return say(self.templates, macro, *args, lang=self.talk.lang, **slots)

    def size(self, name: str) -> float:
        return self.theme.sizes[name]
