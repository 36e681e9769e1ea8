"""A chart drawn with matplotlib: SVG for the page, the handout, the slides PDF and the
carousel, PNG for the article.

The same chart as the deck's native one: its type, title, categories, a data label with
the unit on every value (``words.value_text``), a legend when there is more than one
series (and for a pie or doughnut, naming the slices), the theme's palette
(``words.palette``), text colours and body font, the font file the deck measures with
registered with matplotlib so labels are measured as they will be drawn.

- **SVG** keeps text as text (``svg.fonttype: none``), in the theme's font families, so a
  browser draws it in the page's font and it can be selected and copied. The SVG has no
  background (it sits on the page or slide), no XML prolog, no metadata, and ids made
  unique per chart (``prefix``), so several charts can share one HTML document.
- **PNG** is opaque, on the theme's background, ``PNG_WIDTH`` pixels wide.
- **Literal**: content text is drawn as written: ``text.parse_math`` is off, so "$x$"
  is not read as TeX math (matplotlib's default would typeset it, or fail on one "$").
- **Reproducible**: ``svg.hashsalt`` is fixed and the metadata that carries dates or
  versions is left out, so the same chart, theme and matplotlib give the same bytes.

matplotlib is imported by ``_pyplotless`` on first use, never at import time: a talk
without charts never pays for it (about half a second on the first chart of a process).
"""

from __future__ import annotations

import contextlib
import io
import re
import warnings
from functools import lru_cache

from ..model import Chart
from ..theme import Theme
from .words import ink, palette, value_text

#: The article's PNG: its width in pixels and its aspect (Medium shows pictures 700 px wide).
PNG_WIDTH = 1600
PNG_ASPECT = 9 / 16
_PNG_DPI = 200


@lru_cache(maxsize=1)
def _pyplotless():
    """matplotlib, set up once per process: the Agg backend (no display), and the
    modules used, without pyplot (no global figure state)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    return matplotlib, font_manager, Figure


@lru_cache(maxsize=16)
def _family(theme_fonts: tuple[str, ...]) -> str:
    """The family matplotlib measures with: the theme's body font file (regular and
    bold faces registered), the same file the deck measures with."""
    font_manager = _pyplotless()[1]
    from .. import fonts

    regular = fonts.resolve(theme_fonts).metrics.file
    bold = fonts.resolve(theme_fonts, bold=True).metrics.file
    family = "DejaVu Sans"
    for face in (regular, bold):
        if face is not None:
            font_manager.fontManager.addfont(str(face.path))
            family = regular.family if regular is not None else face.family
    return family


def _figure(chart: Chart, theme: Theme, width: float, height: float, size: float, background: str | None):
    """The chart as a matplotlib figure ``width`` x ``height`` points, labels at ``size``
    points, on ``background`` (RRGGBB) or transparent (None)."""
    matplotlib, _, Figure = _pyplotless()
    colors = theme.colors
    text, muted, light = "#" + colors["text"], "#" + colors["muted"], "#" + colors["light"]
    family = _family(tuple(theme.fonts["body"]))
    rc = {"font.family": [family], "font.size": size, "text.color": text, "axes.labelcolor": text,
          "xtick.color": muted, "ytick.color": muted, "axes.edgecolor": muted, "svg.fonttype": "none",
          "svg.hashsalt": "triptych", "text.parse_math": False, "legend.frameon": False, "axes.titleweight": "bold",
          "axes.titlesize": size * 1.15, "axes.titlecolor": text, "xtick.labelcolor": text}
    with matplotlib.rc_context(rc):
        figure = Figure(figsize=(width / 72, height / 72), dpi=72, layout="constrained")
        # A margin of about one line of labels on every side, so no label touches the edge.
        figure.get_layout_engine().set(w_pad=size / 72, h_pad=size / 72)
        figure.patch.set_facecolor("#" + background if background else "none")
        axes = figure.add_subplot()
        axes.set_facecolor("none")
        kind = chart.type
        if kind in ("pie", "doughnut"):
            keys = _round(axes, chart, colors, size)
        else:
            keys = _cartesian(axes, chart, colors, size, light)
        if chart.title:
            # Wrapped at the figure's edges: a title wider than a narrow plot (a pie beside
            # its legend on a carousel page) ran off the picture and was cut.
            axes.set_title(chart.title, color=text, fontweight="bold", fontsize=size * 1.15, wrap=True)
        if len(chart.series) > 1 or kind in ("pie", "doughnut"):
            # The legend's keys are the ones drawn, not get_legend_handles_labels(): matplotlib
            # leaves out every label starting with "_" (its mark for "no legend"), and a series
            # or a category may well be called "_total".
            handles, labels = [key for key, _ in keys], [label for _, label in keys]
            if kind in ("pie", "doughnut"):
                figure.legend(handles, labels, loc="outside right center", fontsize=size, labelcolor=text)
            else:
                figure.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 6),
                              fontsize=size, labelcolor=text)
        if kind not in ("pie", "doughnut"):
            with _quiet():  # they measure text: the warning about missing glyphs is not for the user
                _category_lines(figure, axes, kind, chart.categories)
                _room_for_labels(figure, axes, kind, size)
    return figure, rc


def _cartesian(axes, chart: Chart, colors: dict, size: float, light: str) -> list[tuple[object, str]]:
    """Draw the series as bars, lines or areas; return each series' legend key and name."""
    import numpy

    count, kind = len(chart.series), chart.type
    fills = palette(colors, count)
    x = numpy.arange(len(chart.categories))
    keys = []
    for i, (series, fill) in enumerate(zip(chart.series, fills)):
        labels = [value_text(v, chart.unit) for v in series.values]
        if kind in ("column", "bar"):
            width = 0.8 / count
            # Bars of one category stack first series lowest, as PowerPoint draws them.
            offset = ((count - 1 - i if kind == "bar" else i) - (count - 1) / 2) * width
            draw = axes.barh if kind == "bar" else axes.bar
            bars = draw(x + offset, series.values, width * 0.92, color="#" + fill, label=series.name)
            keys.append((bars, series.name))
            axes.bar_label(bars, labels=labels, padding=3, fontsize=size, color="#" + colors["text"])
        else:
            if kind == "area":
                area = axes.fill_between(x, series.values, color="#" + fill, label=series.name, linewidth=0)
                keys.append((area, series.name))
            else:
                line, = axes.plot(x, series.values, color="#" + fill, linewidth=2.5, marker="o", label=series.name)
                keys.append((line, series.name))
            # Over its point in the text colour, as a line's; an area's in a box of the background
            # colour (as the deck's), so it reads where it stands on another series' area.
            box = {"boxstyle": "square,pad=0.15", "facecolor": "#" + colors["background"], "linewidth": 0} \
                if kind == "area" else None
            for xi, value, label in zip(x, series.values, labels):
                axes.annotate(label, (xi, value), textcoords="offset points", ha="center",
                              xytext=(0, size * 0.6), fontsize=size, color="#" + colors["text"], bbox=box)
    if kind == "bar":
        axes.set_yticks(x, chart.categories)
        axes.invert_yaxis()  # the first category at the top, as it reads
        axes.xaxis.grid(True, color=light)
        axes.margins(x=0.12)
    else:
        axes.set_xticks(x, chart.categories)
        axes.yaxis.grid(True, color=light)
        axes.margins(y=0.12)
        if kind != "column":  # room for the first and last labels, which sit on the edges
            axes.set_xlim(-0.3, len(chart.categories) - 0.7)
        low, high = min(min(s.values) for s in chart.series), max(max(s.values) for s in chart.series)
        # As PowerPoint scales the deck's axis: from zero, unless a line's values all lie within a
        # sixth of the largest (Excel's rule), where from zero it is a flat line under a heap of
        # labels (91.8 to 93.3 °C on a 0-100 axis); such a line's axis spans its values.
        if low >= 0 and not (kind == "line" and high - low < high / 6):
            axes.set_ylim(bottom=0)
    axes.set_axisbelow(True)
    axes.tick_params(length=0)
    for side in ("top", "right", "left" if kind != "bar" else "bottom"):
        axes.spines[side].set_visible(False)
    return keys


def _category_lines(figure, axes, kind: str, categories: tuple[str, ...]) -> None:
    """Break category names that are wider than their place under the plot onto more lines,
    at spaces: side by side, "Asia Pacific" and "Latin America" ran into each other on a
    narrow plot. (A bar chart's names stand one above the other and are left as they are.)"""
    if kind == "bar" or len(categories) < 2:
        return
    figure.draw_without_rendering()
    renderer = figure._get_renderer()  # the one the layout measured with (matplotlib is pinned)
    labels = axes.get_xticklabels()
    prop = labels[0].get_fontproperties()
    gap = prop.get_size_in_points() * figure.dpi / 72 * 0.5  # at least half an em between two names
    slot = abs(axes.transData.transform((1, 0))[0] - axes.transData.transform((0, 0))[0]) - gap
    boxes = [label.get_window_extent(renderer) for label in labels]
    if all(a.x1 + gap <= b.x0 for a, b in zip(boxes, boxes[1:])):
        return

    def wide(words: list[str]) -> float:
        return renderer.get_text_width_height_descent(" ".join(words), prop, ismath=False)[0]

    wrapped = []
    for name in categories:
        lines: list[list[str]] = []
        for word in name.split(" "):
            if lines and wide(lines[-1] + [word]) <= slot:
                lines[-1].append(word)
            else:
                lines.append([word])
        wrapped.append("\n".join(" ".join(line) for line in lines))
    axes.set_xticks(axes.get_xticks(), wrapped)


def _room_for_labels(figure, axes, kind: str, size: float) -> None:
    """Widen the axes until every data label sits inside the plot: a label over the tallest
    column or a line's highest point stood above the plot, where the chart's title is, and
    ran into it on a short plot (a square carousel page); a bar's label ran past the plot's
    end. A line's or an area's labels of one category that would overlap (close values of
    two series) are set one above the other (``_apart``). Measured after the layout, as drawn, since a
    label's size in data units depends on the plot's size."""
    labels = list(axes.texts)
    if not labels:
        return
    pad = 2.0  # pixels between a label and the plot's edge
    for _ in range(4):
        figure.draw_without_rendering()
        if kind in ("area", "line") and _apart(labels, size * 0.6, figure.dpi / 72):
            figure.draw_without_rendering()
        box = axes.get_window_extent()
        extents = [_with_box(label) for label in labels]
        left = box.x0 - min(e.x0 for e in extents)
        right = max(e.x1 for e in extents) - box.x1
        # A line's or an area's labels sit over their points: its axis never grows downwards.
        bottom = box.y0 - min(e.y0 for e in extents) if kind in ("column", "bar") else 0.0
        top = max(e.y1 for e in extents) - box.y1
        if max(left, right, bottom, top) <= 0:
            return
        corners = [(box.x0 - (left + pad if left > 0 else 0), box.y0 - (bottom + pad if bottom > 0 else 0)),
                   (box.x1 + (right + pad if right > 0 else 0), box.y1 + (top + pad if top > 0 else 0))]
        (x0, y0), (x1, y1) = axes.transData.inverted().transform(corners)
        axes.set_xlim(x0, x1)  # display order: an inverted axis stays inverted
        low, high = axes.get_ylim()[0], axes.dataLim.y1
        if kind in ("area", "line") and high > low and y1 > low + 2 * (high - low):
            # A short plot (a square carousel page, a long title, names on several lines) has
            # no room for a stack of labels over the values: growing the axis for them drew
            # the values flat along its foot (0 to 2,500 for values up to 140). The values
            # keep half the plot at least; a category's stack comes down into the plot instead.
            axes.set_ylim(y0, low + 2 * (high - low))
            figure.draw_without_rendering()
            plot = axes.get_window_extent()
            _lowered(labels, plot.y1 - pad, plot.y0 + pad, figure.dpi / 72)
            return
        axes.set_ylim(y0, y1)


def _lowered(labels, ceiling: float, floor: float, scale: float) -> None:
    """Move each category's labels (same x) down together, as far as their top stands above
    ``ceiling`` but never below ``floor`` (pixels, as last drawn: the plot's top and foot, so
    no label comes down onto the category names): the stack keeps its order and spacing."""
    columns: dict[float, list] = {}
    for label in labels:
        columns.setdefault(label.xy[0], []).append(label)
    for column in columns.values():
        extents = [_with_box(label) for label in column]
        over = min(max(e.y1 for e in extents) - ceiling, min(e.y0 for e in extents) - floor)
        if over > 0:
            for label in column:
                label.xyann = (label.xyann[0], label.xyann[1] - over / scale)


def _apart(labels, rise: float, scale: float) -> bool:
    """Set the labels of one category (same x) one above the other, lowest value lowest,
    each at least ``rise`` points over its point and clear of the label under it (its box
    included): two series' labels at close values covered each other. Extents as last drawn;
    says whether a label moved."""
    columns: dict[float, list] = {}
    for label in labels:
        columns.setdefault(label.xy[0], []).append(label)
    moved = False
    for column in columns.values():
        under = None  # the top of the label below, in pixels
        for label in sorted(column, key=lambda t: t.xy[1]):
            drawn = _with_box(label)
            down = (label.xyann[1] - rise) * scale  # back to its place over its point
            lift = max(0.0, under - (drawn.y0 - down)) if under is not None else 0.0
            if abs(lift - down) > 0.01:
                label.xyann = (0, rise + lift / scale)
                moved = True
            under = drawn.y1 - down + lift
    return moved


def _with_box(label):
    """A label's extent with its box, if it has one (as last drawn)."""
    patch = label.get_bbox_patch()
    return patch.get_window_extent() if patch is not None else label.get_window_extent()


def _round(axes, chart: Chart, colors: dict, size: float) -> list[tuple[object, str]]:
    """Draw a pie or rings; return each category's legend key (its first wedge) and name."""
    keys = []
    fills = ["#" + c for c in palette(colors, len(chart.categories))]
    edge = "#" + colors["background"]
    rings = len(chart.series)
    for i, series in enumerate(chart.series):
        labels = [value_text(v, chart.unit) for v in series.values]
        if chart.type == "pie":
            wedges, _ = axes.pie(series.values, colors=fills, startangle=90, counterclock=False,
                                 wedgeprops={"edgecolor": edge, "linewidth": 1.5})
            for wedge, label in zip(wedges, labels):
                _label_outside(axes, wedge, label, size, colors["text"])
        else:
            # As in PowerPoint: the first series is the inner ring.
            width = 0.55 / rings
            radius = 0.45 + width * (i + 1)
            wedges, _ = axes.pie(series.values, colors=fills, radius=radius, startangle=90, counterclock=False,
                                 wedgeprops={"width": width, "edgecolor": edge, "linewidth": 1.5})
            for wedge, label, fill in zip(wedges, labels, fills):
                _label_on(axes, wedge, label, size, ink(fill[1:], colors), radius - width / 2)
        if i == 0:
            for wedge, category in zip(wedges, chart.categories):
                wedge.set_label(category)
                keys.append((wedge, category))
    axes.set_aspect("equal")
    return keys


def _label_outside(axes, wedge, label: str, size: float, color: str) -> None:
    import math

    angle = math.radians((wedge.theta1 + wedge.theta2) / 2)
    if wedge.theta2 - wedge.theta1 <= 0:
        return
    x, y = 1.14 * math.cos(angle), 1.14 * math.sin(angle)
    axes.text(x, y, label, ha="center", va="center", fontsize=size, color="#" + color)


def _label_on(axes, wedge, label: str, size: float, color: str, radius: float) -> None:
    import math

    if wedge.theta2 - wedge.theta1 <= 0:
        return
    angle = math.radians((wedge.theta1 + wedge.theta2) / 2)
    axes.text(radius * math.cos(angle), radius * math.sin(angle), label, ha="center", va="center",
              fontsize=size * 0.9, color="#" + color)


def svg(chart: Chart, theme: Theme, width: float, height: float, size: float, prefix: str) -> str:
    """The chart as an ``<svg>`` element ``width`` x ``height`` points (its viewBox; the
    caller sizes it), labels at ``size`` points, without a background, prolog or metadata;
    every id it references starts with ``prefix`` (unique per chart in a document) and the
    ids nothing references are dropped. Text stays text, in the theme's body fonts."""
    matplotlib = _pyplotless()[0]
    figure, rc = _figure(chart, theme, width, height, size, None)
    buffer = io.StringIO()
    with matplotlib.rc_context(rc), _quiet():
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    return _cleaned(buffer.getvalue(), prefix, _families(theme))


def png(chart: Chart, theme: Theme) -> bytes:
    """The chart as a PNG ``PNG_WIDTH`` pixels wide on the theme's background."""
    matplotlib = _pyplotless()[0]
    width = PNG_WIDTH / _PNG_DPI * 72
    figure, rc = _figure(chart, theme, width, width * PNG_ASPECT, 12.0, theme.colors["background"])
    buffer = io.BytesIO()
    with matplotlib.rc_context(rc), _quiet():
        figure.savefig(buffer, format="png", dpi=_PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()


@contextlib.contextmanager
def _quiet():
    """matplotlib's warning about characters its one measuring font lacks, silenced: the
    SVG's reader draws them from its fallback fonts, and a character no installed font has
    is reported by the build (``triptych.glyphs``, which checks the charts' text too)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
        yield


def _families(theme: Theme) -> str:
    """The theme's body families as a CSS list in single quotes (for an SVG style attribute)."""
    names = [re.sub(r"[^\w .-]", "", name) for name in theme.fonts["body"]]
    return ", ".join(f"'{name}'" for name in dict.fromkeys(names) if name.strip()) + ", sans-serif"


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_FAMILY = re.compile(r"font-family: '[^']*'")
_REF = re.compile(r"url\(#([\w.-]+)\)|xlink:href=\"#([\w.-]+)\"")
_ID = re.compile(r' id="([\w.-]+)"')


def _cleaned(text: str, prefix: str, families: str) -> str:
    text = _METADATA.sub("", _PROLOG.sub("", text, count=1))
    text = _FAMILY.sub(lambda m: f"font-family: {families}", text)
    used = {a or b for a, b in _REF.findall(text)}
    text = _ID.sub(lambda m: f' id="{prefix}{m.group(1)}"' if m.group(1) in used else "", text)
    text = _REF.sub(lambda m: f"url(#{prefix}{m.group(1)})" if m.group(1) else f'xlink:href="#{prefix}{m.group(2)}"',
                    text)
    return text.strip() + "\n"


__all__ = ["svg", "png", "PNG_WIDTH"]
