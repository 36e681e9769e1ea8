"""Colour contrast, checked the way WCAG 2.2 (success criterion 1.4.3, level AA) defines it.

The contrast ratio of two colours is (L1 + 0.05) / (L2 + 0.05), L1 the lighter colour's
relative luminance (sRGB, linearised). AA asks at least 4.5:1 for text and 3:1 for large
text (at least 18 pt, or 14 pt bold).

``PAIRS`` lists every pair of theme colours that the outputs set text in, with where each
appears. Each pair is shown at body size somewhere (a footer, a link, a table cell), so
each needs 4.5:1; a pair only ever set large would be declared with 3:1. ``check``
returns one ``Problem`` per pair below its ratio, at the line of the theme that sets the
text colour, naming the pair, its ratio and where it is seen. The built-in themes pass
every pair (a test holds them to it).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Problem

AA_TEXT = 4.5
AA_LARGE = 3.0


@dataclass(frozen=True)
class Pair:
    """Text in theme colour ``text`` on theme colour ``background``."""

    text: str
    background: str
    where: str
    minimum: float = AA_TEXT  # AA_LARGE for a pair only ever set at 18 pt or more (14 pt bold)


#: Every text/background pair the built-in look of the deck, the page and the handout
#: produce. A new output or part that sets text in theme colours adds its pairs here.
PAIRS: tuple[Pair, ...] = (
    Pair("text", "background", "body text and points (deck, page, handout)"),
    Pair("primary", "background", "slide titles, headings and links (page, handout)"),
    Pair("muted", "background", "footers, captions and bylines (deck, page, handout)"),
    Pair("accent", "background", "links on slides (the deck's hyperlink colour), tags (page) and labels (handout)"),
    Pair("text", "light", "table rows, comparison cards, quote panels, code (deck, page, handout)"),
    Pair("primary", "light", "section slide titles and comparison headings (deck), quotes and tags (handout)"),
    Pair("muted", "light", "footer of section slides (deck), quote attribution (page, handout)"),
    Pair("accent", "light", "links in table rows, cards and quotes (deck)"),
    Pair("on_primary", "primary", "table headers (deck, handout), comparison headings (handout)"),
    Pair("on_cover", "cover", "title and closing slides: title, text, footer and links (deck, slides PDF), "
                              "cover and closing pages (carousel)"),
)


#: The pairs a user's master gives the deck (``masterscheme.ROLES``): the master's own
#: scheme colours, by their names in PowerPoint's theme (dark 1, light 1, accent 1, hyperlink).
MASTER_PAIRS: tuple[Pair, ...] = (
    Pair("dk1", "lt1", "body text and table rows (deck)"),
    Pair("dk1", "lt2", "banded table rows (deck)"),
    Pair("lt1", "accent1", "table headers (deck)"),
    Pair("hlink", "lt1", "links (deck)"),
)


def luminance(hex_color: str) -> float:
    """The relative luminance (0 black to 1 white) of an RRGGBB colour."""
    channels = []
    for i in (0, 2, 4):
        c = int(hex_color[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two RRGGBB colours, from 1 (same) to 21 (black on white)."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def shown(value: float) -> str:
    """A ratio as people quote it: rounded down to one decimal, so 4.49 never reads as 4.5."""
    return f"{int(value * 10) / 10:g}:1"


def check(colors: dict[str, str], where_set: dict[str, tuple[str, int]]) -> list[Problem]:
    """The pairs of ``colors`` below WCAG 2.2 AA. ``where_set[name]`` is the (file, line)
    that set colour ``name``; each problem is reported there, at ``colors.<text colour>``."""
    return [Problem(*where_set.get(pair.text, ("", 0)), f"colors.{pair.text}", message)
            for pair, message in _low(colors, PAIRS)]


def check_master(scheme: dict[str, str], master: str) -> list[Problem]:
    """The pairs a user's master gives the deck (``MASTER_PAIRS``, its colour scheme
    ``scheme``) below WCAG 2.2 AA, each reported at the master's file ``master``."""
    return [Problem(master, 0, "master", f"the master's {message}") for _, message in _low(scheme, MASTER_PAIRS)]


def _low(colors: dict[str, str], pairs: tuple[Pair, ...]) -> list[tuple[Pair, str]]:
    """Each pair of ``pairs`` below its ratio in ``colors``, with what to say about it."""
    low = []
    for pair in pairs:
        fg, bg = colors[pair.text], colors[pair.background]
        value = ratio(fg, bg)
        if value < pair.minimum:
            low.append((pair, f"{pair.text} #{fg} on {pair.background} #{bg} has contrast {shown(value)}, "
                              f"below the {pair.minimum:g}:1 WCAG 2.2 AA asks for "
                              f"{'text' if pair.minimum == AA_TEXT else 'large text'}; seen in {pair.where}"))
    return low
