#!/usr/bin/env python3
"""Save-to-updated-view latency of the live preview, in a real browser: ``python bench/run.py --serve``
(or ``python bench/serve.py [--edits 9]``).

For each row, ``build.py --serve --port 0`` runs on a copy of the talk (the sample, and a
100-section talk from ``bench/generate.py``), Debian's chromium (driven by Playwright) opens
a view, and the benchmark saves an edit of one point of the content file, ``--edits``
times. The latency of one edit is from just before the file is written to the moment the
new words are in the open page's DOM, seen by a MutationObserver in the page: the file
watcher's notice, loading the talk, rendering the view, the event to the browser, its fetch
and the in-place update. Both clocks are the machine's wall clock (``time.time()`` here,
``performance.timeOrigin + performance.now()`` in the page). Each edit waits for the build
that follows the previous one to finish, as a writer's saves are seconds apart. Prints a
Markdown table of the median and the slowest edit per row. Run by hand; never by the tests.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_talks  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content" / "llms-vs-foundation-models.yaml"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

#: Records when the wanted words first appear in the page (epoch milliseconds).
OBSERVER = """() => {
  window.benchSeen = null; window.benchWant = null;
  new MutationObserver(() => {
    if (window.benchWant && window.benchSeen === null && document.body.textContent.includes(window.benchWant)) {
      window.benchSeen = performance.timeOrigin + performance.now();
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


class Preview:
    """``build.py --serve`` on ``source``'s folder, in a fresh process."""

    def __init__(self, source: Path, work: Path):
        self.log = work / "serve.log"
        self.process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), str(source), "--serve", "--port", "0",
                                         "--out", str(work / "out")], cwd=work,
                                        env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=open(self.log, "w"),
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self.url = self._wait(lambda text: re.search(r"^Serving (\S+)$", text, re.M), 120)[1]
        self.wait_builds(1)

    def builds(self) -> int:
        return len(re.findall(r"^\d\d:\d\d:\d\d .*: \d+ written", self.log.read_text(), re.M))

    def wait_builds(self, count: int) -> None:
        self._wait(lambda text: self.builds() >= count, 300)

    def _wait(self, condition, seconds: float):
        deadline = time.monotonic() + seconds
        while True:
            found = condition(self.log.read_text())
            if found:
                return found
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the preview did not get there:\n{self.log.read_text()[-2000:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(10)


def latencies(browser, source: Path, view: str, point: str, edits: int, work: Path) -> list[float]:
    """Milliseconds from save to the new words in ``view``, for each of ``edits`` edits of ``point``."""
    text = source.read_text(encoding="utf-8")
    assert point in text, point
    preview = Preview(source, work)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{preview.url}{source.stem}/{view}")
        page.wait_for_function("() => document.documentElement.dataset.tpShown !== undefined", timeout=60_000)
        page.evaluate(OBSERVER)
        out = []
        for k in range(edits):
            marker = f"edited{k}x"
            page.evaluate("want => { window.benchWant = want; window.benchSeen = null; }", marker)
            builds = preview.builds()
            saved = time.time() * 1000
            source.write_text(text.replace(point, f"{point} {marker}", 1), encoding="utf-8")
            page.wait_for_function("() => window.benchSeen !== null", timeout=60_000)
            out.append(page.evaluate("window.benchSeen") - saved)
            preview.wait_builds(builds + 1)  # the outputs are written too before the next save
        page.close()
        return out
    finally:
        preview.stop()
        source.write_text(text, encoding="utf-8")


def run(edits: int = 9) -> str:
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="triptych-bench-serve-") as tmp, sync_playwright() as playwright:
        work = Path(tmp)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        shutil.copytree(SAMPLE.parent, work / "sample" / "content")
        sample = work / "sample" / "content" / SAMPLE.name
        big = write_talks(100, work / "big" / "content")[0]
        cases = [
            ("sample (10 sections), slides view", sample, "slides", "Both terms come up constantly", edits, "<= 250 ms"),
            ("sample (10 sections), article view", sample, "article", "Both terms come up constantly", edits, "<= 250 ms"),
            ("100 sections, slides view", big, "slides", "Point one of section 49 is about", edits, "<= 1000 ms"),
            ("100 sections, article view", big, "article", "Point one of section 49 is about", edits, "<= 1000 ms"),
        ]
        for label, source, view, point, count, target in cases:
            ms = latencies(browser, source, view, point, count, source.parent.parent)
            rows.append(f"| {label} | {statistics.median(ms):.0f} ms | {max(ms):.0f} ms | {count} | {target} |")
            print(f"# {label}: {', '.join(f'{m:.0f}' for m in ms)} ms", file=sys.stderr)
        browser.close()
    return "\n".join(["| --serve: save to updated view (chromium) | median | slowest | edits | target |",
                      "|---|---|---|---|---|", *rows])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edits", type=int, default=9, help="edits per row (default 9)")
    print(run(ap.parse_args().edits))


if __name__ == "__main__":
    main()
