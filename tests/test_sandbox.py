"""The handout's URL sandbox: one test per refused kind of URL, the served ones, and the
wiring into WeasyPrint (a refusal stops rendering even though WeasyPrint swallows every
ordinary exception a fetcher raises)."""

from __future__ import annotations

import base64
import http.server
import os
import threading
from pathlib import Path

import pytest

from triptych.errors import ContentError
from triptych.sandbox import Refused, Sandbox


@pytest.fixture
def tree(tmp_path):
    """content/ (allowed, with an image), templates/ (allowed), secret.txt (outside)."""
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    (content / "images" / "pic.png").write_bytes(b"\x89PNG fake")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "extra.css").write_text("p { color: red }")
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    return content, templates, secret


def sandbox(tree) -> Sandbox:
    content, templates, _ = tree
    return Sandbox("content/talk.yaml", (content, templates))


def refused(box: Sandbox, url: str) -> str:
    with pytest.raises(Refused):
        box.open(url)
    problem = box.problems[-1]
    assert (problem.path, problem.line, problem.field) == ("content/talk.yaml", 0, "handout")
    assert problem.message.startswith("refused to fetch ")
    return problem.message


# -- served ------------------------------------------------------------------------------

def test_serves_a_file_inside_the_content_folder(tree):
    content, _, _ = tree
    resource = sandbox(tree).open((content / "images" / "pic.png").as_uri())
    assert resource.data == b"\x89PNG fake" and resource.mime_type == "image/png"


def test_serves_a_file_inside_the_templates_folder(tree):
    _, templates, _ = tree
    resource = sandbox(tree).open((templates / "extra.css").as_uri() + "?v=1#top")
    assert resource.data == b"p { color: red }" and resource.mime_type == "text/css"


@pytest.mark.parametrize("url, data, mime", [
    ("data:text/plain,hello%20world", b"hello world", "text/plain"),
    ("data:image/png;base64," + base64.b64encode(b"\x89PNG").decode(), b"\x89PNG", "image/png"),
    ("data:,", b"", "text/plain"),
])
def test_serves_data_urls(tree, url, data, mime):
    resource = sandbox(tree).open(url)
    assert (resource.data, resource.mime_type) == (data, mime)


# -- refused -----------------------------------------------------------------------------

def test_refuses_a_file_outside_the_allowed_folders(tree):
    _, _, secret = tree
    assert "is outside" in refused(sandbox(tree), secret.as_uri())


def test_refuses_system_files(tree):
    assert "is outside" in refused(sandbox(tree), "file:///etc/passwd")


def test_refuses_dot_dot_escapes(tree):
    content, _, _ = tree
    box = sandbox(tree)
    assert "is outside" in refused(box, content.as_uri() + "/images/../../secret.txt")
    assert "is outside" in refused(box, content.as_uri() + "/%2e%2e/secret.txt")


def test_refuses_a_symlink_that_points_out(tree):
    content, _, secret = tree
    link = content / "images" / "innocent.png"
    os.symlink(secret, link)
    assert "is outside" in refused(sandbox(tree), link.as_uri())


def test_refuses_a_symlinked_folder_that_points_out(tree, tmp_path):
    content, _, _ = tree
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.png").write_bytes(b"x")
    os.symlink(elsewhere, content / "linked")
    assert "is outside" in refused(sandbox(tree), (content / "linked" / "x.png").as_uri())


def test_refuses_file_urls_on_another_host(tree):
    assert "another host" in refused(sandbox(tree), "file://fileserver/share/x.png")


def test_refuses_a_missing_file_and_a_folder_inside(tree):
    content, _, _ = tree
    box = sandbox(tree)
    assert "is not a file" in refused(box, (content / "nope.png").as_uri())
    assert "is not a file" in refused(box, (content / "images").as_uri())


@pytest.mark.parametrize("url, scheme", [
    ("http://127.0.0.1:9/x.png", "http"),
    ("https://example.org/x.png", "https"),
    ("ftp://example.org/x.png", "ftp"),
    ("gopher://example.org/x", "gopher"),
    ("javascript:alert(1)", "javascript"),
])
def test_refuses_network_and_other_schemes(tree, url, scheme):
    assert f"not {scheme}: URLs" in refused(sandbox(tree), url)


def test_refuses_relative_and_malformed_urls(tree):
    box = sandbox(tree)
    assert "only files inside" in refused(box, "images/pic.png")
    assert "malformed data: URL" in refused(box, "data:text/plain")


def test_every_refusal_is_kept_for_the_error(tree):
    box = sandbox(tree)
    for url in ("http://a/", "file:///etc/passwd"):
        with pytest.raises(Refused):
            box.open(url)
    error = box.error()
    assert isinstance(error, ContentError) and len(error.problems) == 2
    assert str(error).splitlines()[0] == "content/talk.yaml: handout: refused to fetch 'http://a/': " \
        "only files inside " + " and ".join(str(r) for r in box.roots) + " and data: URLs may be used, not http: URLs"


# -- through WeasyPrint ------------------------------------------------------------------

@pytest.fixture
def server():
    """A local HTTP server that records every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(b"\x89PNG")

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()
    httpd.server_close()


def render(box: Sandbox, html: str, base: Path) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=box.fetcher()).write_pdf()


def fatal():
    from weasyprint.urls import FatalURLFetchingError

    return pytest.raises(FatalURLFetchingError)


def test_weasyprint_never_requests_an_http_image(tree, server):
    url, hits = server
    content, _, _ = tree
    box = sandbox(tree)
    with fatal():
        render(box, f'<p>x</p><img src="{url}/pic.png" alt="a">', content)
    assert hits == []
    assert "not http: URLs" in box.problems[0].message


@pytest.mark.parametrize("document", [
    '<link rel="attachment" href="{secret}"><p>x</p>',
    '<p><a rel="attachment" href="../secret.txt">the file</a></p>',
    '<style>@import url("{secret}");</style><p>x</p>',
], ids=["link-attachment", "anchor-attachment", "stylesheet-import"])
def test_weasyprint_never_reads_a_file_outside(tree, document):
    content, _, secret = tree
    box = sandbox(tree)
    with fatal():
        render(box, document.format(secret=secret.as_uri()), content)
    assert "is outside" in box.problems[0].message


def test_weasyprint_gets_an_allowed_image(tree):
    content, _, _ = tree
    png = Path(__file__).resolve().parent.parent / "content" / "images" / "llms-in-foundation-models.png"
    (content / "images" / "real.png").write_bytes(png.read_bytes())
    box = sandbox(tree)
    pdf = render(box, '<img src="images/real.png" alt="a diagram">', content)
    assert box.problems == [] and b"/Image" in pdf
