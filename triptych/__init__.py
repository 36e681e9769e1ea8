"""triptych: one content source, three publishable artifacts with the same words.

The library API is what the CLI uses::

    from triptych import load, build, Options
    talk = load("content/my-talk.yaml")          # -> Talk, or raises ContentError
    report = build(["content/my-talk.yaml"], Options(outputs=["deck", "article"]))
    report.exit_status                            # 0 ok, 2 content errors, 3 parity
"""

__version__ = "0.1.0"

from .errors import ContentError, ParityError, Problem, TriptychError  # noqa: E402
from .loader import load, loads  # noqa: E402
from .pipeline import Options, Report, build  # noqa: E402

__all__ = ["load", "loads", "build", "Options", "Report", "ContentError", "ParityError", "Problem", "TriptychError",
           "__version__"]
