"""triptych: one content file, every output (deck, article, page, post, PDFs) with the same words.

The library API is what the CLI uses::

    from triptych import load, build, Options
    talk = load("content/my-talk.yaml")          # -> Talk, or raises ContentError
    report = build(["content/my-talk.yaml"], Options(outputs=["deck", "article"]))
    report.exit_status                            # 0 ok, 2 content errors, 3 parity
    check("content/my-talk.yaml")                 # -> [] when output/ carries every piece

Paths may be given as str, Path or any os.PathLike.
"""

from typing import TYPE_CHECKING

from ._version import __version__
from .errors import ContentError, ParityError, Problem, TriptychError
from .loader import load, loads
from .pipeline import Options, Report, build

if TYPE_CHECKING:  # names for the annotations of check() only
    import os
    from typing import Iterable

    from .model import Talk


def check(content: "str | os.PathLike[str] | Talk", out_dir: "str | os.PathLike[str]" = "output",
          outputs: "Iterable[str] | None" = None) -> "list[Problem]":
    """The parity check of outputs already written, without building: every ``Problem``
    (one per piece of text an output lost, or per output that is missing or unreadable)
    for content file ``content`` (a path, or a ``Talk`` already loaded) against its
    outputs in ``out_dir``. ``outputs`` names which (default: those a build makes when
    none are named, as ``Options``: ``writers.defaults()``); a default output not there
    is a problem too. An empty list means they all carry their text. Raises ``ContentError`` if the content file has
    mistakes, ``KeyError`` for an unknown output name.
    """
    from . import parity
    from .model import Talk
    from .pipeline import output_path
    from .writers import defaults

    talk = content if isinstance(content, Talk) else load(content)
    names = list(outputs) if outputs is not None else list(defaults())
    return parity.check(talk, {name: output_path(talk, name, out_dir) for name in names})


__all__ = ["load", "loads", "build", "check", "Options", "Report", "ContentError", "ParityError", "Problem",
           "TriptychError", "__version__"]
