"""A slide's footer line ("title · author"), kept readable whatever the title's length."""

from __future__ import annotations

from dataclasses import replace

from .. import fit
from ..markup import Span
from .setting import Setting


#: The smallest size a footer is set at (points): below it, the title is shortened instead.
FOOTER_MIN = 9.0


def footer_para(s: Setting, width: float, size: float) -> fit.Para:
    """The footer ("title · author") as one line ``width`` wide: at ``size``, or smaller down
    to ``FOOTER_MIN`` (never below: smaller is unreadable across a room); if it still does
    not fit, the title is shortened at a word and ends with an ellipsis (the whole title is
    on the title slide), and as a last resort cut inside its first word."""
    smallest = min(size, FOOTER_MIN)

    def para(title: str) -> fit.Para:
        words = s.say("deck_footer", s.talk.author.name, title=title, author=s.talk.author.name)
        return fit.Para((Span(words),), size)

    def fitted(title: str) -> fit.Para | None:
        candidate = para(title)
        best = fit.fit_size([candidate], width, size * fit.LINE * 1.05, s.book, smallest)
        shrunk = replace(candidate, size=best)
        return shrunk if fit.total_height([shrunk], width, s.book) <= best * fit.LINE * 1.05 else None

    whole = s.talk.title
    words = whole.split()
    shorter = [" ".join(words[:k]).rstrip(" ,;:.-\u2013\u2014\u00b7") + "\u2026" for k in range(len(words) - 1, 0, -1)]
    shorter += [words[0][:k] + "\u2026" for k in range(len(words[0]) - 1, 0, -1)] if words else []
    for title in [whole, *shorter]:
        found = fitted(title)
        if found is not None:
            return found
    return replace(para(""), size=smallest)
