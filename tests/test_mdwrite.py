"""mdwrite: content Markdown written back so that CommonMark (markdown-it-py, with and
without GFM tables) and Python-Markdown all show the same text and structure."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import assume, example, given, settings, strategies as st
from markdown_it import MarkdownIt

from triptych import markup, mdwrite
from triptych.htmltext import html_text

PARSERS = {
    "commonmark": MarkdownIt("commonmark").render,
    "gfm-like": MarkdownIt().render,  # markdown-it-py's default preset: tables, strikethrough
    # stock, not triptych's narrowed parser, with the fenced code every site generator built on it
    # enables (MkDocs, Pelican): the article writes code blocks fenced, as Medium and GitHub read them
    "python-markdown": lambda md: markdown.markdown(md, extensions=["fenced_code"]),
}


def words(text: str) -> str:
    return " ".join(text.split())


def shows(md: str) -> dict[str, str]:
    return {name: render(md) for name, render in PARSERS.items()}


@pytest.mark.parametrize("text", [
    "# not a heading", "a | b | c", "<script>alert(1)</script>", "<me@example.org>", "x <b>y</b>",
    "[not a link]", "[x](http://example.org) stays", "1. not a list", "- not a list", "+ no", "> no quote",
    "=== no", "~~~ no fence", "```no fence```", "*not emphasis", "snake_case_name", "back\\slash\\*",
    "&copy; and &#35; and R&D", "Ends with #", "100% ~ sure ~~", "!important",
])
def test_hostile_inline_text_shows_literally_and_stays_one_list_item(text):
    out = mdwrite.inline(text)
    for name, html in shows("- " + out + "\n").items():
        assert html.count("<li>") == 1, (name, out, html)
        assert "<h1" not in html and "<table" not in html and "<script" not in html and "<blockquote" not in html
        assert words(html_text(html)) == words(markup.to_plain(text)), (name, out)


@pytest.mark.parametrize("text, expected", [
    ("**GPT**, Generative", "**GPT**, Generative"),
    ("a *b* `c` [d](https://e.org/f g)", "a *b* `c` [d](https://e.org/f%20g)"),
    ("1986. A year", "1986\\. A year"),
    ("- dash", "\\- dash"),
    ("a | b", "a &#124; b"),
    ("<b>", "&lt;b>"),
    ("&amp;", "&amp;amp;"),
    ("``a`b``", "``a`b``"),
    ("`` `x` ``", "`` `x` ``"),
    ('**"x"**y', '"x"y'),  # CommonMark cannot bold this; the words stay
    ("[](https://e.org)", "[https://e.org](https://e.org)"),  # a link must show something
])
def test_inline_serialisation(text, expected):
    assert mdwrite.inline(text) == expected


def test_plain_escapes_and_guards_line_start():
    assert mdwrite.plain("#Tag") == "\\#Tag"
    assert mdwrite.plain("2. x") == "2\\. x"
    assert mdwrite.plain("2. x", start=False) == "2. x"


BODY = """\
First paragraph
continues here.  
After a hard break.

# A heading in a body

- one
- two
    - nested

1. first
2. second

> quoted *text*

    code <kept> & as typed

Title
---
"""


def test_block_keeps_structure_and_demotes_headings():
    out = mdwrite.block(BODY, heading_level=3)
    assert "### A heading in a body" in out and "### Title" in out
    assert "\n    - nested" in out and "1. first\n2. second" in out
    assert "> quoted *text*" in out
    assert "\n```\ncode <kept> & as typed\n```" in out  # fenced at the top level
    for name, html in shows(out).items():
        assert "<h1" not in html and "<h2" not in html, name
        assert html.count("<h3>") == 2, name
        assert html.count("<li>") == 5, name
        assert "<br" in html, name


def test_block_without_heading_level_makes_headings_paragraphs():
    out = mdwrite.block("# Heading\n\ntext")
    assert out == "Heading\n\ntext"


FRAGMENTS = st.sampled_from([
    "*", "**", "_", "`", "[", "]", "(https://a.b)", "](https://a.b)", " ", "a", "Z", "#", "<", ">", "\\",
    "!", "1.", "-", "+", "=", "&amp;", '"', ".", "~~", "|", "  ", "é",
])
HOSTILE = st.lists(FRAGMENTS, min_size=1, max_size=14).map("".join).filter(
    lambda s: s.strip() and not markup.problems(s, inline=True))  # only text the loader lets through
# (a link with no visible text is refused by the loader; mdwrite would show its URL)


@settings(max_examples=100, deadline=None)
@given(HOSTILE)
@example("\\![*](https://a.b)")  # "!" then a link: written "![", it read as an image
@example("*_***_*\\`***")  # a pair closing where the next opens: one run of "***" in CommonMark
def test_property_inline_means_the_same_everywhere(text):
    out = mdwrite.inline(text)
    want = words(markup.to_plain(text))
    for name, html in shows("- " + out + "\n").items():
        assert html.count("<li>") == 1, (name, out)
        assert words(html_text(html)) == want, (name, out)


@settings(max_examples=60, deadline=None)
@given(st.lists(HOSTILE, min_size=1, max_size=4).map("\n".join))
@example("*  #\n*")  # a lazy line after an (empty) heading in an item: the item's text was lost
@example("- ***\n*")  # a break in an item: written "- ---", one thematic break in CommonMark
@example("* *\n>*")  # a quote in an item: in a tight item Python-Markdown read "> *" as text
def test_property_block_text_survives_and_never_makes_headings(text):
    assume(not markup.problems(text, inline=False))  # joined lines can form a new (refused) link
    out = mdwrite.block(text)  # no heading level: headings become paragraphs
    want = words(" ".join(b.plain for b in markup.blocks(text)))
    for name, html in shows(out).items():
        assert "<h" not in html.replace("<hr", ""), (name, out)
        assert "<table" not in html, (name, out)
        assert words(html_text(html).replace("\n", " ")) == want, (name, text, out)


def test_fenced_code_is_written_fenced_with_its_language():
    text = 'Intro.\n\n```python\ndef f():\n\n    return "`"\n```\n\n```\n```js\nx\n```\n```````'
    out = mdwrite.block(text)
    assert '```python\ndef f():\n\n    return "`"\n```' in out
    assert "````\n```js\nx\n````" in out  # a longer fence around a listing holding one
    assert markup.blocks(out) == markup.blocks(text)
