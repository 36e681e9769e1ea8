"""The one Markdown reading: what it renders, what it refuses, and that hostile text stays text.

Golden pairs in the style of Python-Markdown's ``assertMarkdownRenders``: input, then the
exact HTML every output builds on."""

from __future__ import annotations

import time

import pytest

from triptych import markup
from triptych.markup import Block, Span

INLINE = [
    ("**bold** _it_ `co<de>`", "<strong>bold</strong> <em>it</em> <code>co&lt;de&gt;</code>"),
    ("[site](https://example.org/a?b=1&c=2)", '<a href="https://example.org/a?b=1&amp;c=2">site</a>'),
    ("<https://example.org>", '<a href="https://example.org">https://example.org</a>'),
    # raw HTML, entities and email autolinks are literal text, escaped
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("<!-- hidden -->", "&lt;!-- hidden --&gt;"),
    ("&lt;b&gt; &amp; &#60;", "&amp;lt;b&amp;gt; &amp;amp; &amp;#60;"),
    ("<me@example.org>", "&lt;me@example.org&gt;"),
    ("<javascript:alert(1)>", "&lt;javascript:alert(1)&gt;"),
    # inline fields never become headings or lists
    ("# not a heading", "# not a heading"),
    ("1. not a list", "1. not a list"),
    # attribute values cannot break out of their quotes
    ('[x](https://a.org "t\\" onclick=\\"x")', '<a href="https://a.org" title="t\\&quot; onclick=\\&quot;x">x</a>'),
    ('<https://a.org/"onmouseover=x>', '<a href="https://a.org/&quot;onmouseover=x">https://a.org/"onmouseover=x</a>'),
]


@pytest.mark.parametrize("text, html", INLINE)
def test_inline_html(text, html):
    assert markup.to_html(text, inline=True) == html


BLOCK = [
    ("One\n\nTwo", "<p>One</p>\n<p>Two</p>"),
    ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
    ("<div>\n<script>x</script>\n</div>", "<p>&lt;div&gt;\n&lt;script&gt;x&lt;/script&gt;\n&lt;/div&gt;</p>"),
    ("<?php system('id') ?>", "<p>&lt;?php system('id') ?&gt;</p>"),
    ("    <script>", "<pre><code>&lt;script&gt;\n</code></pre>"),
]


@pytest.mark.parametrize("text, html", BLOCK)
def test_block_html(text, html):
    assert markup.to_html(text) == html


def test_plain_spans_and_blocks():
    assert markup.to_plain("**A** [b](https://x.org) `<c>`") == "A b <c>"
    assert markup.to_spans("a **b** [c](https://x.org)") == [
        Span("a "), Span("b", bold=True), Span(" "), Span("c", href="https://x.org")]
    assert markup.blocks("Para\n\n1. one\n    - sub\n\n> quoted") == [
        Block((Span("Para"),)), Block((Span("one"),), 1, True), Block((Span("sub"),), 2, False),
        Block((Span("quoted"),), 0, False, True)]
    assert markup.to_plain("One\n\n- two", inline=False) == "One\ntwo"
    assert markup.to_html("") == "" and markup.to_spans("") == [] and markup.blocks("") == []


TABLE = ("Markdown tables are not content Markdown (they would show as text full of '|'); "
         "use the section's table: field, or a list")


@pytest.mark.parametrize("text, inline, expected", [
    ("[x](javascript:alert(1))", True, ["link scheme 'javascript:' is not allowed; use http, https, mailto"]),
    ("[x](  JAVASCRIPT:alert(1))", True, ["link scheme 'javascript:' is not allowed; use http, https, mailto"]),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", True, ["link scheme 'data:' is not allowed; use http, https, mailto"]),
    ("[x](file:///etc/passwd)", True, ["link scheme 'file:' is not allowed; use http, https, mailto"]),
    ("<ftp://example.org>", True, ["link scheme 'ftp:' is not allowed; use http, https, mailto"]),
    ("[x](javascript&colon;alert(1))", True,
     ["link 'javascript&colon;alert(1)' is not a full URL; write http://, https:// or mailto:"]),
    ("[x](/etc/passwd)", True, ["link '/etc/passwd' is not a full URL; write http://, https:// or mailto:"]),
    ("![x](https://example.org/a.png)", True, ["Markdown images are not allowed here; use the section's image: field"]),
    # a GitHub table is a paragraph of '|' to content Markdown: the section's table: is the way
    ("Intro\n\n| a | b |\n| --- | :-: |\n| 1 | 2 |", False, [TABLE]),
    ("a | b\n--- | ---\n1 | 2", False, [TABLE]),
    ("```\n| a | b |\n|---|---|\n```\n\nx | y\n\n- a - b", False, []),  # in code, or no delimiter row: text
    ("[a]\n\n[a]: file:///etc/passwd", False, ["link scheme 'file:' is not allowed; use http, https, mailto"]),
    ("- [x](vbscript:msgbox)", False, ["link scheme 'vbscript:' is not allowed; use http, https, mailto"]),
    ("[x](https://a.org) [y](mailto:a@b.org) [z](HTTP://A.ORG)", True, []),
    ("[" * 501, True, ["has 501 '[' characters; at most 500 are allowed"]),
    ("[" * 300 + "a" * 600, False, ["has a paragraph with too many '[' for its length to read in reasonable time; "
                                    "split it into shorter paragraphs or remove stray '['"]),
    # the same brackets split into paragraphs cost less, and pass
    (("[" * 150 + "a" * 300 + "\n\n") * 2, False, []),
])
def test_problems(text, inline, expected):
    assert markup.problems(text, inline) == expected


def test_bracket_cost_is_per_paragraph():
    assert markup.bracket_cost("no brackets") == 0
    assert markup.bracket_cost("[[a") == 2 * 3
    assert markup.bracket_cost("[a\n\n[[b") == 1 * 2 + 2 * 3
    assert markup.bracket_cost("[a\n  \n[b") == 2 + 2  # a line of spaces still ends a paragraph


@pytest.mark.parametrize("text", [
    "[" * 4000, "![" * 2000, "[" * 499 + "a" * 19_000, "*" * 20_000, "_" * 20_000, "`" * 20_000,
    "<" * 20_000, "](" * 10_000, "\\" * 20_000, "[]()" * 5000, "[a](" + "(" * 19_990,
])
def test_problems_finishes_fast_on_pathological_text(text):
    start = time.process_time()
    found = markup.problems(text, inline=False)
    if not found:  # what passes the check must also render fast
        markup.to_html(text)
    assert time.process_time() - start < 3


def test_thread_local_parsers_do_not_mix():
    from concurrent.futures import ThreadPoolExecutor
    texts = [f"**{i}** [l{i}](https://x.org/{i})" for i in range(200)]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda t: markup.to_html(t, inline=True), texts))
    assert got == [markup.to_html(t, inline=True) for t in texts]


def test_markers_the_parser_cannot_pair_are_refused_not_leaked():
    # Python-Markdown itself leaves an internal placeholder ("\x02klzzwxh:0\x03") in its
    # output for this text; the outputs would carry it, so the loader refuses the field.
    text = "***_*_\n*\\**"
    assert "\x02" in markup.to_html(text)
    assert markup.problems(text, inline=False) == [
        "has '*' or '_' markers that Markdown cannot pair; escape the ones meant literally with a backslash (\\*, \\_)"]
    assert markup.problems("a *b* \\* and \\_c\\_", inline=False) == []


FENCED = 'Before.\n\n```python\ndef hello(name):\n\n    return f"<{name}> & co"\n```\n\nAfter.'


def test_fenced_code_is_a_code_block_kept_byte_for_byte():
    blocks = markup.blocks(FENCED)
    assert [b.pre for b in blocks] == [False, True, False]
    assert blocks[1].plain == 'def hello(name):\n\n    return f"<{name}> & co"'


def test_fenced_code_in_html_is_highlighted_and_escaped_once():
    html = markup.to_html(FENCED)
    assert '<pre><code class="language-python"><span class="hl-k">def</span>' in html
    assert "&lt;{</span>name<span" in html and "&amp; co" in html and "&amp;amp;" not in html
    assert "\n\n    <span class=\"hl-k\">return</span>" in html  # blank line and indent kept


def test_fenced_code_with_unknown_language_is_a_problem():
    assert markup.problems("```pyhton\nx = 1\n```", inline=False) == [
        "code block: unknown code language 'pyhton'; did you mean 'python' or 'python3' or 'python2'?"]
    assert markup.problems("```\nplain\n```", inline=False) == []


def test_tabs_in_fenced_code_are_kept():
    text = "```go\nfunc f() {\n\tif x {\n\t\treturn\n\t}\n}\n```\n\n- item\n\tcontinued"
    assert markup.blocks(text)[0].plain == "func f() {\n\tif x {\n\t\treturn\n\t}\n}"
    assert "\n\t\t<span" in markup.to_html(text)
    assert "\t" not in markup.blocks(text)[1].plain  # outside code, Markdown expands tabs


@pytest.mark.parametrize("text, expected", [
    ("One thing. Two things! Three things.\n\nA second paragraph.", "One thing. Two things!"),
    ("A **bold** claim with [a link](https://example.org). More.", "A bold claim with a link. More."),
    ("Short.", "Short."),
    ("", ""),
    ('He said "stop." Then left. Then came back.', 'He said "stop." Then left.'),
    ("First sentence. " + "x" * 300 + ".", "First sentence."),  # the second would pass the limit
    ("word " * 100, ("word " * 47).strip() + "..."),  # one endless sentence: cut at a word
])
def test_lead_is_the_first_sentences_of_the_first_paragraph_as_plain_text(text, expected):
    assert markup.lead(text) == expected
    assert len(markup.lead(text)) <= 240


def test_parsers_never_search_the_installed_distributions(monkeypatch):
    """Extensions are handed to Python-Markdown as classes: named by a string, each is
    first looked up among every installed distribution's entry points, a file read per
    distribution (a share of a build that has nothing to rebuild)."""
    from markdown import util

    from triptych import mdparse
    from triptych.writers import article

    def search():
        raise AssertionError("Python-Markdown searched the installed distributions for an extension")

    monkeypatch.setattr(util, "get_installed_extensions", search)
    for name in ("plain", "fenced"):  # a thread's first parsers
        monkeypatch.setattr(mdparse._local, name, None, raising=False)
    assert mdparse.block_tree("- a\n- b\n\n```python\nx = 1\n```").find("pre") is not None
    assert mdparse.document_tree("| a |\n|---|\n| b |\n").find("table") is not None
    assert "x = 1" in article.read_text_of("```python\nx = 1\n```\n")


def test_text_without_a_fence_never_loads_pygments():
    """Fenced code has a parser of its own, made for text that may hold a fence: its
    extension imports Pygments, which loading a talk without code (and so a rebuild that
    has nothing to do) never needs."""
    import subprocess
    import sys

    from conftest import ROOT

    probe = """if True:
        import sys
        from triptych import markup
        markup.blocks("A *body*.\\n\\n- one\\n- two\\n\\n    indented code")
        markup.problems("A *body* with [a link](https://example.org).", inline=False)
        markup.to_spans("**inline** `code` [a](https://example.org)")
        print("pygments" in sys.modules)
        markup.blocks("```python\\nx = 1\\n```")
        print("pygments" in sys.modules)
    """
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]


@pytest.mark.parametrize("text", [
    "A paragraph with `code`, **bold** and a [link](https://example.org).",
    "- one\n- two\n  - nested\n\n1. first\n2. second",
    "> a quote\n\n    indented code\n\tand a tab",
    "Two backticks `` ` `` and tildes ~~ are not fences.",
])
def test_both_parsers_read_text_without_a_fence_alike(text):
    """The parser without fenced code reads text that holds no fence as the one with it does."""
    from xml.etree.ElementTree import tostring

    from triptych import mdparse

    def tree(fenced: bool) -> bytes:
        md = mdparse._md(fenced)
        lines = text.split("\n")
        for pre in md.preprocessors:
            lines = pre.run(lines)
        return tostring(mdparse._run_tree(md, md.parser.parseDocument(lines).getroot()))

    assert not mdparse._may_fence(text)
    assert tree(False) == tree(True)


def test_linked_text_has_each_links_address_once_after_its_text():
    assert markup.linked(markup.to_spans("a [**bold** link](https://x.org/a) and [x](https://x.org/a)")) == \
        "a bold link (https://x.org/a) and x (https://x.org/a)"
    assert markup.linked(markup.to_spans("<https://x.org> or [mail](mailto:me@x.org)")) == \
        "https://x.org or mail (me@x.org)"
