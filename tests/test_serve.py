"""Tests for triptych.serve (the live preview) without a browser: what each route answers,
what it refuses, the problems overlay, escaping, the event stream and the main loop.

The server runs in a thread of the test process on a free port, over a project copied to a
temporary folder; the browser's side is tests/test_serve_browser.py."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from pptx import Presentation

from conftest import SAMPLE, TEMPLATES
from triptych.errors import Problem
from triptych.pipeline import Options
from triptych.serve import views
from triptych.serve.run import serve
from triptych.serve.server import PreviewServer, allowed_hosts, host_allowed, segments
from triptych.serve.site import Site
from triptych.theme import load_theme
from triptych.writers import Context, writer

SLUG = SAMPLE.stem
PICTURE = "images/llms-in-foundation-models.png"


@pytest.fixture
def project(tmp_path):
    """The sample in tmp/content, outputs to tmp/output."""
    shutil.copytree(SAMPLE.parent, tmp_path / "content")
    return tmp_path


def make_site(project: Path, outputs=("page",)) -> Site:
    options = Options(out_dir=project / "output", templates=TEMPLATES, outputs=outputs)
    site = Site(options, lambda: sorted((project / "content").glob("*.yaml")), echo=lambda line: None)
    site.update([project / "content" / SAMPLE.name])
    return site


@pytest.fixture
def served(project):
    """A running server over the sample: (site, port, project)."""
    site = make_site(project)
    server = PreviewServer("127.0.0.1", 0, site)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield site, server.port, project
    site.close()
    server.shutdown()
    server.server_close()


def get(port: int, path: str, host: str | None = None) -> tuple[int, str, dict]:
    """GET ``path`` exactly as written (no normalisation by a client library)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, body, dict(response.getheaders())


# ---------------------------------------------------------------- routes


@pytest.mark.parametrize("view", views.VIEWS)
def test_each_view_is_a_complete_page_with_the_talks_words(served, view):
    site, port, _ = served
    status, body, headers = get(port, f"/{SLUG}/{view}")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body.lstrip().lower().startswith("<!doctype html>") and body.rstrip().endswith("</html>")
    assert 'src="/_triptych/live.js"' in body and 'id="tp-preview-bar"' in body
    assert "tp-preview-problems" not in body.split("</head>", 1)[1]  # no overlay: nothing is wrong
    words = {"slides": "What is an LLM?", "article": "What is an LLM?", "post": "Key points:",
             "carousel": "What is an LLM?", "handout": "not built in this session"}[view]
    assert words in body
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_the_list_of_talks_links_every_view(served):
    _, port, _ = served
    status, body, _ = get(port, "/")
    assert status == 200 and "GenAI: LLMs vs. Foundation Models" in body
    for view in views.VIEWS:
        assert f'href="/{SLUG}/{view}"' in body


def test_the_slides_view_has_every_slide_its_notes_and_an_outline(served, project):
    _, port, _ = served
    _, body, _ = get(port, f"/{SLUG}/slides")
    assert body.count('class="tp-card"') == body.count("<li><a href=\"#slide-") == 13
    assert "GPT-4 is a nice example because it is both" in body  # a speaker note
    assert f'src="/{SLUG}/files/{PICTURE}?v=' in body


def test_the_article_view_is_the_page_output_itself(served, project):
    site, port, _ = served
    _, body, _ = get(port, f"/{SLUG}/article")
    ctx = Context(TEMPLATES, site.ctx.theme, {"out_dir": project / "output"})
    from triptych.loader import load

    page = writer("page").render(load(project / "content" / SAMPLE.name), ctx).decode("utf-8")
    head, chrome_body = views.chrome(TEMPLATES, SLUG, "article", site.version_of(SLUG), [])
    assert body == views.decorate(page, head, chrome_body)


def test_the_post_view_marks_the_see_more_cut_and_the_length(served):
    _, port, _ = served
    _, body, _ = get(port, f"/{SLUG}/post")
    assert "…see more" in body and "of 3,000 characters" in body


@pytest.mark.parametrize("text, cut", [
    ("short", 5),
    ("one\ntwo\nthree\nfour", 13),  # three lines, then the cut
    ("one\n\nthree\nfour", 10),  # a blank line is a line
    ("word " * 60, 210 - 1),  # at the last space before 210 characters
    ("x" * 300, 210),  # no space: at 210
])
def test_see_more_cuts_after_three_lines_or_210_characters(text, cut):
    assert views.see_more(text) == cut


def test_a_picture_the_talk_shows_is_served(served):
    _, port, _ = served
    status, _, headers = get(port, f"/{SLUG}/files/{PICTURE}")
    assert status == 200 and headers["Content-Type"] == "image/png"


def test_the_handout_view_shows_the_written_pdf_page_by_page(project):
    from triptych.pipeline import build

    options = Options(out_dir=project / "output", templates=TEMPLATES, outputs=("handout",), check=False, jobs=1)
    site = Site(options, lambda: [project / "content" / SAMPLE.name], echo=lambda line: None)
    site.update([project / "content" / SAMPLE.name])
    assert "is being built" in site.document(SLUG, "handout")
    site.built(build([project / "content" / SAMPLE.name], options))
    document = site.document(SLUG, "handout")
    count = len(site.entries[SLUG].pages.pages)
    assert count > 3 and document.count('<figure class="tp-page"') == count
    assert "What is an LLM?" in document  # each page's text beside its picture
    assert site.page(SLUG, 1).startswith(b"\x89PNG") and site.page(SLUG, count + 1) is None


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize("path", [
    f"/{SLUG}/files/../{SLUG}.yaml",
    f"/{SLUG}/files/images/../../../etc/passwd",
    f"/{SLUG}/files/%2e%2e/%2e%2e/etc/passwd",
    f"/{SLUG}/files/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    f"/{SLUG}/files/images%2fllms-in-foundation-models.png",  # an encoded / is never a separator
    f"/{SLUG}/files/images%5cllms-in-foundation-models.png",
    f"/{SLUG}/files//etc/passwd",
    "//etc/passwd",
    "/etc/passwd",
    f"/{SLUG}/files/{Path(SAMPLE.parent).resolve()}/{SAMPLE.name}",  # an absolute path
    f"/{SLUG}/files/{SAMPLE.name}",  # in the folder, but not a picture the talk shows
    f"/{SLUG}/files/.hidden.png",
    f"/{SLUG}/files/images/llms-in-foundation-models.png%00.txt",
    f"/{SLUG}/files/%ff%fe",
    f"/{SLUG}/nothing",
    f"/{SLUG}/handout/1.png",  # no handout built in this session
    "/_triptych/../_triptych/live.js",
    "http://127.0.0.1/",  # a proxy's absolute form
])
def test_anything_but_the_views_and_the_talks_pictures_is_not_found(served, path):
    assert get(served[1], path)[0] == 404


def test_a_picture_swapped_for_a_symlink_pointing_out_is_not_found(served, tmp_path_factory):
    _, port, project = served
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.png"
    secret.write_bytes((project / "content" / PICTURE).read_bytes())
    picture = project / "content" / PICTURE
    picture.unlink()
    picture.symlink_to(secret)  # after the talk was loaded with the real picture
    assert get(port, f"/{SLUG}/files/{PICTURE}")[0] == 404


def test_a_folder_symlinked_out_is_not_found(served, tmp_path_factory):
    _, port, project = served
    outside = tmp_path_factory.mktemp("outside")
    shutil.copy(project / "content" / PICTURE, outside / "llms-in-foundation-models.png")
    shutil.rmtree(project / "content" / "images")
    (project / "content" / "images").symlink_to(outside, target_is_directory=True)
    assert get(port, f"/{SLUG}/files/{PICTURE}")[0] == 404


@pytest.mark.parametrize("host, ok", [
    ("127.0.0.1:{port}", True),
    ("localhost:{port}", True),
    ("LOCALHOST:{port}", True),
    ("[::1]:{port}", True),
    ("evil.example:{port}", False),  # DNS rebinding: an attacker's name resolving to 127.0.0.1
    ("localhost.evil.example:{port}", False),
    ("127.0.0.1:1", False),  # another port
    ("127.0.0.1", False),  # no port means 80
    ("", False),
])
def test_requests_for_another_host_are_refused(served, host, ok):
    _, port, _ = served
    status = get(port, "/", host=host.format(port=port))[0]
    assert status == (200 if ok else 403)


def test_serving_on_every_interface_allows_ip_addresses_but_no_names():
    names, any_address = allowed_hosts("0.0.0.0", 8000)
    assert host_allowed("192.168.1.20:8000", names, any_address, 8000)
    assert host_allowed("localhost:8000", names, any_address, 8000)
    assert not host_allowed("rebind.example:8000", names, any_address, 8000)
    names, any_address = allowed_hosts("192.168.1.20", 8000)
    assert host_allowed("192.168.1.20:8000", names, any_address, 8000)
    assert not host_allowed("192.168.1.21:8000", names, any_address, 8000)


def test_segments_refuse_what_could_leave_the_routes():
    assert segments("/a/b/") == ["a", "b"] and segments("/") == []
    for raw in ("a", "/a//b", "/a/..", "/a/%2e", "/a/.x", "/a/b%2Fc", "/a/b%5Cc", "/a/b%00", "/a\\b"):
        assert segments(raw) is None, raw


# ---------------------------------------------------------------- problems and escaping


def test_a_mistake_shows_over_the_last_good_rendering_and_clears_when_fixed(project):
    site = make_site(project)
    source = project / "content" / SAMPLE.name
    good = source.read_text(encoding="utf-8")
    source.write_text(good.replace("title: \"What is an LLM?\"", "titel: \"What is an LLM?\"", 1), encoding="utf-8")
    line = good.splitlines().index(next(l for l in good.splitlines() if 'title: "What is an LLM?"' in l)) + 1
    site.update([source])
    for view in ("slides", "article", "post", "carousel"):
        document = site.document(SLUG, view)
        assert f"content/{SAMPLE.name}:{line}: sections[" in document, view
        assert 'id="tp-preview-problems"' in document
        assert "GenAI: LLMs vs. Foundation Models" in document  # the last good rendering, under the overlay
        assert "1 problem: showing the last good version until it is fixed" in document
    assert "problem" in site.index() and f":{line}: sections[" in site.index()
    source.write_text(good, encoding="utf-8")
    site.update([source])
    assert 'id="tp-preview-problems"' not in site.document(SLUG, "slides")


def test_a_template_mistake_shows_on_the_views_it_breaks(project):
    templates = project / "templates"
    shutil.copytree(TEMPLATES, templates)
    options = Options(out_dir=project / "output", templates=templates, outputs=("page",))
    site = Site(options, lambda: [project / "content" / SAMPLE.name], echo=lambda line: None)
    site.update([project / "content" / SAMPLE.name])
    assert "tp-preview-problems" not in site.document(SLUG, "post").split("</head>")[1]
    post = templates / "post.txt.j2"
    post.write_text(post.read_text(encoding="utf-8") + "{{ typo }}\n", encoding="utf-8")
    site.update([project / "content" / SAMPLE.name])
    assert "post.txt.j2" in site.document(SLUG, "post") and "Key points:" in site.document(SLUG, "post")
    assert 'id="tp-preview-problems"' not in site.document(SLUG, "slides")


def test_a_talk_that_never_loaded_says_so(project):
    source = project / "content" / SAMPLE.name
    source.write_text("title: [unclosed\n", encoding="utf-8")
    site = make_site(project)
    document = site.document(SLUG, "slides")
    assert f"content/{SAMPLE.name}:" in document and "Nothing to show yet" in document
    # The overlay promised "the last good version" over a view that has none.
    assert "1 problem: nothing to show until it is fixed" in document and "last good" not in document


def test_content_is_escaped_in_every_view(project, write_content):
    hostile = project / "content" / "hostile.yaml"
    hostile.write_text(
        'title: "<script>alert(1)</script> & co"\n'
        'author: {name: "<img src=x onerror=alert(2)>"}\n'
        'summary: "A </style><b>bold</b> summary"\n'
        'sections:\n  - title: "</textarea><svg onload=alert(3)>"\n'
        '    points: ["<iframe src=javascript:alert(4)>", "`</code>` and [x](https://example.org/\\"><script>)"]\n'
        '    notes: "<script>alert(5)</script>"\n', encoding="utf-8")
    options = Options(out_dir=project / "output", templates=TEMPLATES, outputs=("page",))
    site = Site(options, lambda: [hostile], echo=lambda line: None)
    site.update([hostile])
    for view in views.VIEWS:
        document = site.document("hostile", view)
        for raw in ("<script>alert", "<img src=x", "<svg onload", "<iframe", "</style><b>"):
            assert raw not in document, (view, raw)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in site.document("hostile", "slides")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in site.index()


# ---------------------------------------------------------------- live


def read_event(stream) -> str:
    """The data of the next ``version`` event on an event stream."""
    data = None
    while True:
        line = stream.readline().decode().rstrip("\n")
        if line.startswith("data: "):
            data = line[6:]
        elif line == "" and data is not None:
            return data


def test_the_event_stream_announces_each_new_version(served):
    site, port, project = served
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", f"/_triptych/events?talk={SLUG}&view=slides")
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/event-stream")
    first = int(read_event(response))
    assert first == site.version_of(SLUG)
    assert site.watchers[(SLUG, "slides")] == 1  # an open view is rendered first after a change
    site.update([project / "content" / SAMPLE.name])
    assert int(read_event(response)) > first
    connection.close()


def test_an_unknown_talks_event_stream_is_not_found(served):
    assert get(served[1], "/_triptych/events?talk=nope")[0] == 404


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_builds_serves_and_writes_nothing_outside_its_output_folder(project, monkeypatch):
    monkeypatch.chdir(project)
    before = {p: p.stat().st_mtime_ns for p in project.rglob("*")}
    lines: list[str] = []
    port = free_port()

    def batches():
        # The first build is done when the first batch is asked for.
        assert get(port, f"/{SLUG}/slides")[0] == 200
        assert get(port, f"/{SLUG}/files/{PICTURE}")[0] == 200
        yield from ()

    options = Options(out_dir=project / "output", templates=TEMPLATES, outputs=("article", "page", "post"), jobs=1)
    assert serve([], options, "127.0.0.1", port, echo=lines.append, batches=batches()) == 0
    assert f"Serving http://127.0.0.1:{port}/" in lines and lines[-1] == "stopped serving"
    after = {p: p.stat().st_mtime_ns for p in project.rglob("*") if not p.is_relative_to(project / "output")}
    assert after == before
    assert sorted(p.name for p in (project / "output").iterdir() if not p.name.startswith(".")) == [
        f"{SLUG}.html", f"{SLUG}.linkedin.txt", f"{SLUG}.md"]


def test_a_stop_that_arrives_as_the_watch_starts_ends_the_preview_cleanly(project, monkeypatch):
    """SIGHUP inside an import that wraps it (see test_stop.SignalledWhileNamed), while the
    first batch is awaited: the preview still says it stopped, exit status 0."""
    from test_stop import define_a_class_while_signalled

    monkeypatch.chdir(project)
    lines: list[str] = []

    def batches():
        define_a_class_while_signalled()
        yield set()

    options = Options(out_dir=project / "output", templates=TEMPLATES, outputs=("article",), jobs=1)
    assert serve([], options, "127.0.0.1", free_port(), echo=lines.append, batches=batches()) == 0
    assert lines[-1] == "stopped serving"


def test_a_port_in_use_is_reported_with_exit_status_2(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        lines: list[str] = []
        status = serve([], Options(out_dir=project / "output"), "127.0.0.1", taken.getsockname()[1],
                       echo=lines.append, batches=iter(()))
    assert status == 2 and "cannot serve there" in lines[0] and "--port 0" in lines[0]


def test_a_talk_with_its_own_theme_is_previewed_in_it(project):
    source = project / "content" / SAMPLE.name
    source.write_text("theme: night\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    site = make_site(project)
    night = site._context(site.entries[SLUG].talk).theme
    assert night.colors != site.ctx.theme.colors
    assert f"background:#{night.colors['background']}" in site.document(SLUG, "slides")


def test_the_slides_view_has_the_masters_slide_size(project):
    # python-pptx's own template is a 4:3 master: the view showed its slides at 16:9.
    master = project / "master.pptx"
    Presentation().save(master)
    site = make_site(project)
    ctx = Context(TEMPLATES, load_theme(TEMPLATES / "theme.yaml", master=master), {}, lambda message: None)
    html = views.slides(site.entries[SLUG].talk, ctx, lambda path: path.name)
    sizes = set(re.findall(r'class="tp-slide[^"]*"[^>]* style="width:([\d.]+)pt;height:([\d.]+)pt', html))
    assert sizes == {("540", "405")}, sizes  # 720 x 540 pt at the view's scale of 0.75


def test_settle_waits_for_the_open_views_to_fetch_their_new_version(project):
    site = make_site(project)
    source = project / "content" / SAMPLE.name
    with site.watching(SLUG, "slides"):
        site.update([source])
        start = time.monotonic()
        site.settle([source], timeout=0.3)
        assert time.monotonic() - start >= 0.3  # the browser has not fetched the new version
        site.document(SLUG, "slides")
        start = time.monotonic()
        site.settle([source], timeout=5)
        assert time.monotonic() - start < 1  # it has


# ---------------------------------------------------------------- properties

from hypothesis import given, strategies as st  # noqa: E402

PATH_TEXT = st.lists(st.sampled_from(list("/.%2eEfF5c0a\\x:é") + ["%2e", "%2f", "%5c", "%00", "%ff", ".."]),
                     max_size=30).map(lambda pieces: "/" + "".join(pieces))


@given(PATH_TEXT)
def test_segments_never_give_a_part_that_could_leave_a_folder(raw):
    parts = segments(raw)
    if parts is not None:
        for part in parts:
            assert part and not part.startswith(".") and "/" not in part and "\\" not in part
            assert all(ord(c) >= 32 for c in part)
        root = Path("/srv/root")
        assert (root.joinpath(*parts)).resolve().is_relative_to(root) or not parts


@given(st.lists(st.sampled_from(["a", "b", " ", "\n", "word "]), max_size=200).map("".join))
def test_see_more_shows_at_most_three_lines_and_210_characters(text):
    cut = views.see_more(text)
    assert 0 <= cut <= len(text)
    assert cut == len(text) or cut <= views.SEE_MORE_CHARS
    assert text[:cut].count("\n") < views.SEE_MORE_LINES


def test_a_broken_preview_template_is_named_not_a_dropped_connection(project):
    templates = project / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "preview-chrome.html.j2").write_text("{% if %}\n", encoding="utf-8")
    options = Options(out_dir=project / "output", templates=templates, outputs=("page",))
    site = Site(options, lambda: [project / "content" / SAMPLE.name], echo=lambda line: None)
    site.update([project / "content" / SAMPLE.name])
    server = PreviewServer("127.0.0.1", 0, site)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        status, body, _ = get(server.port, f"/{SLUG}/slides")
    finally:
        server.shutdown()
        server.server_close()
    assert status == 500 and "preview-chrome.html.j2:1: template:" in body


def test_an_edited_picture_gets_a_new_address_so_no_browser_shows_it_stale(project):
    site = make_site(project)
    source = project / "content" / SAMPLE.name

    def address() -> str:
        return re.search(rf'src="(/{SLUG}/files/{PICTURE}\?v=[0-9a-f]+)"', site.document(SLUG, "slides"))[1]

    before = address()
    picture = project / "content" / PICTURE
    os.utime(picture, ns=(picture.stat().st_atime_ns, picture.stat().st_mtime_ns + 10**9))
    site.update([source])  # what a change in the content folder rebuilds: every talk
    assert address() != before


def test_a_deleted_talk_leaves_the_list(project):
    site = make_site(project)
    source = project / "content" / SAMPLE.name
    source.unlink()
    site.forget([source])
    assert site.version_of(SLUG) == -1 and SLUG not in site.index()
