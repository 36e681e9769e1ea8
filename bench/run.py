#!/usr/bin/env python3
"""The build benchmark: ``python bench/run.py [--repeat 3] [--baseline REV] [--skip-large]``.

Prints one Markdown table. Every triptych figure sits beside the bare stack
(``bench/bare.py``: python-pptx, Jinja, Python-Markdown and WeasyPrint alone) doing the same
work in the same run, as a ratio (triptych / bare; below 1.0 means triptych is faster).
Rows:

- cold build of the sample (the outputs a plain build makes, parity check included, an
  empty output folder);
- the same without the parity check (``--no-check``), and the check alone (``--check``);
- no-op rebuild (nothing changed since the last build);
- one edit (one word of one point) then a rebuild;
- synthetic talks of 10, 100 and 500 sections (``bench/generate.py``), cold;
- 50 content files of the sample's size with ``--jobs 1`` and with the default jobs;
- the growth from 100 to 500 sections (5.0 is linear) and the ``--jobs`` speed-up;
- with ``--serve``, only the live preview's save-to-updated-view latency in chromium
  (``bench/serve.py``: the sample and a 100-section talk);
- what the slides PDF and the carousel add to a cold build: the sample and 100 sections
  built with ``--only`` every output and with ``--only`` the others, named either way, so
  the figure does not depend on what a plain build makes; and the fidelity of the slides PDF:
  how many text lines of LibreOffice's rendering of the .pptx break at the same words in
  the slides PDF (the sample and a 20-slide talk; needs ``soffice`` and ``pdftotext``);
- what charts cost: importing matplotlib, and six charts in a cold build (``charts``).

Each command runs in a fresh Python process. Time is wall-clock (median of ``--repeat`` runs
for the small rows, one run for the large ones). Memory is given twice: the largest single
process (``ru_maxrss`` from ``wait4``, which covers every descendant) and the peak of the whole
process tree's proportional set size (PSS, so pages shared between a parent and its forked
workers are not counted twice), sampled every 20 ms from ``/proc`` (Linux only).

``--baseline REV`` also runs the triptych of git revision REV (extracted with ``git archive``
into a temporary folder, the working tree is not touched) on the same rows, with the same
flags: the "before" column. Everything happens in a temporary folder; nothing in the repository is written.
Run it by hand on an otherwise idle machine; it takes a few minutes. Never run by the tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_talks  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content" / "llms-vs-foundation-models.yaml"
PY = sys.executable
MIB = 1024 * 1024


@dataclass
class Run:
    seconds: float
    largest_mib: float  # largest single process of the tree (ru_maxrss)
    tree_mib: float  # peak PSS of the whole tree, sampled; 0 where /proc is missing
    status: int


def _children(pid: int) -> list[int]:
    """Direct children of ``pid`` from /proc (every thread's list, so none is missed)."""
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                kids += [int(k) for k in fh.read().split()]
    except OSError:  # the process ended between two reads
        pass
    return kids


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_pss(root: int) -> int:
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss_kib(pid)
        todo += _children(pid)
    return total


#: The environment of every measured command: bytecode is cached (in the bench's own
#: folder, not the repository), as it is for anyone who runs a tool twice; a
#: PYTHONDONTWRITEBYTECODE in the caller's environment would make triptych, whose modules
#: have no installed .pyc files, recompile itself on every run while the libraries do not.
ENV: dict[str, str] = {}


def measure(cmd: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Run ``cmd`` to completion; its wall time, largest process and peak tree PSS."""
    peak = [0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env or ENV or None, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _tree_pss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    # wait4 (not Popen.wait) so the kernel hands back the child's rusage, whose ru_maxrss
    # is the largest resident set of the child and of every descendant it reaped.
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.stderr.write(f"! {' '.join(cmd)} exited {proc.returncode}\n{err.decode(errors='replace')[-2000:]}\n")
    return Run(seconds, usage.ru_maxrss / 1024, peak[0] / 1024, proc.returncode)


def median(runs: list[Run]) -> Run:
    runs = sorted(runs, key=lambda r: r.seconds)
    mid = runs[len(runs) // 2]
    return Run(statistics.median(r.seconds for r in runs), max(r.largest_mib for r in runs),
               max(r.tree_mib for r in runs), max(r.status for r in runs))


class Bench:
    def __init__(self, work: Path, repeat: int, baseline: Path | None):
        self.work, self.repeat, self.baseline = work, repeat, baseline
        self.rows: list[tuple[str, Run, Run | None, Run | None, str]] = []

    def triptych(self, files: list[Path], out: Path, *flags: str, tool: Path = ROOT) -> list[str]:
        return [PY, str(tool / "build.py"), *map(str, files), "--out", str(out), "-q", *flags]

    def bare(self, files: list[Path], out: Path) -> list[str]:
        return [PY, str(ROOT / "bench" / "bare.py"), *map(str, files), "--out", str(out)]

    def fresh(self, name: str) -> Path:
        out = self.work / "out" / name
        shutil.rmtree(out, ignore_errors=True)
        return out

    def times(self, n: int, make_cmd, before=None) -> Run:
        """Median of ``n`` runs of ``make_cmd()`` (called anew each time, after ``before()``)."""
        runs = []
        for _ in range(n):
            if before:
                before()
            runs.append(measure(make_cmd(), self.work))
        return median(runs)

    def cold(self, label: str, files: list[Path], n: int, target: str, *flags: str,
             bare: Run | None = None, baseline: bool = True) -> tuple[Run, Run, Run | None]:
        """A cold build by triptych (``--force``, empty output folder) beside the bare stack
        and the baseline (given the same flags; ``baseline=False`` for flags it may not
        know, such as outputs newer than it), their runs interleaved so that a burst of
        load elsewhere on the machine hits all of them alike; ``bare`` gives the bare
        stack's figure when it was already measured on the same files."""
        commands = {"ours": lambda: self.triptych(files, self.fresh("t"), "--force", *flags)}
        if bare is None:
            commands["bare"] = lambda: self.bare(files, self.fresh("b"))
        if self.baseline and baseline:
            commands["old"] = lambda: self.triptych(files, self.fresh("o"), *flags, tool=self.baseline)
        runs: dict[str, list[Run]] = {k: [] for k in commands}
        for _ in range(n):
            for key, make in commands.items():
                runs[key].append(measure(make(), self.work))
        ours = median(runs["ours"])
        bare = bare or median(runs["bare"])
        old = median(runs["old"]) if "old" in runs else None
        self.rows.append((label, ours, bare, old, target))
        return ours, bare, old

    def report(self, extra: list[str]) -> str:
        head = ["| scenario | triptych | bare stack | ratio |"
                + (" before | before ratio |" if self.baseline else "")
                + " target | memory: largest / tree (MiB) | bare memory |",
                "|---|---|---|---|" + ("---|---|" if self.baseline else "") + "---|---|---|"]
        lines = []
        for label, ours, bare, old, target in self.rows:
            cells = [label, f"{ours.seconds:.2f} s", f"{bare.seconds:.2f} s", f"{ours.seconds / bare.seconds:.2f}"]
            if self.baseline:
                if old is None:
                    cells += ["", ""]
                elif old.status:  # the revision cannot do this (charts before it had them): no time to compare
                    cells += [f"failed (exit {old.status})", ""]
                else:
                    cells += [f"{old.seconds:.2f} s", f"{old.seconds / bare.seconds:.2f}"]
            cells += [target, f"{ours.largest_mib:.0f} / {ours.tree_mib:.0f}",
                      f"{bare.largest_mib:.0f} / {bare.tree_mib:.0f}"]
            if ours.status:
                cells[1] += f" (exit {ours.status})"
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(head + lines + [""] + extra)


ALL_OUTPUTS = ("deck", "article", "page", "post", "handout", "slides", "carousel")
#: The same build without the slides PDF and the carousel: what ``--only`` names to measure their cost
#: (a revision before them, such as a ``--baseline``, builds exactly these by default).
WITHOUT_SLIDES = ",".join(name for name in ALL_OUTPUTS if name not in ("slides", "carousel"))
LONG_TALK = ROOT / "tests" / "fixtures" / "slides" / "long-talk.yaml"


def _lines(pdf: Path) -> list[list[str]]:
    """Per page, its text lines (words joined by spaces) as ``pdftotext -bbox-layout`` groups them."""
    import html
    import re

    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    return [[" ".join(html.unescape(w) for w in re.findall(r"<word[^>]*>(.*?)</word>", line, re.S))
             for line in re.findall(r"<line[^>]*>(.*?)</line>", page, re.S)]
            for page in re.findall(r"<page.*?</page>", out, re.S)]


def fidelity(work: Path) -> list[str]:
    """How many text lines of LibreOffice's rendering of the deck break at the same words
    in the slides PDF, page by page, for the sample and the 20-slide test talk."""
    from collections import Counter

    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        return ["- fidelity: not measured (needs soffice and pdftotext)"]
    folder = work / "fidelity"
    shutil.copytree(LONG_TALK.parent, folder / "content")
    shutil.copytree(SAMPLE.parent, folder / "content", dirs_exist_ok=True)
    talks = [folder / "content" / SAMPLE.name, folder / "content" / LONG_TALK.name]
    subprocess.run([PY, str(ROOT / "build.py"), "-q", "--force", "--out", str(folder / "out"), "--only", "deck,slides",
                    *map(str, talks)], check=True, cwd=folder, env=ENV)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "pdf",
                    "--outdir", str(folder / "lo"), *(str(folder / "out" / f"{t.stem}.pptx") for t in talks)],
                   check=True, capture_output=True)
    out = []
    for talk in talks:
        office, ours = _lines(folder / "lo" / f"{talk.stem}.pdf"), _lines(folder / "out" / f"{talk.stem}.slides.pdf")
        same = sum(sum((Counter(a) & Counter(b)).values()) for a, b in zip(office, ours))
        total = sum(len(page) for page in office)
        out.append(f"- fidelity, {talk.stem} ({len(office)} slides): {same}/{total} text lines of LibreOffice's "
                   f"rendering of the .pptx break at the same words in the slides PDF")
    return out


CHARTS_TALK = ROOT / "tests" / "fixtures" / "charts" / "results.yaml"


def charts(bench: Bench, work: Path, n: int) -> list[str]:
    """What charts cost: importing matplotlib (a fresh process that imports the chart module,
    then one that also loads matplotlib: the difference), and a cold build of the chart test
    talk (6 charts, every default output) beside the same talk with its charts taken out."""
    bare = [PY, "-c", "import triptych.charts.draw"]
    loaded = [PY, "-c", "from triptych.charts import draw; draw._pyplotless()"]
    base = median([measure(bare, ROOT) for _ in range(n)])
    mpl = median([measure(loaded, ROOT) for _ in range(n)])
    folder = work / "charts"
    shutil.copytree(CHARTS_TALK.parent, folder)
    with_charts = folder / CHARTS_TALK.name
    text = with_charts.read_text(encoding="utf-8")
    without = folder / "no-charts.yaml"
    kept, skipping = [], False
    for line in text.splitlines():
        if line.strip() == "chart:":
            skipping = True
            continue
        if skipping and line.startswith("      "):
            continue
        skipping = False
        kept.append(line)
    without.write_text("\n".join(kept) + "\n", encoding="utf-8")
    ours, _, _ = bench.cold("chart talk (6 charts), cold", [with_charts], 1, "(informative)")
    plain, _, _ = bench.cold("the same talk without its charts, cold", [without], 1, "(charts' cost: the difference)")
    return [f"- importing matplotlib (the first chart of a process): {mpl.seconds - base.seconds:+.2f} s "
            f"({mpl.largest_mib - base.largest_mib:+.0f} MiB)",
            f"- six charts in a cold build (every default output): {ours.seconds - plain.seconds:+.2f} s "
            f"({(ours.seconds - plain.seconds) / plain.seconds:+.0%})"]


def main() -> None:
    ap = argparse.ArgumentParser(description="the triptych build benchmark (run by hand)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per small row; the median is shown (default 3)")
    ap.add_argument("--baseline", metavar="REV|DIR",
                    help="also time the triptych of git revision REV, or of the source tree in DIR ('before')")
    ap.add_argument("--skip-large", action="store_true", help="leave out the 500-section and 50-file rows")
    ap.add_argument("--files", type=int, default=50, help="content files in the many-files row (default 50)")
    ap.add_argument("--serve", action="store_true",
                    help="measure only the live preview: save to updated view in chromium (bench/serve.py)")
    ap.add_argument("--edits", type=int, default=9, help="with --serve: edits per row (default 9)")
    args = ap.parse_args()
    if args.serve:
        from serve import run as serve_latency

        print(serve_latency(args.edits))
        return
    jobs = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="triptych-bench-") as tmp:
        work = Path(tmp)
        ENV.update(os.environ)
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        ENV["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        baseline = None
        if args.baseline and Path(args.baseline).is_dir():
            baseline = Path(args.baseline).resolve()
        elif args.baseline:
            baseline = work / "baseline"
            baseline.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline], check=True,
                                     capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(baseline)], input=archive, check=True)
        content = work / "content"
        shutil.copytree(SAMPLE.parent, content)
        sample = content / SAMPLE.name
        bench = Bench(work, args.repeat, baseline)
        n = args.repeat

        print(f"# triptych build benchmark: {jobs} cores, Python {sys.version.split()[0]}", file=sys.stderr)
        # One untimed run of each tool first: compiles the bytecode the timed runs use.
        measure(bench.triptych([sample], bench.fresh("t"), "--force"), work)
        measure(bench.bare([sample], bench.fresh("b")), work)
        if baseline:
            measure(bench.triptych([sample], bench.fresh("o"), tool=baseline), work)
        cold, cold_bare, cold_old = bench.cold("cold build, sample (10 sections)", [sample], n, "ratio <= 1.0")
        made = sorted(p.name for p in (work / "out" / "t").iterdir() if p.is_file() and not p.name.startswith("."))
        # What the slides PDF and the carousel add: every output, then the same build without them.
        every, _, _ = bench.cold("cold build, sample, --only every output", [sample], n, "(informative)",
                                 "--only", ",".join(ALL_OUTPUTS), bare=cold_bare, baseline=False)
        older, _, _ = bench.cold("cold build, sample, --only all but slides PDF and carousel", [sample], n,
                                 "(their cost: the difference)", "--only", WITHOUT_SLIDES, bare=cold_bare)
        extra_slides = [f"- a plain build of the sample made {len(made)} files: {', '.join(made)}",
                        f"- the slides PDF and the carousel in a cold build of the sample: "
                        f"{every.seconds - older.seconds:+.2f} s ({(every.seconds - older.seconds) / older.seconds:+.0%})"]
        # What the parity check costs: the same cold build without it.
        unchecked, _, _ = bench.cold("cold build, sample, --no-check", [sample], n, "(the check's cost: the "
                                     "difference)", "--no-check", bare=cold_bare)

        # No-op: build once, then time rebuilds with nothing changed. The bare stack has no
        # cache, so its figure is the full build again.
        warm = work / "out" / "warm"
        measure(bench.triptych([sample], warm), work)
        noop = bench.times(n, lambda: bench.triptych([sample], warm))
        bare = bench.times(n, lambda: bench.bare([sample], bench.fresh("b")))
        old_noop = None
        if baseline:
            old_warm = work / "out" / "old-warm"
            measure(bench.triptych([sample], old_warm, tool=baseline), work)
            old_noop = bench.times(n, lambda: bench.triptych([sample], old_warm, tool=baseline))
        bench.rows.append(("no-op rebuild, sample", noop, bare, old_noop,
                           f"< 1/4 of cold ({noop.seconds / cold.seconds:.2f} of cold)"))

        # The check alone, on outputs already built (``--check``: read back and compare).
        checked = bench.times(n, lambda: bench.triptych([sample], warm, "--check"))
        bench.rows.append(("parity check alone (--check), sample", checked, bare, None,
                           f"small ({checked.seconds / cold.seconds:.2f} of cold)"))
        extra_check = (f"- the parity check inside a cold build: {cold.seconds - unchecked.seconds:+.2f} s "
                       f"({(cold.seconds - unchecked.seconds) / cold.seconds:.0%} of it)")

        # One edit: flip one word of one point between two spellings, so every run is a change.
        text = sample.read_text(encoding="utf-8")
        state = {"k": 0}

        def edit() -> None:
            state["k"] += 1
            word = "vast" if state["k"] % 2 else "huge"
            sample.write_text(text.replace("enormous collections", f"{word} collections", 1), encoding="utf-8")

        edited = bench.times(n, lambda: bench.triptych([sample], warm), before=edit)
        bench.rows.append(("one edit, then rebuild", edited, bare, None, "(informative)"))
        sample.write_text(text, encoding="utf-8")

        sizes = (10, 100) if args.skip_large else (10, 100, 500)
        by_size = {}
        for size in sizes:
            path = write_talks(size, work / f"synthetic-{size}")[0]
            by_size[size] = bench.cold(f"{size} sections, cold", [path], n if size <= 10 else 1,
                                       "ratio <= 1.0" if size == 100 else "(informative)"
                                       if size == 10 else "linear from 100; < 300 MiB")
            if size == 100:
                b100 = by_size[100][1]
                all100, _, _ = bench.cold("100 sections, cold, --only every output", [path], 1, "(informative)",
                                          "--only", ",".join(ALL_OUTPUTS), bare=b100, baseline=False)
                less, _, _ = bench.cold("100 sections, cold, --only all but slides PDF and carousel", [path], 1,
                                        "(their cost: the difference)", "--only", WITHOUT_SLIDES, bare=b100)
                extra_slides.append(f"- ... and of 100 sections: {all100.seconds - less.seconds:+.2f} s "
                                    f"({(all100.seconds - less.seconds) / less.seconds:+.0%})")
        extra = [extra_check] + extra_slides + charts(bench, work, n) + fidelity(work)
        if 500 in by_size:
            (o100, b100, _), (o500, b500, _) = by_size[100], by_size[500]
            extra.append(f"- growth 100 -> 500 sections (5.0 is linear): triptych "
                         f"{o500.seconds / o100.seconds:.2f}, bare stack {b500.seconds / b100.seconds:.2f}")

        if not args.skip_large:
            many = write_talks(10, work / "many", files=args.files)
            # The sample's own text, so the files are the sample's size and shape.
            for path in many:
                path.write_text(text.replace("GenAI: LLMs", f"GenAI {path.stem}: LLMs", 1), encoding="utf-8")
            shutil.copytree(content / "images", work / "many" / "images", dirs_exist_ok=True)
            one, bare_many, old_many = bench.cold(f"{args.files} files, --jobs 1", many, 1, "(reference)",
                                                  "--jobs", "1")
            par, _, old_par = bench.cold(f"{args.files} files, --jobs {jobs}", many, 1, ">= 1.7x faster than --jobs 1",
                                         "--jobs", str(jobs), bare=bare_many)
            extra.append(f"- `--jobs {jobs}` vs `--jobs 1` on {args.files} files: "
                         f"{one.seconds / par.seconds:.2f}x faster (target >= 1.7x)"
                         + (f"; before: {old_many.seconds / old_par.seconds:.2f}x" if old_par else ""))
        print(bench.report(extra))


if __name__ == "__main__":
    main()
