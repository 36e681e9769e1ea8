"""The code part in every output: a talk with three listings (Python with tabs and an
emphasised pair of lines, SQL, a Rust listing too long for one slide) builds the deck, the
article, the page, the handout, the slides PDF and the carousel, and each carries the code."""

from __future__ import annotations

import html as html_lib
import re
import subprocess
from pathlib import Path

import pytest

from triptych import parity
from triptych.loader import load
from triptych.theme import load_theme
from triptych.writers import Context, article, handout, page
from tests.conftest import ROOT, TEMPLATES, require_tool

TALK = Path(__file__).parent / "fixtures" / "code" / "retrieval-in-three-languages.yaml"


def context(**options) -> Context:
    return Context(TEMPLATES, load_theme(TEMPLATES / "theme.yaml"), options, lambda message: None)


@pytest.fixture(scope="module")
def talk():
    return load(TALK)


def test_the_article_fences_each_listing_with_its_language_and_caption(talk, tmp_path):
    text = article.render(talk, context(out_dir=str(tmp_path))).decode()
    python = talk.sections[1].code.text
    assert f"```python\n{python}\n```\n\n*Top-k retrieval with a heap*\n" in text  # tabs kept, byte for byte
    assert "```sql\nSELECT d.id" in text and "*Let the database rank*" in text
    assert "```rust\nuse std::cmp::Reverse;\nuse std::collections::BinaryHeap;\n\npub fn" in text
    # The listing follows the section's prose and comes before its points.
    assert text.index("never sorts the whole corpus") < text.index("```python") < text.index("- A heap keeps")
    path = tmp_path / "listings.md"
    path.write_bytes(text.encode())
    lint = subprocess.run([require_tool("markdownlint-cli2"), "--config",
                           str(ROOT / ".markdownlint-cli2.jsonc"), str(path)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_blank_lines_inside_a_fence_are_the_listings_own(write_content, tmp_path):
    path = write_content('''
title: T
author: A
sections:
  - title: S
    code:
      lang: python
      text: |
        import os


        def f():
            pass
''')
    text = article.render(load(path), context(out_dir=str(tmp_path))).decode()
    assert "```python\nimport os\n\n\ndef f():\n    pass\n```" in text
    assert "\n\n\n" not in text.replace("import os\n\n\ndef", "")  # elsewhere, one blank line between blocks
    assert article.fold_blanks("a\n\n\n\nb\n````\nx\n\n\ny\n```\n\n\nz\n````\n\n\nc") == \
        "a\n\nb\n````\nx\n\n\ny\n```\n\n\nz\n````\n\nc"


def test_the_page_highlights_each_listing_with_its_caption(talk):
    html = page.render(talk, context()).decode()
    blocks = re.findall(r'<figure class="code">\s*<pre><code class="language-(\w+)">(.*?)</code></pre>\s*'
                        r'(?:<figcaption>(.*?)</figcaption>)?', html, re.S)
    assert [(lang, caption) for lang, _code, caption in blocks] == [
        ("python", "Top-k retrieval with a heap"), ("sql", "Let the database rank"), ("rust", "")]
    python = blocks[0][1]
    assert '<span class="hl-k">def</span>' in python and "\t<span" in python  # coloured; the tab kept
    lines = python.split("\n")
    assert len(lines) == len(talk.sections[1].code.lines)
    assert lines[4].startswith('<span class="hl-em">') and lines[5].startswith('<span class="hl-em">')
    assert lines[0].startswith('<span class="hl-dim">') and lines[1] == ""  # a blank line stays blank
    assert "hl-em" not in blocks[1][1] and "hl-dim" not in blocks[1][1]  # nothing emphasised in the SQL
    for (_lang, code, _caption), section in zip(blocks, (talk.sections[1], talk.sections[2], talk.sections[3])):
        assert html_lib.unescape(re.sub(r"<[^>]+>", "", code)) == section.code.text  # every character, as typed


def test_the_handouts_cards_show_each_listing_as_its_slides_do(talk):
    """The handout's cards are the deck's slides: the listing is there, highlighted, with
    its caption, once (the prose does not repeat it)."""
    html = handout.html(talk, context())
    assert len(re.findall(r'<pre class="tp-box tp-code-block[^"]*"', html)) == 4  # Python, SQL, Rust over two
    assert "Top-k retrieval with a heap" in html and "Let the database rank" in html
    assert html.count("Return the k documents that score best") == 1 and '<figure class="code">' not in html


def test_content_in_a_listing_is_text_never_markup(write_content):
    path = write_content('''
title: T
author: A
sections:
  - title: S
    code: {lang: html, caption: "<b>x</b>", text: "<script>alert(1)</script> **not bold**"}
''')
    talk = load(path)
    for html in (page.render(talk, context()).decode(), handout.html(talk, context())):
        assert "<script>" not in html and "<b>x</b>" not in html and "&lt;script&gt;" in html
        assert "**not bold**" in html


def test_the_carousel_gives_each_listing_pages_of_its_own_in_large_type(talk):
    from triptych.slides import carousel as pages
    from triptych.slides.shapes import CodeText

    laid = pages.lay_out(talk, context())
    code_pages = [p for p in laid if p.layout == "code"]
    assert [p.section.index for p in code_pages][:3] == [1, 2, 3] and len(code_pages) >= 4  # the Rust continues
    width, height = pages.page_size(context())
    rows = []
    for page in code_pages:
        shapes = [s for s in page.shapes if isinstance(s, CodeText)]
        assert len(shapes) == 1 and not any(s.name == "Content" for s in page.shapes if hasattr(s, "name"))
        box = shapes[0].box
        assert box.x >= 0 and box.x + box.w <= width and box.bottom <= height - 60
        assert all(p.size >= pages.MIN_TEXT for p in shapes[0].paras)
        rows += ["".join(s.text for s in p.spans) for p in shapes[0].paras]
    continued = [r for r in rows if "\u21b3" in r]
    assert continued  # 32 px on a phone: the longer lines wrap, marked
    assert code_pages[-1].title.paras[0].text.startswith("Where latency matters (")


def test_a_listing_holding_fences_cannot_end_its_own_fence(write_content, tmp_path):
    path = write_content('''
title: T
author: A
sections:
  - title: S
    code:
      lang: markdown
      text: |
        ```python
        print("inside")
        ```
        ## not a heading of the article
''')
    text = article.render(load(path), context(out_dir=str(tmp_path))).decode()
    assert "````markdown\n```python\nprint(\"inside\")\n```\n## not a heading of the article\n````" in text
    assert "\n## not a heading" not in text.split("````")[0] + text.split("````")[-1]
    import markdown

    html = markdown.markdown(text, extensions=["fenced_code"])  # as MkDocs and Pelican read it
    assert "<h2>not a heading" not in html and "## not a heading of the article" in html


OUTPUTS = ("deck", "article", "page", "handout", "slides", "carousel")


@pytest.fixture(scope="module")
def written(talk, tmp_path_factory):
    from triptych.writers import output, writer

    out = tmp_path_factory.mktemp("listings")
    paths = {}
    for name in OUTPUTS:
        path = out / f"talk{output(name).suffix}"
        path.write_bytes(writer(name).render(talk, context(out_dir=str(out))))
        paths[name] = path
    return paths


@pytest.mark.parametrize("name", OUTPUTS)
def test_parity_finds_every_line_of_every_listing(talk, written, name):
    check = parity.check_output(talk, name, written[name])
    assert check.problems == []
    code = [p for p in parity.expected(talk, name) if ".code." in p.field]
    listed = sum(1 for s in talk.sections if s.code for line in s.code.lines if line.strip())
    assert len([p for p in code if p.field.endswith(".text")]) == listed
    assert len([p for p in code if p.field.endswith(".caption")]) == 2


@pytest.mark.parametrize("name", OUTPUTS)
def test_a_line_missing_from_an_output_is_reported_with_its_place(talk, written, name):
    from dataclasses import replace

    section = talk.sections[1]
    lines = list(section.code.lines)
    lines.insert(3, "    never_written_anywhere(42)")
    changed = replace(talk, sections=(talk.sections[0], replace(section, code=replace(section.code, text="\n".join(
        lines))), *talk.sections[2:]))
    problems = parity.check_output(changed, name, written[name]).problems
    assert [p.field for p in problems] == ["sections[1].code.text"]
    assert 'line 4 of 11: "never_written_anywhere(42)"' in problems[0].message


def test_a_wrapped_line_reads_whole_through_its_continuation_mark(talk, written):
    from triptych.writers import deck

    text = deck.read_text(written["deck"])
    assert "\u21b3 len(doc.terms))" in text  # the Python listing's long line wraps on its slide
    assert parity.find(parity.normalise("return sum(doc.weights.get(term, 0.0) for term in query.terms) / (1 + "
                                        "len(doc.terms))"), parity.normalise(text))
