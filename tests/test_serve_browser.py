"""The live preview in a real browser: Debian's chromium driven by Playwright.

``build.py --serve --port 0`` runs on a copy of the sample as a user would start it; the
browser opens each view, then the test edits the content file and waits for the new words
to appear without a reload (the scroll position kept), breaks the file and waits for the
overlay naming ``path:line: field``, fixes it and waits for the overlay to go. Screenshots
of each step are saved in the test's temporary folder (and, when TRIPTYCH_SCREENSHOTS
names a folder, there too, for looking at).

Skips without chromium on a developer's machine; fails under CI (conftest.require_tool).
Playwright's own browser download is not used: chromium is Debian's package
(scripts/install-test-deps.sh).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE, require_tool

SLUG = SAMPLE.stem
POINT = "Both terms come up constantly when people talk about AI and NLP"
TITLE_LINE = '  - title: "What is an LLM?"'
#: The flags chromium needs in a container (no sandbox, no GPU) and to stay off the network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def launch(playwright):
    """Debian's chromium under Playwright (``require_tool`` skips or fails without it)."""
    return playwright.chromium.launch(executable_path=require_tool("chromium"), args=CHROMIUM_ARGS)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """``build.py --serve --port 0`` on a copy of the sample: (base URL, content file, shots folder)."""
    require_tool("chromium")
    project = tmp_path_factory.mktemp("preview")
    shutil.copytree(SAMPLE.parent, project / "content")
    log = open(project / "stdout", "w")
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--serve", "--port", "0"], cwd=project,
                               env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not (found := re.search(r"^Serving (http://127\.0\.0\.1:\d+/)$", (project / "stdout").read_text(), re.M)):
            assert process.poll() is None and time.monotonic() < deadline, (project / "stdout").read_text()
            time.sleep(0.1)
        shots = project / "shots"
        shots.mkdir()
        yield found[1], project / "content" / SAMPLE.name, shots
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(preview):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh tab at a desktop size; fails the test on any script error or console error
    (a Content-Security-Policy violation shows there)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield tab
    context.close()
    assert not errors, errors


def shoot(tab, shots: Path, name: str) -> None:
    tab.screenshot(path=str(shots / f"{name}.png"))
    if os.environ.get("TRIPTYCH_SCREENSHOTS"):
        folder = Path(os.environ["TRIPTYCH_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(shots / f"{name}.png", folder / f"{name}.png")


def live(tab) -> None:
    """Wait until the view's event stream is open (its first version arrived)."""
    tab.wait_for_function("document.getElementById('tp-preview-status')?.textContent.startsWith('●')"
                          " && document.documentElement.dataset.tpShown !== undefined", timeout=20_000)


def shows(tab, text: str, timeout: float = 20_000) -> None:
    tab.wait_for_function("text => document.body.textContent.includes(text)", arg=text, timeout=timeout)


@pytest.mark.parametrize("view, words", [
    ("slides", "What is an LLM?"),
    ("article", "What is an LLM?"),
    ("post", "of 3,000 characters"),
    ("carousel", "What is an LLM?"),
])
def test_each_view_opens_with_its_words(preview, page, view, words):
    url, _, shots = preview
    page.goto(f"{url}{SLUG}/{view}")
    assert words in page.text_content("body")
    live(page)
    shoot(page, shots, f"view-{view}")


def test_the_list_of_talks_links_to_the_views(preview, page):
    url, _, shots = preview
    page.goto(url)
    page.click("text=Carousel")
    page.wait_for_url(f"{url}{SLUG}/carousel")
    shoot(page, shots, "list")


def test_the_handout_view_shows_the_printed_pages(preview, page):
    url, _, shots = preview
    page.goto(f"{url}{SLUG}/handout")
    live(page)
    page.wait_for_selector("figure.tp-page img", timeout=90_000)  # once the PDF is written
    # The first page's picture, drawn by PDFium when the browser asks for it.
    page.wait_for_function("() => { const img = document.querySelector('figure.tp-page img');"
                           " return img.complete && img.naturalWidth >= 1200; }", timeout=30_000)
    shoot(page, shots, "view-handout")


def test_a_save_updates_the_open_views_in_place_and_a_mistake_shows_until_fixed(preview, browser):
    url, source, shots = preview
    good = source.read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tabs = {view: context.new_page() for view in ("slides", "article", "post", "carousel", "handout")}
    try:
        for view, tab in tabs.items():
            tab.goto(f"{url}{SLUG}/{view}")
            live(tab)
            tab.evaluate("window.notReloaded = true")
        tabs["slides"].evaluate("window.scrollTo(0, 2400)")
        scrolled = tabs["slides"].evaluate("window.scrollY")
        assert scrolled > 2000

        edited = POINT.replace("constantly", "all the time")
        source.write_text(good.replace(POINT, edited), encoding="utf-8")
        for view in ("slides", "article", "carousel", "post"):
            shows(tabs[view], "all the time" if view != "post" else edited.split(" when")[0])
        shows(tabs["handout"], "all the time", timeout=90_000)  # the PDF is written after the HTML views
        for view, tab in tabs.items():
            assert tab.evaluate("window.notReloaded") is True, f"the {view} view was reloaded"
        assert abs(tabs["slides"].evaluate("window.scrollY") - scrolled) < 2
        shoot(tabs["slides"], shots, "edited")

        line = good.splitlines().index(TITLE_LINE) + 1
        source.write_text(good.replace(TITLE_LINE, TITLE_LINE.replace("title", "titel"), 1), encoding="utf-8")
        where = f"content/{SAMPLE.name}:{line}: sections[1].titel: unknown key 'titel'"
        for view, tab in tabs.items():
            overlay = tab.wait_for_selector("#tp-preview-problems", timeout=20_000)
            assert where in overlay.text_content(), view
            assert "all the time" in tab.text_content("body")  # the last good rendering, under it
        for view in ("article", "post", "carousel"):  # the overlay covered each view's heading
            tabs[view].wait_for_function(
                "() => document.querySelector('h1').getBoundingClientRect().top"
                " >= document.getElementById('tp-preview-problems').getBoundingClientRect().bottom", timeout=5_000)
        shoot(tabs["slides"], shots, "overlay")
        shoot(tabs["article"], shots, "overlay-article")

        source.write_text(good, encoding="utf-8")
        for tab in tabs.values():
            tab.wait_for_selector("#tp-preview-problems", state="detached", timeout=20_000)
        assert tabs["article"].evaluate("getComputedStyle(document.documentElement).getPropertyValue('--tp-problems')") \
            == "0px"  # the room it took is given back
        shows(tabs["slides"], "constantly")
        assert tabs["slides"].evaluate("window.notReloaded") is True
    finally:
        source.write_text(good, encoding="utf-8")
        context.close()
