"""The chart part read from content and CSV (triptych/charts/data.py): every bad input is
``path:line: field: message`` and exit status 2, CSV problems at the CSV's own line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from triptych import cli
from triptych.charts.data import MAX_ROWS, number
from triptych.charts.words import number_text, value_text, warnings
from triptych.errors import ContentError
from triptych.loader import load

HEAD = """
title: Numbers
author: Ada
sections:
  - title: Results
    chart:
"""


def talk_with(folder: Path, chart: str, csv: dict[str, str] | None = None) -> Path:
    """A content file in ``folder`` whose one section has ``chart`` (YAML under ``chart:``),
    and the CSV files named in ``csv`` beside it."""
    for name, text in (csv or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    body = textwrap.indent(textwrap.dedent(chart).strip("\n"), " " * 6)
    path = folder / "talk.yaml"
    path.write_text(textwrap.dedent(HEAD).lstrip("\n") + body + "\n", encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ContentError) as err:
        load(path, display="talk.yaml")
    return [str(p) for p in err.value.problems]


COLUMNS = """
type: column
title: Share (%)
categories: [Parsing, Retrieval]
series:
  - {name: January, values: [8, 46]}
  - {name: June, values: [7, 28]}
unit: "%"
"""


def test_a_chart_in_the_content_file_loads(tmp_path):
    chart = load(talk_with(tmp_path, COLUMNS)).sections[0].chart
    assert chart.type == "column" and chart.title == "Share (%)" and chart.unit == "%"
    assert chart.categories == ("Parsing", "Retrieval")
    assert [(s.name, s.values) for s in chart.series] == [("January", (8.0, 46.0)), ("June", (7.0, 28.0))]
    assert chart.data is None and chart.field == "sections[0].chart"


def test_a_chart_from_a_csv_file_loads(tmp_path):
    path = talk_with(tmp_path, "type: bar\ndata: data/latency.csv\nunit: ms",
                     {"data/latency.csv": "Stage,p50,p95\nParsing,4,9\n\nRetrieval, 38 ,120.5\n"})
    chart = load(path).sections[0].chart
    assert chart.categories == ("Parsing", "Retrieval")
    assert [(s.name, s.values) for s in chart.series] == [("p50", (4.0, 38.0)), ("p95", (9.0, 120.5))]
    assert chart.data == (tmp_path / "data" / "latency.csv").resolve() and chart.src == "data/latency.csv"


# Each bad input of the issue, with the exact message: (chart YAML, CSV files, problems).
BAD = {
    "lengths differ": (
        "type: column\ncategories: [A, B, C]\nseries:\n  - {name: Jan, values: [1, 2]}", None,
        ["talk.yaml:9: sections[0].chart.series[0].values: series 'Jan' has 2 values; "
         "there are 3 categories, so it needs 3"]),
    "one value for two categories": (
        "type: column\ncategories: [A, B]\nseries:\n  - {name: Jan, values: [1]}", None,
        ["talk.yaml:9: sections[0].chart.series[0].values: series 'Jan' has 1 value; "
         "there are 2 categories, so it needs 2"]),
    "two values for one category": (
        "type: column\ncategories: [A]\nseries:\n  - {name: Jan, values: [1, 2]}", None,
        ["talk.yaml:9: sections[0].chart.series[0].values: series 'Jan' has 2 values; "
         "there is 1 category, so it needs 1"]),
    "not a number": (
        "type: line\ncategories: [A, B]\nseries:\n  - {name: Jan, values: [1, lots]}", None,
        ["talk.yaml:9: sections[0].chart.series[0].values[1]: 'lots' is not a number"]),
    "a number with its unit": (
        "type: line\ncategories: [A]\nseries:\n  - {name: Jan, values: [12%]}", None,
        ["talk.yaml:9: sections[0].chart.series[0].values[0]: '12%' is not a number; "
         "write the number alone and the unit in unit:"]),
    "negative in a pie": (
        "type: pie\ncategories: [A, B]\nseries:\n  - {name: Jan, values: [3, -1]}", None,
        ["talk.yaml:9: sections[0].chart.series[0].values[1]: a pie cannot show a negative value "
         "(-1 for 'B' in 'Jan'); use a column or bar chart"]),
    "a pie of nothing": (
        "type: pie\ncategories: [A, B]\nseries:\n  - {name: Jan, values: [0, 0]}", None,
        ["talk.yaml:9: sections[0].chart.series[0].values: the values of 'Jan' add up to 0: "
         "a pie of them would show nothing"]),
    "a pie of two series": (
        "type: pie\ncategories: [A]\nseries:\n  - {name: Jan, values: [1]}\n  - {name: Jun, values: [2]}", None,
        ["talk.yaml:9: sections[0].chart.series: a pie shows one series, and this chart has 2; "
         "use a column or bar chart, or a doughnut (one ring per series)"]),
    "an empty series": (
        "type: column\ncategories: [A]\nseries:\n  - {name: Jan, values: []}", None,
        ["talk.yaml:9: sections[0].chart.series[0].values: series 'Jan' is empty; give one value per category"]),
    "no series": (
        "type: column\ncategories: [A]\nseries: []", None,
        ["talk.yaml:8: sections[0].chart.series: needs at least one series"]),
    "an unknown type": (
        "type: colum\ncategories: [A]\nseries:\n  - {name: Jan, values: [1]}", None,
        ["talk.yaml:6: sections[0].chart.type: unknown chart type 'colum'; did you mean 'column'?"]),
    "a type far from any": (
        "type: radar\ncategories: [A]\nseries:\n  - {name: Jan, values: [1]}", None,
        ["talk.yaml:6: sections[0].chart.type: unknown chart type 'radar'; "
         "the chart types are: column, bar, line, area, pie, doughnut"]),
    "both data and series": (
        "type: bar\ndata: d.csv\ncategories: [A]\nseries:\n  - {name: Jan, values: [1]}", {"d.csv": "x,a\nA,1\n"},
        ["talk.yaml:7: sections[0].chart.data: give the numbers either in data: (a CSV file) or in "
         "categories: and series:, not both"]),
    "neither": (
        "type: bar\ntitle: Empty", None,
        ["talk.yaml:6: sections[0].chart.categories: is required (or give the numbers in data: as a CSV file)",
         "talk.yaml:6: sections[0].chart.series: is required (or give the numbers in data: as a CSV file)"]),
    "csv: a cell that is not a number": (
        "type: bar\ndata: data/x.csv", {"data/x.csv": "Stage,Jan,Jun\nParsing,4,9\nRetrieval,38,n/a\n"},
        ["data/x.csv:3: sections[0].chart.data: column 3 ('Jun'): 'n/a' is not a number"]),
    "csv: thousands separators": (
        "type: bar\ndata: x.csv", {"x.csv": 'Stage,Jan\nParsing,"1,200"\n'},
        ["x.csv:2: sections[0].chart.data: column 2 ('Jan'): '1,200' is not a number; "
         "write it without thousands separators"]),
    "csv: an empty cell": (
        "type: bar\ndata: x.csv", {"x.csv": "Stage,Jan\nParsing,\n"},
        ["x.csv:2: sections[0].chart.data: column 2 ('Jan'): is empty; give every category a value"]),
    "csv: a short row": (
        "type: bar\ndata: x.csv", {"x.csv": "Stage,Jan,Jun\nParsing,1\n"},
        ["x.csv:2: sections[0].chart.data: has 2 cells; the header row has 3"]),
    "csv: a row of one cell": (
        "type: bar\ndata: x.csv", {"x.csv": "Stage,Jan\nParsing\n"},
        ["x.csv:2: sections[0].chart.data: has 1 cell; the header row has 2"]),
    "csv: a series without a name": (
        "type: bar\ndata: x.csv", {"x.csv": "Stage,,Jun\nParsing,1,2\n"},
        ["x.csv:1: sections[0].chart.data: column 2 has no name in the header row; name its series"]),
    "csv: no data rows": (
        "type: bar\ndata: x.csv", {"x.csv": "Stage,Jan\n"},
        ["x.csv:1: sections[0].chart.data: needs a header row naming the series and at least one row of data"]),
    "csv: a negative slice": (
        "type: doughnut\ndata: x.csv", {"x.csv": "Kind,May\nTimeout,3\nOther,-1\n"},
        ["talk.yaml:7: sections[0].chart.data: a doughnut cannot show a negative value (-1 for 'Other' "
         "in 'May'); use a column or bar chart"]),
    "csv: missing": (
        "type: bar\ndata: data/latncy.csv", {"data/latency.csv": "a,b\nc,1\n"},
        ["talk.yaml:7: sections[0].chart.data: data file 'data/latncy.csv' not found in ./; "
         "did you mean 'data/latency.csv'?"]),
    "csv: outside the folder": (
        "type: bar\ndata: ../outside.csv", None,
        ["talk.yaml:7: sections[0].chart.data: '../outside.csv' is outside the content folder ./; "
         "data files must live inside it"]),
    "csv: an absolute path": (
        "type: bar\ndata: /etc/passwd", None,
        ["talk.yaml:7: sections[0].chart.data: '/etc/passwd' is an absolute path; give a path relative to ./"]),
    "csv: a URL": (
        "type: bar\ndata: https://example.org/x.csv", None,
        ["talk.yaml:7: sections[0].chart.data: must be a file in the content folder, not a URL"]),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_is_reported_at_its_line(tmp_path, monkeypatch, name):
    chart, csv, expected = BAD[name]
    monkeypatch.chdir(tmp_path)  # messages name the CSV as the user would: beside the content file
    assert problems(talk_with(tmp_path, chart, csv)) == expected


def test_bad_input_exits_2_and_writes_nothing(tmp_path, capsys):
    path = talk_with(tmp_path, BAD["negative in a pie"][0])
    assert cli.main([str(path), "--out", str(tmp_path / "out"), "--only", "article", "-q"]) == 2
    assert "a pie cannot show a negative value" in capsys.readouterr().err
    assert not (tmp_path / "out" / "talk.md").exists()


def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "secret.csv"
    outside.write_text("a,b\nc,1\n")
    folder = tmp_path / "talk"
    folder.mkdir()
    (folder / "data.csv").symlink_to(outside)
    assert problems(talk_with(folder, "type: bar\ndata: data.csv")) == [
        "talk.yaml:7: sections[0].chart.data: 'data.csv' is outside the content folder ./; "
        "data files must live inside it"]


def test_a_csv_over_1_mb_is_refused_before_it_is_read(tmp_path):
    path = talk_with(tmp_path, "type: bar\ndata: big.csv", {"big.csv": "a,b\n" + "x,1\n" * 300_000})
    size = (tmp_path / "big.csv").stat().st_size
    assert problems(path) == [f"talk.yaml:7: sections[0].chart.data: data file 'big.csv' is {size} bytes; "
                              "at most 1000000 are allowed"]


def test_a_csv_over_1000_rows_is_refused_at_the_row_past_the_limit(tmp_path, monkeypatch):
    rows = "".join(f"c{k},{k}\n" for k in range(MAX_ROWS + 1))
    monkeypatch.chdir(tmp_path)
    assert problems(talk_with(tmp_path, "type: bar\ndata: rows.csv", {"rows.csv": "a,b\n" + rows})) == [
        f"rows.csv:{MAX_ROWS + 2}: sections[0].chart.data: has more than {MAX_ROWS} rows of data; "
        f"at most {MAX_ROWS} are allowed"]
    exactly = "".join(f"c{k},{k}\n" for k in range(MAX_ROWS))
    assert len(load(talk_with(tmp_path, "type: bar\ndata: ok.csv", {"ok.csv": "a,b\n" + exactly}))
               .sections[0].chart.categories) == MAX_ROWS


def test_a_csv_that_is_not_utf8_names_its_line(tmp_path, monkeypatch):
    (tmp_path / "x.csv").write_bytes(b"a,b\nc,1\nd\xe9,2\n")
    monkeypatch.chdir(tmp_path)
    assert problems(talk_with(tmp_path, "type: bar\ndata: x.csv")) == [
        "x.csv:3: sections[0].chart.data: is not UTF-8 text (byte 0xe9); save it as UTF-8"]


def test_crowded_charts_are_warned_about(tmp_path):
    slices = ", ".join(f"s{k}" for k in range(9))
    pie = talk_with(tmp_path, f"type: pie\ncategories: [{slices}]\nseries:\n  - {{name: x, values: [{', '.join('1' * 9)}]}}")
    assert warnings(load(pie, display="talk.yaml")) == [
        "talk.yaml:6: sections[0].chart: a pie of 9 slices is hard to read (more than 8); a bar chart shows them better"]
    series = "\n".join(f"  - {{name: s{k}, values: [1]}}" for k in range(13))
    crowded = talk_with(tmp_path, f"type: line\ncategories: [A]\nseries:\n{series}")
    assert warnings(load(crowded, display="talk.yaml")) == [
        "talk.yaml:6: sections[0].chart: 13 series are hard to tell apart (more than 12); split the chart"]
    assert warnings(load(talk_with(tmp_path, COLUMNS))) == []


@pytest.mark.parametrize("text, value", [("46", 46.0), ("-3.5", -3.5), (" 1e3 ", 1000.0), (".5", 0.5),
                                         ("12%", None), ("1,200", None), ("nan", None), ("1e999", None),
                                         ("", None), ("0x10", None)])
def test_number(text, value):
    assert number(text) == value


@pytest.mark.parametrize("value, unit, text", [(46.0, "%", "46 %"), (3.5, "ms", "3.5 ms"), (120.0, "", "120"),
                                               (-2.0, "", "-2"), (0.1, "", "0.1"), (1e20, "", "100000000000000000000")])
def test_value_text(value, unit, text):
    assert value_text(value, unit) == text


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_number_text_reads_back_to_the_same_number(value):
    written = number_text(value)
    assert "e" not in written and "," not in written
    assert float(written) == value


def test_validate_prints_the_chart_warnings(tmp_path, capsys):
    slices = ", ".join(f"s{k}" for k in range(9))
    path = talk_with(tmp_path, f"type: doughnut\ncategories: [{slices}]\nseries:\n  - {{name: x, values: [{', '.join('1' * 9)}]}}")
    assert cli.main(["--validate", str(path)]) == 0
    assert "warning: " in capsys.readouterr().err
