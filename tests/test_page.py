"""The article as a standalone page (output/<slug>.html)."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from conftest import SAMPLE, TEMPLATES
from triptych import markup
from triptych.loader import load
from triptych.model import Author, Point, Section, Talk
from triptych.theme import load_theme
from triptych.writers import Context, page

THEME = load_theme(TEMPLATES / "theme.yaml")
CTX = Context(TEMPLATES, THEME, {})


@pytest.fixture(scope="module")
def sample():
    return load(SAMPLE)


@pytest.fixture(scope="module")
def html(sample) -> str:
    return page.render(sample, CTX).decode("utf-8")


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_semantic_standalone_page(html, sample):
    found = tags(html)
    names = [t for t, _ in found]
    assert found[0] == ("html", {"lang": "en"})
    assert names.count("h1") == 1 and names.count("h2") == len(sample.sections_in("article"))
    assert "article" in names and "section" in names and "figure" in names and "blockquote" in names
    assert "script" not in names and "table" not in names
    # nothing fetched: the only URLs are links and the embedded image
    srcs = [a.get("src") for t, a in found if t == "img"]
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert not [a for t, a in found if t == "link" and a.get("rel") == "stylesheet"]
    img = next(a for t, a in found if t == "img")
    assert img["alt"] == sample.sections[7].image.alt


def test_theme_colours_and_fonts_in_css(html):
    for colour in THEME.colors.values():
        assert f"#{colour}" in html
    assert 'font-family: "Calibri", "Carlito", "DejaVu Sans", sans-serif' in html


def test_read_text_has_the_article_words(html, sample, tmp_path):
    path = tmp_path / "p.html"
    path.write_text(html, encoding="utf-8")
    text = page.read_text(path)
    assert text.splitlines()[0] == sample.title  # <head> and <style> are not visible text
    for section in sample.sections_in("article"):
        assert markup.to_plain(section.title) in text
        for point in section.points:
            assert markup.to_plain(point.text) in text
    assert "Aspect: Scope; LLMs: Language: understanding and generating text" in text
    assert "— Ibby Rahmani" in text and "#FoundationModel #LLMs #GenAI #MachineLearning #AI" in text
    assert "Picture a big box" not in text  # speaker notes are not the article's


def test_hostile_text_is_escaped(tmp_path):
    evil = '<script>alert(1)</script> & "quotes" </style>'
    talk = Talk(path="x.yaml", base_dir=tmp_path, slug="x", title=evil, subtitle=evil, author=Author(evil, evil),
                sections=(Section(0, evil, "s", body=f"# {evil}\n\n{evil}", points=(Point(evil),)),), summary=evil,
                lang="pt-BR")
    html = page.render(talk, CTX).decode()
    assert "<script" not in html and html.count("</style>") == 1
    assert '<html lang="pt-BR">' in html
    names = [t for t, _ in tags(html)]
    assert names.count("h1") == 1 and names.count("h3") == 1  # the body's "# ..." is demoted
    path = tmp_path / "x.html"
    path.write_text(html, encoding="utf-8")
    assert page.read_text(path).count("<script>alert(1)</script> & \"quotes\"") >= 5


def test_css_family_cannot_escape_the_style_element():
    theme = replace(CTX.theme, fonts={**CTX.theme.fonts, "body": ('Cal"ibri', "</style><script>", "Cal\x01ibri")})
    value = theme.css_family("body")
    assert "</" not in value and value == '"Cal\\"ibri", "\\3c /style>\\3c script>", "Calibri", sans-serif'


def test_deterministic(sample, html):
    assert page.render(sample, CTX).decode() == html
    assert not re.search(r"/work/|/tmp/|\d{2}:\d{2}:\d{2}", html)


@pytest.mark.parametrize("lang, attr", [("ar", ' dir="rtl"'), ("he-IL", ' dir="rtl"'), ("en", "")])
def test_right_to_left_languages_set_the_page_direction(sample, lang, attr):
    html = page.render(replace(sample, lang=lang), CTX).decode("utf-8")
    assert f'<html lang="{lang}"{attr}>' in html


def test_a_tab_in_a_listing_advances_to_the_next_multiple_of_four_columns(write_content, tmp_path):
    # The browser counts tab stops in spaces of the <pre>'s own font: the page gave <pre> the
    # body's size and the default monospace, <code> another size, so '\t\tprint(i)\t# tab'
    # put the comment one column after print(i) instead of at column 20.
    from playwright.sync_api import sync_playwright

    from test_serve_browser import launch

    code = "def main():\n\tfor i in range(3):\n\t\tprint(i)\t# tab\n"
    body = "".join("      " + line + "\n" for line in code.splitlines())
    talk = load(write_content("title: T\nauthor: A\nsections:\n  - title: S\n    body: |\n      ```python\n"
                              + body + "      ```\n"))
    out = tmp_path / "page.html"
    out.write_bytes(page.render(talk, CTX))
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            view = browser.new_page()
            view.goto(out.as_uri())
            column = view.evaluate("""() => {
                const code = document.querySelector('pre code');
                const x = (node, at) => { const r = document.createRange(); r.setStart(node, at);
                                          r.setEnd(node, at + 1); return r.getBoundingClientRect().left; };
                const walk = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
                let first = null, hash = null, node;
                while ((node = walk.nextNode())) {
                    if (!first && node.data.startsWith('def')) first = [node, 0];
                    const at = node.data.indexOf('#');
                    if (at >= 0) hash = [node, at];
                }
                const r = document.createRange(); r.setStart(first[0], 0); r.setEnd(first[0], 3);
                const width = r.getBoundingClientRect().width / 3;
                return (x(...hash) - x(...first)) / width;
            }""")
        finally:
            browser.close()
    assert column == pytest.approx(20, abs=0.1)  # "\t\t" 8, "print(i)" 16, "\t" to 20
