"""The benchmark's report (bench/run.py is run by hand; its table is what people quote)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_module():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_run"] = module  # dataclasses look their module up by name
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "bench"))


def test_a_baseline_that_cannot_build_a_row_shows_as_failed_not_as_a_time(tmp_path):
    """An older revision refuses content it does not know (a chart, before charts): its
    exit status 2 after 0.19 s is not a 'before' time to compare with."""
    run = bench_module()
    bench = run.Bench(tmp_path, 1, baseline=tmp_path)
    ok, refused = run.Run(1.5, 80, 120, 0), run.Run(0.19, 20, 20, 2)
    bench.rows.append(("chart talk, cold", ok, ok, refused, "(informative)"))
    bench.rows.append(("sample, cold", ok, ok, ok, "(informative)"))
    table = bench.report([]).splitlines()
    assert "| chart talk, cold | 1.50 s | 1.50 s | 1.00 | failed (exit 2) |  |" in table[2]
    assert "| sample, cold | 1.50 s | 1.50 s | 1.00 | 1.50 s | 1.00 |" in table[3]
