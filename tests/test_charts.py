"""The chart part in every output: a native chart in the deck, SVG in the page, the handout
and the slides, a PNG and a data list in the article, and the parity check over them."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings, strategies as st
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from triptych import cli, parity
from triptych.charts import draw
from triptych.loader import load
from triptych.model import Chart, Series
from triptych.theme import load_theme
from triptych.writers import Context, article, deck, handout, page
from tests.conftest import TEMPLATES

TALK = Path(__file__).parent / "fixtures" / "charts" / "results.yaml"


def context() -> Context:
    return Context(TEMPLATES, load_theme(TEMPLATES / "theme.yaml"), {}, lambda message: None)


@pytest.fixture(scope="module")
def talk():
    return load(TALK, display="results.yaml")


@pytest.fixture(scope="module")
def pptx_bytes(talk):
    return deck.render(talk, context())


def charts_of(data: bytes):
    prs = Presentation(io.BytesIO(data))
    return [shape for slide in prs.slides for shape in slide.shapes if getattr(shape, "has_chart", False)
            and shape.has_chart]


def test_the_deck_has_a_native_editable_chart_per_chart_part(pptx_bytes):
    frames = charts_of(pptx_bytes)
    kinds = [frame.chart.chart_type for frame in frames]
    assert kinds == [XL_CHART_TYPE.COLUMN_CLUSTERED, XL_CHART_TYPE.BAR_CLUSTERED, XL_CHART_TYPE.LINE_MARKERS,
                     XL_CHART_TYPE.AREA, XL_CHART_TYPE.PIE, XL_CHART_TYPE.DOUGHNUT]
    first = frames[0].chart
    assert first.chart_title.text_frame.text == "Share of request time by stage (%)"
    assert list(first.plots[0].categories) == ["Parsing", "Retrieval", "Ranking", "Rendering"]
    assert [(s.name, s.values) for s in first.plots[0].series] == [("January", (8.0, 46.0, 31.0, 15.0)),
                                                                   ("June", (7.0, 28.0, 40.0, 25.0))]
    assert first.plots[0].data_labels.number_format == 'General" %"'
    assert first.has_legend  # two series
    assert not frames[2].chart.has_legend  # one series, a line
    # A bar chart gets its categories last to first, so the first reads at the top.
    assert list(frames[1].chart.plots[0].categories) == ["Rendering", "Ranking", "Retrieval", "Parsing"]
    assert frames[4].chart.has_legend  # a pie names its slices
    # Edit Data: the workbook is embedded, and holds the numbers.
    axis_ids = re.findall(rb'<c:(?:axId|crossAx) val="(-?\d+)"', first.part.blob)
    assert axis_ids and all(not i.startswith(b"-") for i in axis_ids)  # unsigned, as the schema wants
    workbook = first.part.chart_workbook.xlsx_part.blob
    assert b"Retrieval" in zipfile.ZipFile(io.BytesIO(workbook)).read("xl/sharedStrings.xml")


def test_a_chart_has_its_alt_text_made_from_the_data_or_given(pptx_bytes):
    frames = charts_of(pptx_bytes)
    descr = [frame._element.nvGraphicFramePr.cNvPr.get("descr") for frame in frames]
    assert descr[0].startswith("Column chart: Share of request time by stage (%). Parsing: 8 % in January, 7 % in June;")
    assert descr[2] == "Requests per day rose from 120 thousand in January to 188.5 thousand in June."


def test_points_share_the_slide_with_a_chart(pptx_bytes):
    prs = Presentation(io.BytesIO(pptx_bytes))
    slide = next(s for s in prs.slides if s.shapes.title.text == "Where the time goes")
    names = [shape.name for shape in slide.shapes]
    assert "Chart" in names and "Content" in names


def test_the_deck_is_reproducible_with_its_workbook(talk, pptx_bytes):
    assert deck.render(talk, context()) == pptx_bytes


def test_the_deck_reads_back_every_piece_of_a_chart(talk, pptx_bytes, tmp_path):
    path = tmp_path / "results.pptx"
    path.write_bytes(pptx_bytes)
    check = parity.check_output(talk, "deck", path)
    assert check.ok, check.problems
    text = deck.read_text(path)
    assert "46 %\n" in text and "120 ms\n" in text and "188.5\n" in text


def test_the_article_links_a_png_beside_it_and_lists_the_numbers(talk, tmp_path):
    ctx = context()
    text = article.render(talk, ctx).decode()
    assert ("![Column chart: Share of request time by stage (%). Parsing: 8 % in January, 7 % in June; "
            "Retrieval: 46 % in January, 28 % in June;") in text
    assert "](results.charts/where-the-time-goes.png)" in text
    assert "- Retrieval: 46 % in January, 28 % in June\n" in text
    assert "- Parsing: 4 ms in p50 (ms), 9 ms in p95 (ms)\n" in text
    assert "- Jun: 188.5\n" in text  # one series: no series name
    assert "Source: Internal tracing, Jan-Jun 2026" in text
    pictures = article.companions(talk, ctx)
    assert sorted(pictures) == ["cache-hits.png", "errors-by-kind.png", "latency-by-stage.png",
                                "requests-per-day.png", "where-the-time-goes.png", "who-sends-the-requests.png"]
    assert all(png.startswith(b"\x89PNG") for png in pictures.values())
    assert article.companions(talk, ctx) == pictures  # the same bytes every time
    path = tmp_path / "results.md"
    path.write_text(text)
    check = parity.check_output(talk, "article", path)
    assert check.ok, check.problems


def test_the_build_writes_the_pictures_and_removes_them_with_the_charts(tmp_path, capsys):
    folder = tmp_path / "talk"
    folder.mkdir()
    source = TALK.read_text()
    (folder / "data").mkdir()
    (folder / "data" / "latency.csv").write_text((TALK.parent / "data" / "latency.csv").read_text())
    (folder / "results.yaml").write_text(source)
    out = tmp_path / "out"
    assert cli.main([str(folder / "results.yaml"), "--out", str(out), "--only", "article", "-q"]) == 0
    assert len(list((out / "results.charts").glob("*.png"))) == 6
    # Deleted pictures are rebuilt even though the article is unchanged.
    for png in (out / "results.charts").glob("*.png"):
        png.unlink()
    (out / "results.charts").rmdir()
    assert cli.main([str(folder / "results.yaml"), "--out", str(out), "--only", "article", "-q"]) == 0
    assert len(list((out / "results.charts").glob("*.png"))) == 6
    without = re.sub(r"\n    chart:\n(      .*\n|        .*\n)+", "\n", source)
    (folder / "results.yaml").write_text(without)
    assert cli.main([str(folder / "results.yaml"), "--out", str(out), "--only", "article", "-q"]) == 0
    assert not (out / "results.charts").exists()


def test_the_page_has_inline_svg_with_alt_text_and_the_numbers_as_a_list(talk, tmp_path):
    html = page.render(talk, context()).decode()
    assert html.count('<svg role="img" aria-label="Column chart: Share of request time') == 1
    assert "<li>Retrieval: 46 % in January, 28 % in June</li>" in html
    assert "<figcaption>Source: Internal tracing, Jan-Jun 2026</figcaption>" in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # six charts in one document, no id twice
    path = tmp_path / "results.html"
    path.write_text(html)
    assert parity.check_output(talk, "page", path).ok


def test_the_handout_draws_the_chart_and_prints_its_numbers_as_a_table(talk):
    html = handout.html(talk, context())
    assert html.count('<img class="tp-picture tp-chart ') == 6  # then its style's class
    assert 'alt="Column chart: Share of request time by stage (%).' in html
    assert '<th scope="row">Retrieval</th><td>46 %</td><td>28 %</td>' in html
    assert "<caption>Share of request time by stage (%)</caption>" in html


def test_the_svg_keeps_text_as_text_in_the_theme_font_and_is_reproducible(talk):
    theme = load_theme(TEMPLATES / "theme.yaml")
    chart = talk.sections[0].chart
    svg = draw.svg(chart, theme, 640, 360, 12, "a-")
    assert svg.startswith("<svg ") and "<metadata>" not in svg
    assert re.search(r"<text [^>]*font-family: 'Calibri', 'Carlito', 'DejaVu Sans', sans-serif[^>]*>Retrieval</text>", svg)
    assert ">46 %</text>" in svg and ">Share of request time by stage (%)</text>" in svg
    assert draw.svg(chart, theme, 640, 360, 12, "a-") == svg
    assert all(i.startswith("a-") for i in re.findall(r' id="([^"]+)"', svg))


def test_content_text_cannot_break_out_of_the_svg(tmp_path):
    path = tmp_path / "talk.yaml"
    path.write_text('title: T\nauthor: A\nsections:\n  - title: S\n    chart:\n      type: column\n'
                    '      title: "</svg><script>alert(1)</script>"\n      categories: ["<b>x</b>"]\n'
                    '      series:\n        - {name: "a&b", values: [1]}\n')
    html = page.render(load(path), context()).decode()
    assert "<script>" not in html and "<b>x</b>" not in html
    assert "&lt;/svg&gt;&lt;script&gt;" in html


def test_a_missing_value_is_a_parity_problem(talk, tmp_path):
    text = article.render(talk, context()).decode().replace("46 % in January", "46 in January")
    path = tmp_path / "results.md"
    path.write_text(text)
    problems = [str(p) for p in parity.check_output(talk, "article", path, "results.md").problems]
    assert problems == ['results.yaml:20: sections[0].chart.series[0].values[1]: '
                        'missing from results.md: "46 %"']


def test_the_slides_pdf_shows_the_chart_as_an_svg_picture_with_alt_text(talk):
    from triptych.writers import slides

    document, _ = slides.html(talk, context())
    pictures = re.findall(r'<img class="tp-picture tp-chart tp-s\d+" src="data:image/svg\+xml;base64,([^"]+)" '
                          r'alt="([^"]+)"', document)
    assert len(pictures) == 6
    assert b">Retrieval</text>" in base64.b64decode(pictures[0][0])


LABEL = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")), min_size=1, max_size=30) \
    .map(str.strip).filter(bool)


@pytest.mark.parametrize("kind", ["column", "bar", "line", "area", "pie", "doughnut"])
def test_a_name_starting_with_an_underscore_is_in_the_legend(kind):
    # matplotlib hides legend labels that start with "_"; a series or category may be called so.
    theme = load_theme(TEMPLATES / "theme.yaml")
    chart = Chart(kind, ("_north", "south"), (Series("_total", (1.0, 2.0)), Series("_net", (3.0, 4.0))))
    root = ElementTree.fromstring(draw.svg(chart, theme, 400, 300, 12, "p-"))
    texts = {"".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text")}
    assert ({"_north", "south"} if kind in ("pie", "doughnut") else {"_total", "_net"}) <= texts


@settings(max_examples=40, deadline=None)
@given(category=LABEL, name=LABEL, title=LABEL)
def test_any_text_is_drawn_as_written_in_well_formed_svg(category, name, title):
    theme = load_theme(TEMPLATES / "theme.yaml")
    chart = Chart("column", (category, "other"), (Series(name, (1.0, 2.0)), Series("b", (3.0, 4.0))), title=title)
    svg = draw.svg(chart, theme, 400, 300, 12, "p-")
    root = ElementTree.fromstring(svg)  # well-formed: no content text can end an element
    texts = {"".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {category, name, title} <= texts  # "$x$" is not TeX, "<b>" is not markup


@pytest.mark.parametrize("kind", ["column", "line", "area", "bar"])
@pytest.mark.parametrize("width, height, size", [(690, 300, 24), (690, 560, 24), (640, 360, 12), (330, 200, 12)],
                         ids=["square-carousel", "carousel", "page", "card"])
def test_every_data_label_is_inside_the_plot_clear_of_the_title(kind, width, height, size):
    # A label over the tallest column or a line's highest point stood above the plot and ran
    # into the chart's title on a square carousel page ("120 ms" over "Latency by stage").
    theme = load_theme(TEMPLATES / "theme.yaml")
    chart = Chart(kind, ("Parsing", "Retrieval", "Ranking", "Rendering"),
                  (Series("p50", (31.0, 38.0, 21.0, -4.0 if kind in ("column", "bar") else 11.0)),
                   Series("p95", (9.0, 120.0, 64.0, 30.0))), unit="ms", title="Latency by stage (ms)")
    figure, rc = draw._figure(chart, theme, width, height, size, None)
    with draw._pyplotless()[0].rc_context(rc):  # as draw.svg and draw.png draw it
        figure.draw_without_rendering()
        axes = figure.axes[0]
        plot, title = axes.get_window_extent(), axes.title.get_window_extent()
        labels = [label.get_window_extent() for label in axes.texts]
    assert len(labels) == 8
    for label in labels:
        assert plot.x0 - 0.5 <= label.x0 and label.x1 <= plot.x1 + 0.5, (label, plot)
        assert plot.y0 - 0.5 <= label.y0 and label.y1 <= plot.y1 + 0.5, (label, plot)
        assert not label.overlaps(title)


@pytest.mark.parametrize("kind", ["column", "bar", "line", "area", "pie", "doughnut"])
def test_a_long_title_and_long_category_names_stay_whole_and_apart_on_a_narrow_page(kind):
    # On a carousel page a pie's title (the pie beside its legend) ran off the picture's left
    # edge and a bar chart's off its right, cut; "Asia Pacific" ran into "Latin America".
    theme = load_theme(TEMPLATES / "theme.yaml")
    series = (Series("Q1", (120.0, 95.0, 80.0, 30.0, 12.0)), Series("Q4", (135.0, 99.0, 110.0, 42.0, 18.0)))
    chart = Chart(kind, ("North America", "Europe", "Asia Pacific", "Latin America", "Middle East"),
                  series[:1] if kind == "pie" else series, unit="k",
                  title="Requests per region in thousands, from the first quarter of 2026 to the last")
    figure, rc = draw._figure(chart, theme, 690, 560, 24, None)
    with draw._pyplotless()[0].rc_context(rc):
        figure.draw_without_rendering()
        axes = figure.axes[0]
        title, page = axes.title.get_window_extent(), figure.bbox
        names = [label.get_window_extent() for label in axes.get_xticklabels()] if kind in ("column", "line", "area") \
            else []
    assert page.x0 <= title.x0 and title.x1 <= page.x1 and title.y1 <= page.y1
    assert " ".join(axes.title._get_wrapped_text().split()) == chart.title
    for left, right in zip(names, names[1:]):
        assert left.x1 < right.x0, (left, right)


def _contrast(a, b) -> float:
    """WCAG's contrast ratio of two RGB colours (0-1 channels)."""
    def lum(c):
        c = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c[:3]]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


AREAS = {
    "one": Chart("area", ("Jan", "Feb", "Mar", "Apr", "May", "Jun"),
                 (Series("Hit rate", (41.0, 45.0, 52.0, 60.0, 66.0, 71.0)),), unit="%", title="Cache hit rate (%)"),
    "two": Chart("area", ("North America", "Europe", "Asia Pacific", "Latin America", "Middle East"),
                 (Series("Q1", (120.0, 95.0, 80.0, 30.0, 12.0)), Series("Q4", (135.0, 99.0, 110.0, 42.0, 18.0))),
                 unit="k", title="Requests per region (k)"),
    "three": Chart("area", ("A", "B", "C", "D"), (Series("big", (90.0, 60.0, 100.0, 20.0)),
                   Series("small", (30.0, 70.0, 10.0, 5.0)), Series("mid", (50.0, 50.0, 60.0, 80.0)))),
}


@pytest.mark.parametrize("chart", AREAS.values(), ids=AREAS.keys())
@pytest.mark.parametrize("width, height, size", [(690, 300, 24), (690, 560, 24), (640, 360, 12), (330, 200, 12),
                                                 (560, 300, 16), (576, 324, 12)],
                         ids=["square-carousel", "carousel", "page", "card", "slide", "article"])
def test_every_area_label_reads_against_what_is_under_it(chart, width, height, size):
    # An area's labels stood inside it in white: where the area ends or slopes, part of a
    # label stood on the background and vanished ("135 k" read "5 k"), and a series behind a
    # larger one had its labels on the other's fill. Drawn with the labels' letters left out
    # (their boxes kept), every pixel under a label's letters must contrast with its colour,
    # and no two labels may cover each other.
    import numpy
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_rgb

    theme = load_theme(TEMPLATES / "theme.yaml")
    figure, rc = draw._figure(chart, theme, width, height, size, theme.colors["background"])
    with draw._pyplotless()[0].rc_context(rc):
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        labels = list(figure.axes[0].texts)
        colors = [to_rgb(label.get_color()) for label in labels]
        extents = [label.get_window_extent() for label in labels]
        for label in labels:
            label.set_color("none")
        canvas.draw()
        pixels = numpy.asarray(canvas.buffer_rgba())[:, :, :3] / 255.0
    assert len(labels) == sum(len(s.values) for s in chart.series)
    rows, cols = pixels.shape[:2]
    for label, color, e in zip(labels, colors, extents):
        assert 0 <= e.x0 and e.x1 <= cols and 0 <= e.y0 and e.y1 <= rows, (label.get_text(), e)
        under = pixels[rows - int(e.y1):rows - int(e.y0), int(e.x0):int(e.x1)].reshape(-1, 3)
        shades, counts = numpy.unique(under, axis=0, return_counts=True)
        faint = sum(int(n) for shade, n in zip(shades, counts) if _contrast(color, shade) < 3.0)
        assert faint <= 0.02 * len(under), (label.get_text(), faint, len(under))
    for i, a in enumerate(extents):
        for b in extents[i + 1:]:
            assert not a.overlaps(b), (a, b)


TEMPERATURES = Chart("line", ("7:00", "8:00", "9:00", "10:00", "11:00", "12:00"),
                     (Series("Machine 1", (92.1, 93.0, 93.2, 93.1, 93.3, 93.2)),
                      Series("Machine 2", (91.8, 92.9, 93.1, 93.2, 93.2, 93.1))), unit="°C",
                     title="Group head temperature (°C)")


@pytest.mark.parametrize("width, height, size", [(690, 300, 24), (690, 560, 24), (640, 360, 12), (330, 200, 12),
                                                 (560, 300, 16), (576, 324, 12)],
                         ids=["square-carousel", "carousel", "page", "card", "slide", "article"])
def test_a_lines_labels_of_close_values_are_set_apart_inside_the_plot(width, height, size):
    # Two machines' temperatures, 0.1 to 0.3 °C apart: their labels covered each other.
    theme = load_theme(TEMPLATES / "theme.yaml")
    figure, rc = draw._figure(TEMPERATURES, theme, width, height, size, None)
    with draw._pyplotless()[0].rc_context(rc):
        figure.draw_without_rendering()
        axes = figure.axes[0]
        plot = axes.get_window_extent()
        labels = [label.get_window_extent() for label in axes.texts]
    assert len(labels) == 12
    for i, a in enumerate(labels):
        assert plot.x0 - 0.5 <= a.x0 and a.x1 <= plot.x1 + 0.5 and plot.y0 - 0.5 <= a.y0 and a.y1 <= plot.y1 + 0.5
        for b in labels[i + 1:]:  # set one on the other: they may touch, to half a pixel
            assert min(a.y1, b.y1) - max(a.y0, b.y0) <= 0.5 or min(a.x1, b.x1) - max(a.x0, b.x0) <= 0.5, (a, b)


@pytest.mark.parametrize("kind, values, from_zero", [
    ("line", (92.1, 93.0, 93.3), False),   # within a sixth of the largest: about the values
    ("line", (12.0, 93.0, 93.3), True),
    ("area", (92.1, 93.0, 93.3), True),    # an area and a column stand on zero
    ("column", (92.1, 93.0, 93.3), True),
])
def test_a_line_of_close_values_is_scaled_about_them_as_powerpoint_scales_it(kind, values, from_zero):
    # The deck's native line chart of 91.8-93.3 °C spans about those values (PowerPoint's and
    # LibreOffice's own scale); the SVG drew it from zero, a flat line along the plot's top.
    theme = load_theme(TEMPLATES / "theme.yaml")
    chart = Chart(kind, ("a", "b", "c"), (Series("s", values),), title="t")
    figure, rc = draw._figure(chart, theme, 640, 360, 12, None)
    with draw._pyplotless()[0].rc_context(rc):
        figure.draw_without_rendering()
        bottom, top = figure.axes[0].get_ylim()
    assert bool(bottom == 0) == from_zero, (bottom, top)
    if not from_zero:
        assert 85 < bottom < min(values) and max(values) < top < 100


@pytest.mark.parametrize("chart", [AREAS["two"], AREAS["three"], TEMPERATURES], ids=["area-two", "area-three", "line"])
def test_a_stack_of_labels_on_a_short_plot_leaves_the_values_half_of_it(chart):
    # On a square carousel page the axis grew for two series' stacked labels until the area
    # lay flat along its foot (0 to 500 for values up to 135).
    theme = load_theme(TEMPLATES / "theme.yaml")
    figure, rc = draw._figure(chart, theme, 690, 300, 24, None)
    with draw._pyplotless()[0].rc_context(rc):
        figure.draw_without_rendering()
        axes = figure.axes[0]
        bottom, top = axes.get_ylim()
        plot, title = axes.get_window_extent(), axes.title.get_window_extent()
        labels = [label.get_window_extent() for label in axes.texts]
    high = max(max(s.values) for s in chart.series)
    assert top - bottom <= 2 * (high - bottom) * 1.001, (bottom, top)
    for label in labels:
        assert plot.y0 - 0.5 <= label.y0 and label.y1 <= plot.y1 + 0.5 and not label.overlaps(title), label
