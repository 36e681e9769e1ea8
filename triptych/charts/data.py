"""A section's ``chart:`` read into ``model.Chart``: the numbers written in the content file,
or a CSV file beside it, every problem reported.

In the content file::

    chart:
      type: column                      # column | bar | line | area | pie | doughnut
      title: "Share of request time by stage (%)"
      categories: [Parsing, Retrieval]
      series:
        - {name: January, values: [8, 46]}
      unit: "%"
      alt: "..."
      source: "Internal tracing"

or ``data: data/latency.csv`` instead of ``categories`` and ``series``: the header row
names the series (its first cell labels the categories' column and is not shown), each
following row is a category and its values. The CSV follows the image's rules (a file
inside the content folder, no '..', no symlink out, no URL; ``MAX_CSV_BYTES``,
``MAX_ROWS``) and is read as UTF-8; a problem in it is reported at the CSV's own path
and line, naming the column (``content/data/x.csv:4: sections[0].chart.data: column 3
('June'): 'n/a' is not a number``).

Rules: a number is written as digits (``46``, ``-3.5``, ``1e3``; no thousands separators,
no unit, not NaN or infinite); every series has one value per category; no series is
empty; a pie shows one series, of values that are not negative and not all zero; a
doughnut's values are not negative. A chart is left out (reads as None) after any problem.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import unicodedata
from pathlib import Path
from typing import Callable

from ..errors import Problem
from ..model import CHART_TYPES, Chart, Series
from ..schema import MAX_LINE, Choice, Field, ListOf, Reader, Record, Text, count, forbidden_chars
from ..yamldata import Node

#: A chart's CSV file: at most this many bytes, and this many rows of data (the header aside).
MAX_CSV_BYTES = 1_000_000
MAX_ROWS = 1_000
#: Categories and series a chart written in the content file may have (a CSV has ``MAX_ROWS``).
MAX_CATEGORIES = MAX_ROWS
MAX_SERIES = 100
#: Charts that draw one slice per category and no negative values.
ROUND = ("pie", "doughnut")

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")

#: ``content_file(reader, line, field, src, kind, limit)``: the loader's sandboxed path check.
Resolve = Callable[[Reader, int, str, str, str, int], "Path | None"]


def number(text: str) -> float | None:
    """``text`` as a number (``46``, ``-3.5``, ``1e3``, spaces around it ignored), or None
    when it is not one: words, a unit ("46%"), thousands separators, NaN, infinity."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _not_a_number(text: str) -> str:
    hint = ""
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text.strip()):
        hint = "; write it without thousands separators"
    elif number(re.sub(r"[^\d.eE+-]+$", "", text.strip()) or "x") is not None:
        hint = "; write the number alone and the unit in unit:"
    return f"'{text}' is not a number{hint}"


class _Number(Field):
    """One value of a series: a number written as text (YAML keeps every scalar a string).
    A value that is not a number is reported and reads as NaN, so the chart is dropped
    without a second message about the series' length."""

    empty = math.nan

    def read(self, r: Reader, node: Node, where: str) -> float:
        if node.kind != "scalar":
            r.error(node, where, f"expected a number, found {node.what}")
            return math.nan
        value = number(node.value)
        if value is None:
            r.error(node, where, _not_a_number(node.value))
            return math.nan
        return value


_NAME = Text(required=True, markdown=False)
SERIES = Record(Series, {
    "name": _NAME,
    "values": ListOf(_Number(), required=True, max_items=MAX_CATEGORIES,
                     too_many="has {count} values; at most {limit} are allowed"),
})


def chart_field(resolve: Resolve) -> Record:
    """The ``chart:`` part's schema; ``resolve`` is the loader's sandboxed path check
    (``folder.content_file``), passed in so this module needs no loader."""

    def make(r: Reader, node: Node, where: str, values: dict) -> Chart | None:
        return _chart(r, node, where, values, resolve)

    return Record(Chart, {
        "type": Choice("chart type", CHART_TYPES, required=True,
                       otherwise="the chart types are: {choices}"),
        "title": Text(markdown=False),
        "categories": ListOf(_NAME, max_items=MAX_CATEGORIES,
                             too_many="has {count} categories; at most {limit} are allowed"),
        "series": ListOf(SERIES, max_items=MAX_SERIES, too_many="has {count} series; at most {limit} are allowed"),
        "data": Text(markdown=False),
        "unit": Text(markdown=False, limit=20),
        "alt": Text(markdown=False, limit=1_000),
        "source": Text(),
    }, make=make)


def _chart(r: Reader, node: Node, where: str, values: dict, resolve: Resolve) -> Chart | None:
    before = len(r.problems)
    src = values.pop("data", "")
    kind = values.get("type", "")
    written = "categories" in values or "series" in values
    path = None
    if src and written:
        r.error(r.lines[f"{where}.data"], f"{where}.data",
                "give the numbers either in data: (a CSV file) or in categories: and series:, not both")
        return None
    if src:
        path = resolve(r, r.lines[f"{where}.data"], f"{where}.data", src, "data file", MAX_CSV_BYTES)
        if path is None:
            return None
        read = read_csv(path.read_bytes(), csv_display(r.path, src), r, f"{where}.data")
        if read is None:
            return None
        categories, series = read
        cells = None  # a CSV problem names its own line
    else:
        categories, series = values.get("categories", ()), values.get("series", ())
        if "categories" not in values:
            r.error(node, f"{where}.categories", "is required (or give the numbers in data: as a CSV file)")
        if "series" not in values:
            r.error(node, f"{where}.series", "is required (or give the numbers in data: as a CSV file)")
        if "categories" in values and not categories:
            r.error(r.lines[f"{where}.categories"], f"{where}.categories", "needs at least one category")
        if "series" in values and not series:
            r.error(r.lines[f"{where}.series"], f"{where}.series", "needs at least one series")
        cells = where
    _check(r, where, kind, categories, series, cells)
    if len(r.problems) > before or not kind:
        return None
    return Chart(kind, tuple(categories), tuple(series), values.get("title", ""), values.get("unit", ""),
                 values.get("alt", ""), values.get("source", ""), path, src, where)


def _check(r: Reader, where: str, kind: str, categories, series, cells: str | None) -> None:
    """Lengths, empty series, and what a pie or doughnut refuses. ``cells`` is the chart's
    field path when the numbers are in the content file (each problem at its own line),
    None when they came from a CSV (at the ``data:`` line)."""
    def at(path: str) -> tuple[int, str]:
        if cells is None:
            return r.lines[f"{where}.data"], f"{where}.data"
        return _line(r, path), path

    for i, one in enumerate(series):
        here = f"{where}.series[{i}]"
        if any(math.isnan(v) for v in one.values):
            continue  # already reported, cell by cell
        if not one.values:
            r.error(*at(f"{here}.values"), f"series '{one.name}' is empty; give one value per category")
        elif len(one.values) != len(categories):
            there = f"{'is' if len(categories) == 1 else 'are'} {count(len(categories), 'category', 'categories')}"
            r.error(*at(f"{here}.values"), f"series '{one.name}' has {count(len(one.values), 'value')}; "
                                           f"there {there}, so it needs {len(categories)}")
    if kind == "pie" and len(series) > 1:
        r.error(*at(f"{where}.series"), f"a pie shows one series, and this chart has {len(series)}; "
                                        "use a column or bar chart, or a doughnut (one ring per series)")
    if kind in ROUND:
        for i, one in enumerate(series):
            for k, value in enumerate(one.values):
                if value < 0:
                    label = categories[k] if k < len(categories) else k + 1
                    r.error(*at(f"{where}.series[{i}].values[{k}]"),
                            f"a {kind} cannot show a negative value ({_plain(value)} for '{label}' in "
                            f"'{one.name}'); use a column or bar chart")
            if one.values and all(v == 0 for v in one.values):
                r.error(*at(f"{where}.series[{i}].values"), f"the values of '{one.name}' add up to 0: "
                                                            f"a {kind} of them would show nothing")


def _line(r: Reader, path: str) -> int:
    while path and path not in r.lines:
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return r.lines.get(path, 0)


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def csv_display(content: str, src: str) -> str:
    """How a chart's CSV file is named in messages: beside the content file as the user
    named it (``content/x.yaml`` and ``data/a.csv`` give ``content/data/a.csv``)."""
    return os.path.normpath(os.path.join(os.path.dirname(content), src))


def read_csv(raw: bytes, shown: str, r: Reader, field: str) -> tuple[tuple[str, ...], tuple[Series, ...]] | None:
    """The categories and series of a chart's CSV file (``raw``), or None after reporting
    every problem at ``shown:line`` (``field`` names the ``data:`` key).

    The header row names the series; each later row is a category and one value per
    series. Blank lines are skipped; a row with another number of cells than the header,
    an empty category or series name, a cell that is not a number, more than ``MAX_ROWS``
    rows, text that is not UTF-8 and control characters are each reported."""
    def error(line: int, message: str) -> None:
        r.problems.append(Problem(shown, line, field, message))

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        error(raw[: err.start].count(b"\n") + 1, f"is not UTF-8 text (byte 0x{raw[err.start]:02x}); save it as UTF-8")
        return None
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, [unicodedata.normalize("NFC", cell).strip() for cell in row]))
            if len(rows) > MAX_ROWS + 1:
                error(reader.line_num, f"has more than {MAX_ROWS} rows of data; at most {MAX_ROWS} are allowed")
                return None
    except csv.Error as err:
        error(reader.line_num, f"is not a valid CSV file ({err})")
        return None
    if len(rows) < 2:
        error(rows[0][0] if rows else 1, "needs a header row naming the series and at least one row of data")
        return None
    (head_line, header), body = rows[0], rows[1:]
    problems = len(r.problems)
    if len(header) < 2:
        error(head_line, "the header row names no series: it needs the categories' column, then one column per series")
        return None
    names = header[1:]
    for col, name in enumerate(names, 2):
        if not name:
            error(head_line, f"column {col} has no name in the header row; name its series")
    values: list[list[float]] = [[] for _ in names]
    categories = []
    for line, row in [(head_line, header)] + body:
        for col, cell in enumerate(row, 1):
            bad = forbidden_chars(cell, multiline=False)
            if bad:
                error(line, f"column {col} contains control or non-characters ({', '.join(bad)}); remove them")
            elif len(cell) > MAX_LINE:
                error(line, f"column {col} is {len(cell)} characters long; at most {MAX_LINE} are allowed")
    for line, row in body:
        if len(row) != len(header):
            error(line, f"has {count(len(row), 'cell')}; the header row has {len(header)}")
            continue
        if not row[0]:
            error(line, "column 1 is empty; name the category")
        categories.append(row[0])
        for col, (cell, name) in enumerate(zip(row[1:], names), 2):
            value = number(cell)
            if value is None:
                what = "is empty; give every category a value" if not cell else _not_a_number(cell)
                error(line, f"column {col} ('{name}'): {what}")
                value = math.nan
            values[col - 2].append(value)
    if len(r.problems) > problems:
        return None
    return tuple(categories), tuple(Series(name, tuple(v)) for name, v in zip(names, values))
