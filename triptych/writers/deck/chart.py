"""A chart on a slide: a native PowerPoint chart, editable, with its data in an embedded workbook.

python-pptx's chart API writes the chart part and, through XlsxWriter, the workbook behind
it, so "Edit Data" in PowerPoint opens the numbers. The chart is set in the theme's body
font at the layout's label size, its series (or, in a pie or doughnut, its slices) in
``charts.words.palette`` order, its text in the theme's text colour; every value carries a
data label with the unit (the number format ``General" %"``, which the parity check reads
back); a legend shows when there is more than one series, and in a pie or doughnut, whose
slices it names. A chart has its alt text on the shape, as pictures do.

python-pptx draws no combo charts, secondary axes or trendlines, and the content format
offers none.
"""

from __future__ import annotations

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.util import Pt

from ...charts.words import ink, palette
from ...slides.shapes import Plot
from . import ooxml
from .geometry import emu
from .text import Style

#: Each content chart type as python-pptx's.
TYPES = {
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "area": XL_CHART_TYPE.AREA,
    "pie": XL_CHART_TYPE.PIE,
    "doughnut": XL_CHART_TYPE.DOUGHNUT,
}
ROUND = ("pie", "doughnut")


def number_format(unit: str) -> str:
    """The Excel number format that shows a value as ``value_text`` writes it: ``General``,
    or ``General" %"`` with the unit after a space (each character escaped when the unit
    holds a quote, which a quoted literal cannot)."""
    if not unit:
        return "General"
    if '"' in unit:
        return "General" + "".join("\\" + ch for ch in " " + unit)
    return f'General" {unit}"'


def unit_of(number_format: str) -> str:
    """The unit ``number_format`` appends (its inverse): "" for ``General``."""
    rest = number_format[len("General"):] if number_format.startswith("General") else ""
    if rest.startswith('"') and rest.endswith('"'):
        return rest[1:-1].strip()
    return rest.replace("\\", "").strip()


def draw(slide, style: Style, shape: Plot) -> None:
    """Add ``shape``'s chart to ``slide`` at its box."""
    chart, box = shape.chart, shape.box
    fmt = number_format(chart.unit)
    data = CategoryChartData(number_format=fmt)
    # A bar chart draws its first category at the bottom: it gets them last to first, so
    # they read from the top. (PowerPoint's "categories in reverse order" would too, but
    # LibreOffice ignores it.)
    order = slice(None, None, -1) if chart.type == "bar" else slice(None)
    data.categories = chart.categories[order]
    for series in chart.series:
        data.add_series(series.name, series.values[order])
    frame = slide.shapes.add_chart(TYPES[chart.type], emu(box.x), emu(box.y), emu(box.w), emu(box.h), data)
    ooxml.name_graphic_frame(frame, "Chart", shape.alt)
    ooxml.make_workbook_reproducible(frame.chart)
    ooxml.make_axis_ids_unsigned(frame.chart)
    drawn = frame.chart
    text = style.color("text") if style.branded else None
    face = style.book.face("body").written
    drawn.font.size = Pt(shape.size)
    drawn.font.name = face
    if text is not None:
        drawn.font.color.rgb = text
    if chart.title:
        drawn.has_title = True
        frame_text = drawn.chart_title.text_frame
        frame_text.text = chart.title
        run_font = frame_text.paragraphs[0].runs[0].font
        run_font.size, run_font.bold, run_font.name = Pt(shape.size * 1.15), True, face
        if text is not None:
            run_font.color.rgb = text
        ooxml.set_language(frame_text.paragraphs[0].runs[0], style.lang)
    else:
        drawn.has_title = False  # else PowerPoint titles a one-series chart with its name
    drawn.has_legend = len(chart.series) > 1 or chart.type in ROUND
    if drawn.has_legend:
        drawn.legend.position = XL_LEGEND_POSITION.BOTTOM if chart.type not in ROUND else XL_LEGEND_POSITION.RIGHT
        drawn.legend.include_in_layout = False
        drawn.legend.font.size = Pt(shape.size)
    plot = drawn.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = fmt
    labels.number_format_is_linked = False
    labels.font.size = Pt(shape.size)
    labels.show_value = True
    if chart.type in ("column", "bar"):
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        plot.gap_width = 60
        if len(chart.series) > 1:
            plot.overlap = -10
    elif chart.type == "line":
        labels.position = XL_LABEL_POSITION.ABOVE
    elif chart.type == "pie":
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
    theme_colors = style.ctx.theme.colors
    colors = palette(theme_colors, len(chart.categories) if chart.type in ROUND else len(chart.series))
    if chart.type in ROUND:
        plot.vary_by_categories = True
        for series in plot.series:
            for k, color in enumerate(colors):
                point = series.points[k]
                _fill(point.format, color, chart.type, style.hex("background"))
                if chart.type == "doughnut":  # its labels sit on the ring: each in the ink of its slice
                    point.data_label.font.color.rgb = RGBColor.from_string(ink(color, theme_colors))
                    point.data_label.font.size = Pt(shape.size)
    else:
        plot.vary_by_categories = False
        for series, color in zip(plot.series, colors):
            _fill(series.format, color, chart.type, style.hex("background"))
            if chart.type == "area":
                # Its labels sit on the area, the first and last across its edge: each in a
                # box of the background colour, in the text colour, reads on both sides.
                own = series.data_labels
                own.show_value = True
                own.number_format, own.number_format_is_linked = fmt, False
                own.font.color.rgb = style.color("text")
                own.font.size = Pt(shape.size)
                ooxml.fill_data_labels(own, style.hex("background"))
            if chart.type == "line":
                series.smooth = False
                series.marker.format.fill.solid()
                series.marker.format.fill.fore_color.rgb = RGBColor.from_string(color)
                series.marker.format.line.color.rgb = RGBColor.from_string(color)
    if chart.type not in ROUND:
        _axes(drawn, style, shape.size)
    if chart.type == "area":
        ooxml.points_between_categories(drawn)


def _fill(fmt, color: str, kind: str, background: str) -> None:
    if kind == "line":
        fmt.line.color.rgb = RGBColor.from_string(color)
        fmt.line.width = Pt(2.5)
        return
    fmt.fill.solid()
    fmt.fill.fore_color.rgb = RGBColor.from_string(color)
    if kind in ROUND:  # a thin line in the background colour parts the slices
        fmt.line.color.rgb = RGBColor.from_string(background)


def _axes(drawn, style: Style, size: float) -> None:
    """Category labels in the text colour, value axis labels and gridlines muted and light."""
    category, value = drawn.category_axis, drawn.value_axis
    category.tick_labels.font.size = Pt(size)
    value.tick_labels.font.size = Pt(size)
    value.has_major_gridlines = True
    category.has_major_gridlines = False
    if style.branded:
        value.major_gridlines.format.line.color.rgb = style.color("light")
        value.format.line.fill.background()
        value.tick_labels.font.color.rgb = style.color("muted")
        category.format.line.color.rgb = style.color("muted")
