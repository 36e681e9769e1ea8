"""A chart's numbers as text, its colours, and what the build warns about.

Every output writes a value the same way (``value_text``: ``46 %``, ``3.5 ms``, ``1200``),
so the parity check can look for exactly that text in each. The sentences (the alt text
made from the data, the article's list "Retrieval: 46 % in January, 28 % in June") are
words, so they live in ``templates/shared.j2`` (``chart_item``, ``chart_alt``).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..errors import Problem
from ..model import Chart, Talk
from ..render import say

#: More slices than this make a pie hard to read (a warning, not an error).
PIE_SLICES_MAX = 8
#: More series than this make any chart hard to read, and the palette repeats.
SERIES_MAX = 12


def number_text(value: float) -> str:
    """``value`` as written in every output: whole numbers without a decimal point
    (``46``), others in the shortest form that reads back to the same number (``3.5``,
    ``0.1``), never in exponent form for ordinary sizes, no thousands separators."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = repr(value)
    if "e" in text:  # 5.5e-05: the same shortest digits, written out
        text = format(Decimal(text), "f")
    return text


def value_text(value: float, unit: str) -> str:
    """A value with its unit, as every output shows it: ``46 %``, ``120 ms``, ``8``."""
    return f"{number_text(value)} {unit}" if unit else number_text(value)


def shows_series_names(chart: Chart) -> bool:
    """Whether the chart names its series to a reader: with more than one (in the legend
    and in the data list). A single series is the chart's own subject; its name is kept
    in the deck's workbook but shown nowhere."""
    return len(chart.series) > 1


def items(chart: Chart, templates: Path) -> list[str]:
    """The data as one plain sentence per category (``shared.j2``'s ``chart_item``):
    "Retrieval: 46 % in January, 28 % in June", or "Retrieval: 46 %" for one series."""
    names = [s.name for s in chart.series] if shows_series_names(chart) else []
    return [say(templates, "chart_item", category, [value_text(s.values[k], chart.unit) for s in chart.series], names)
            for k, category in enumerate(chart.categories)]


def alt(chart: Chart, templates: Path) -> str:
    """The chart's alt text: the author's ``alt``, else a description made from the data
    (``shared.j2``'s ``chart_alt``: its kind, title and every value)."""
    if chart.alt:
        return chart.alt
    return say(templates, "chart_alt", chart.type, chart.title, items(chart, templates))


def warnings(talk: Talk) -> list[str]:
    """Charts that will be hard to read, each as ``path:line: field: message``: a pie or
    doughnut of more than ``PIE_SLICES_MAX`` slices, more than ``SERIES_MAX`` series."""
    out = []
    for section in talk.sections:
        chart = section.chart
        if chart is None:
            continue
        line = talk.line(chart.field)
        if chart.type in ("pie", "doughnut") and len(chart.categories) > PIE_SLICES_MAX:
            out.append(Problem(talk.path, line, chart.field, f"a {chart.type} of {len(chart.categories)} slices is hard "
                               f"to read (more than {PIE_SLICES_MAX}); a bar chart shows them better"))
        if len(chart.series) > SERIES_MAX:
            out.append(Problem(talk.path, line, chart.field, f"{len(chart.series)} series are hard to tell apart "
                               f"(more than {SERIES_MAX}); split the chart"))
    return [str(p) for p in out]


def palette(colors: dict[str, str], count: int) -> list[str]:
    """``count`` fill colours (RRGGBB) from the theme: its primary and accent, then each
    mixed a third and two thirds of the way towards the background, then the muted text
    colour, repeating past nine. Adjacent colours alternate between the two hues, so
    neighbouring bars and slices differ in hue as well as in lightness."""
    primary, accent, background = colors["primary"], colors["accent"], colors["background"]
    base = [primary, accent, _mix(primary, background, 0.35), _mix(accent, background, 0.35),
            _mix(primary, background, 0.6), _mix(accent, background, 0.6), colors["muted"],
            _mix(colors["muted"], background, 0.45), colors["text"]]
    return [base[i % len(base)] for i in range(count)]


def ink(fill: str, colors: dict[str, str]) -> str:
    """The theme colour to write on ``fill``: of its text and background colours (and
    white and near-black), the one with the most contrast (labels inside a slice or an area)."""
    from ..contrast import ratio

    return max((colors["text"], colors["background"], "FFFFFF", "1A1A1A"), key=lambda c: ratio(c, fill))


def _mix(a: str, b: str, share: float) -> str:
    """Colour ``a`` moved ``share`` of the way towards ``b`` (both RRGGBB)."""
    mixed = [round(int(a[i:i + 2], 16) * (1 - share) + int(b[i:i + 2], 16) * share) for i in (0, 2, 4)]
    return "".join(f"{c:02X}" for c in mixed)
