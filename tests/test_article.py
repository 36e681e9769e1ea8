"""The article (output/<slug>.md): golden text of the sample, markdownlint, structure
re-parsed by CommonMark and Python-Markdown for hostile content, platform warnings,
front matter.

Regenerate the golden text after an intended change:

    TRIPTYCH_REGEN=1 python -m pytest -k golden

and review the diff of tests/golden/article/ before committing it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given, settings, strategies as st
from markdown_it import MarkdownIt

from triptych import markup
from triptych.loader import load
from triptych.model import Author, Column, Credit, Point, Quote, Section, Table, Talk
from triptych.pipeline import Options, build
from triptych.theme import load_theme
from triptych.writers import Context
from triptych.writers import article, deck

from conftest import ROOT, SAMPLE, TEMPLATES, require_tool

GOLDEN = ROOT / "tests" / "golden" / "article" / "llms-vs-foundation-models.md"
THEME = load_theme(TEMPLATES / "theme.yaml")


def context(warnings=None, **options) -> Context:
    options.setdefault("out_dir", ROOT / "output")
    return Context(TEMPLATES, THEME, options, (warnings.append if warnings is not None else lambda m: None))


@pytest.fixture(scope="module")
def sample():
    return load(SAMPLE)


@pytest.fixture(scope="module")
def sample_md(sample) -> str:
    return article.render(sample, context()).decode("utf-8")


def test_golden_sample_article(sample_md):
    if os.environ.get("TRIPTYCH_REGEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(sample_md, encoding="utf-8")
    assert sample_md == GOLDEN.read_text(encoding="utf-8"), \
        "article changed; if intended: TRIPTYCH_REGEN=1 python -m pytest -k golden"


def test_render_is_deterministic(sample, sample_md):
    assert article.render(sample, context()).decode() == sample_md


def headings(tokens, level):
    return [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == level]


def test_sample_structure(sample, sample_md):
    tokens = MarkdownIt("commonmark").parse(sample_md)
    assert headings(tokens, "h1") == [sample.title]
    assert [markup.to_plain(t) for t in headings(tokens, "h2")] == \
        [markup.to_plain(s.title) for s in sample.sections_in("article")]
    assert not [t for t in tokens if t.type.startswith("html")]
    assert not [t for t in tokens if t.type == "heading_open" and t.tag not in ("h1", "h2", "h3")]
    lines = sample_md.splitlines()
    # byline, lead, table rows naming each column, quote with attribution, image, hashtags
    assert "By Ibby Rahmani, Product marketer, author and advisor in data and AI · 28 November 2026" in lines
    assert "- **Aspect**: Scope; **LLMs**: Language: understanding and generating text; " \
           "**Foundation models**: General purpose, across many domains" in lines
    assert "> — Ibby Rahmani" in lines
    assert any(line.startswith("![Diagram of a large rounded box") and
               line.endswith("](../content/images/llms-in-foundation-models.png)") for line in lines)
    assert lines[-1] == "\\#FoundationModel \\#LLMs \\#GenAI \\#MachineLearning \\#AI"
    assert "notes" not in sample_md.lower() or "Picture a big box" not in sample_md  # notes stay out


def test_read_text_is_what_a_reader_sees(sample, tmp_path, sample_md):
    path = tmp_path / "a.md"
    path.write_text(sample_md, encoding="utf-8")
    text = article.read_text(path)
    assert text.splitlines()[0] == sample.title
    assert "**" not in text and "\\#" not in text and "#FoundationModel" in text
    assert "Aspect: Scope; LLMs: Language: understanding and generating text" in text


def lint(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    tool = require_tool("markdownlint-cli2")
    path = tmp_path / "article.md"
    path.write_text(text, encoding="utf-8")
    return subprocess.run([tool, "--config", str(ROOT / ".markdownlint-cli2.jsonc"), str(path)],
                          capture_output=True, text=True, cwd=tmp_path)


def test_markdownlint_passes_on_sample_and_hostile_article(tmp_path, sample_md, sample):
    result = lint(tmp_path, sample_md)
    assert result.returncode == 0, result.stdout + result.stderr
    with_fm = article.render(sample, context(front_matter=True)).decode()
    result = lint(tmp_path, with_fm)
    assert result.returncode == 0, result.stdout + result.stderr
    result = lint(tmp_path, article.render(hostile_talk(tmp_path), context()).decode())
    assert result.returncode == 0, result.stdout + result.stderr


def test_markdownlint_config_is_used(tmp_path):
    # Proves the lint test can fail: a pipe table and a skipped heading level are reported.
    result = lint(tmp_path, "# T\n\n### Skipped\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<b>html</b>\n")
    assert result.returncode != 0 and "MD001" in result.stdout + result.stderr


HOSTILE_TEXTS = ["# Heading? | pipes | <b>tags</b> [x] `tick` *star* _under_ > quote",
                 "1. numbered", "- dash", "=== equals", "<me@example.org>", "\\* back", "Ship it!", "Why now:"]


def hostile_talk(base: Path, title: str = HOSTILE_TEXTS[0], titles=HOSTILE_TEXTS, points=HOSTILE_TEXTS) -> Talk:
    sections = tuple(
        Section(index=i, title=t, id=f"s{i}",
                body=f"{t}\n---\n\n# {t}\n\n- item {t}",
                points=tuple(Point(p, (Point(p),) if k == 0 else (), f"sections[{i}].points[{k}]")
                             for k, p in enumerate(points)),
                table=Table((t, "B"), tuple((t, p) for p in points), t),
                compare=(Column(t, (Point(t),)), Column("Other", (Point(t),))),
                quote=Quote(f"{t}\n\n{t}", t))
        for i, t in enumerate(titles))
    return Talk(path="hostile.yaml", base_dir=base, slug="hostile", title=title, subtitle=title,
                author=Author(title, role=title), sections=sections, tags=("a#b", "c*d"),
                source=Credit(title, title, "https://example.org/(x)"), summary=f"{title}\n\n- {title}",
                canonical_url="https://example.org/a_b")


def structure(md: str, parser: str) -> dict:
    """Headings and top-level list items as each parser sees them."""
    if parser == "python-markdown":
        html = markdown.markdown(md)
    else:
        html = MarkdownIt("commonmark" if parser == "commonmark" else "default").render(md)
    from html.parser import HTMLParser

    found = {"h1": [], "h2": [], "deep": 0, "html": "<b>" in html or "<script" in html, "table": "<table" in html}

    class P(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.stack, self.text = [], None

        def handle_starttag(self, tag, attrs):
            if tag in ("h1", "h2"):
                self.text = []
            if tag in ("h4", "h5", "h6"):
                found["deep"] += 1
            self.stack.append(tag)

        def handle_endtag(self, tag):
            if tag in ("h1", "h2") and self.text is not None:
                found[tag].append(" ".join("".join(self.text).split()))
                self.text = None
            if self.stack:
                self.stack.pop()

        def handle_data(self, data):
            if self.text is not None:
                self.text.append(data)

    P().feed(html)
    return found


FRAGMENTS = st.sampled_from(["#", "*", "_", "|", "[", "]", "<", ">", "`", "\\", "-", "1.", "=", " ", "a", "Z", "&amp;",
                             "](https://x.y)", "<b>"])
HOSTILE = st.lists(FRAGMENTS, min_size=1, max_size=10).map("".join).map(str.strip).filter(
    lambda s: s and not markup.problems(s, inline=True))  # only text the loader lets through


@pytest.mark.parametrize("parser", ["commonmark", "gfm-like", "python-markdown"])
@settings(max_examples=40, deadline=None)
@given(title=HOSTILE, titles=st.lists(HOSTILE, min_size=1, max_size=3), points=st.lists(HOSTILE, min_size=1, max_size=3))
def test_property_content_cannot_change_structure(tmp_path_factory, parser, title, titles, points):
    talk = hostile_talk(tmp_path_factory.getbasetemp(), title, titles, points)
    md = article.render(talk, context()).decode()
    found = structure(md, parser)
    assert found["h1"] == [" ".join(title.split())]
    assert found["h2"] == [" ".join(markup.to_plain(t).split()) for t in titles]
    assert found["deep"] == 0 and not found["html"] and not found["table"]
    tokens = MarkdownIt("commonmark").parse(md)
    items = [t for t in tokens if t.type == "list_item_open"]
    # per section: points + 1 sub-point, table rows, 2 compare items; plus the list items
    # markup finds in the prose fields (a body line "- #" is an item holding an empty heading, a quote "* *" an item "*")
    prose = [talk.summary] + [s.body for s in talk.sections] + [s.quote.text for s in talk.sections]
    in_prose = sum(1 for text in prose for li in markup.block_tree(text).iter("li") if "".join(li.itertext()).strip())
    assert len(items) == len(titles) * (len(points) + 1 + len(points) + 2) + in_prose


def test_warnings_for_platform_limits(tmp_path):
    warnings: list[str] = []
    talk = Talk(path="content/x.yaml", base_dir=tmp_path, slug="x", title="T" * 101, author=Author("A"),
                sections=(Section(0, "S", "s"),), tags=("a", "b", "c", "d", "e", "f", "x" * 26),
                lines={"title": 1, "tags": 4, "tags[6]": 4})
    article.render(talk, context(warnings))
    assert warnings == [
        "content/x.yaml:1: title: is 101 characters; Medium ignores titles over 100",
        "content/x.yaml:4: tags: has 7 tags; Medium takes 5, so the article uses a, b, c, d, e",
        f"content/x.yaml:4: tags[6]: '{'x' * 26}' is 26 characters; Medium tags hold at most 25",
    ]
    warnings.clear()
    article.render(Talk(path="c.yaml", base_dir=tmp_path, slug="c", title="T" * 100, author=Author("A"),
                        sections=(Section(0, "S", "s"),), tags=("a" * 25,) * 5), context(warnings))
    assert warnings == []


def test_the_loaders_notices_are_the_builds_warnings(write_content):
    # The article's warnings are what a build prints (and replays when nothing changed).
    warnings: list[str] = []
    path = write_content("title: T\nauthor: A\nsections:\n  - title: S\n    points:\n      - one\n       - two\n")
    article.render(load(path), context(warnings))
    assert len(warnings) == 1 and warnings[0].startswith(f"{path}:7: sections[0].points[0]: this line starts with")


def test_front_matter_is_off_by_default_and_valid_yaml_when_on(sample, sample_md):
    assert sample_md.startswith("# ")
    with_fm = article.render(sample, context(front_matter=True)).decode()
    head, _, rest = with_fm[4:].partition("\n---\n")
    data = yaml.safe_load(head)
    assert data["title"] == sample.title and data["date"].isoformat() == "2026-11-28"
    assert data["tags"] == list(sample.tags[:5]) and data["author"] == "Ibby Rahmani"
    assert rest.lstrip("\n") == sample_md
    assert article.read_text_of(with_fm) == article.read_text_of(sample_md)


def test_image_reference_is_relative_to_the_output_folder(sample, tmp_path):
    md = article.render(sample, context(out_dir=ROOT / "build" / "site")).decode()
    assert "](../../content/images/llms-in-foundation-models.png)" in md


def test_only_hides_sections_and_notes_never_appear(write_content, tmp_path):
    path = write_content("""
        title: A small talk
        author: {name: Ada Lovelace}
        sections:
          - title: Shown
            points: [One]
            notes: Secret speaker notes
          - title: Deck only
            only: [deck]
            points: [Hidden point]
        """)
    md = article.render(load(path), context(out_dir=tmp_path)).decode()
    assert "## Shown" in md and "Deck only" not in md and "Hidden point" not in md and "Secret" not in md


def test_a_section_of_notes_alone_is_not_an_empty_heading_for_readers(write_content, tmp_path):
    # Its title was an H2 with nothing under it in the article and the page; the deck
    # (a section slide) and the handout (its talking points) keep it.
    path = write_content("""
        title: A small talk
        author: {name: Ada Lovelace}
        sections:
          - title: Shown
            points: [One]
          - title: A pause
            notes: Breathe, then ask a question.
        """)
    report = build([path], Options(out_dir=tmp_path / "output", outputs=["deck", "article", "page", "post"], jobs=1))
    assert report.exit_status == 0  # the parity check expects the title where it is shown
    out = tmp_path / "output"
    assert "## Shown" in (out / "talk.md").read_text() and "A pause" not in (out / "talk.md").read_text()
    assert "A pause" not in (out / "talk.html").read_text() and "A pause" not in (out / "talk.linkedin.txt").read_text()
    assert "A pause" in deck.read_text(out / "talk.pptx")
    assert [s.title for s in load(path).sections_in("handout")] == ["Shown", "A pause"]


def test_the_readme_lint_command_passes_on_a_fresh_build(tmp_path):
    # The README tells users to run this command in the repository after a build; the
    # output folder then holds its own README.md beside the articles.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = set(re.findall(r"`npx (markdownlint-cli2 [^`]+)`", readme))
    assert commands == {"markdownlint-cli2 output/*.md"}, commands
    tool = require_tool("markdownlint-cli2")
    shutil.copy(ROOT / ".markdownlint-cli2.jsonc", tmp_path)
    (tmp_path / "output").mkdir()
    shutil.copy(ROOT / "output" / "README.md", tmp_path / "output" / "README.md")
    report = build([SAMPLE], Options(out_dir=tmp_path / "output", outputs=["article"], jobs=1))
    assert report.exit_status == 0
    result = subprocess.run([tool, "output/*.md"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Linting: 2 files" in result.stdout  # the article and output/README.md
