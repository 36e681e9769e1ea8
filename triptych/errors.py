"""The error hierarchy: what went wrong, and whose mistake it was.

Exit statuses follow from the class: a ``ContentError`` (the user's content, theme or
template) exits 2, a ``ParityError`` (an output lost text) exits 3, anything else that
escapes is a bug of ours and exits 1 with its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


class TriptychError(Exception):
    """Base of every error triptych raises on purpose."""

    exit_status = 1


@dataclass
class Problem:
    """One mistake at one place: rendered as ``path:line: field: message``.

    ``line`` is 1-based; 0 means the problem belongs to the whole file (an empty file,
    say) and is rendered without a line number.
    """

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ContentError(TriptychError):
    """Every problem found in one file, raised once after the whole file was read.

    ``str()`` is one line per problem, in file order.
    """

    exit_status = 2

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line))
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, path: str, line: int, field: str, message: str) -> "ContentError":
        return cls([Problem(path, line, field, message)])


def warn_or_raise(problems: list[Problem], strict: bool, warn: Callable[[str], None]) -> None:
    """Problems that are warnings unless ``--strict`` (``strict``) makes them errors (a theme
    colour pair below WCAG AA contrast, a carousel past LinkedIn's limits): raised together
    as a ``ContentError`` when ``strict``, else each reported through ``warn``."""
    if problems and strict:
        raise ContentError(problems)
    for problem in problems:
        warn(str(problem))


class ParityError(TriptychError):
    """An output is missing text its content says it must carry (one problem per miss)."""

    exit_status = 3

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
