"""The LinkedIn post (output/<slug>.linkedin.txt): plain text, a short first line from the
summary, key points, link, hashtags last, at most 3,000 characters cut at a sentence."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from conftest import SAMPLE, TEMPLATES
from triptych.loader import load
from triptych.model import Author, Point, Section, Talk
from triptych.schema import MAX_LINE
from triptych.theme import load_theme
from triptych.writers import Context, post

CTX = Context(TEMPLATES, load_theme(TEMPLATES / "theme.yaml"), {})
MARKDOWN = re.compile(r"\*\*|__|`|\]\(|^#{1,6} |^\s*[-*+] |^> ", re.MULTILINE)


def make(tmp_path, summary="", points=("A point.",), url="", tags=("AI",), title="A title") -> Talk:
    return Talk(path="x.yaml", base_dir=tmp_path, slug="x", title=title, author=Author("Ada"),
                sections=(Section(0, "S", "s", points=tuple(Point(p) for p in points)),),
                summary=summary, canonical_url=url, tags=tags)


def text_of(talk) -> str:
    return post.render(talk, CTX).decode("utf-8")


@pytest.fixture(scope="module")
def sample_post() -> str:
    return text_of(load(SAMPLE))


def test_sample_post(sample_post):
    lines = sample_post.splitlines()
    assert lines[0] == '"LLM" and "foundation model" are often used as if they meant the same thing.'
    assert "Key points:" in lines
    assert "• Built on the transformer architecture, which weighs words in context" in lines  # ** gone
    assert lines[-1] == "#FoundationModel #LLMs #GenAI #MachineLearning #AI"
    assert not MARKDOWN.search(sample_post)
    assert "Read the full article" not in sample_post  # the sample has no canonical_url


def test_link_line_when_canonical_url(tmp_path):
    text = text_of(make(tmp_path, "One. Two.", url="https://example.org/a_b"))
    assert "\nRead the full article: https://example.org/a_b\n\n#AI\n" in text


def test_a_links_address_follows_its_text(tmp_path):
    # LinkedIn shows plain text: "See [the docs](https://...)" became "See the docs." and the
    # reader of the post had no way to reach them.
    text = text_of(make(tmp_path, "Read [our guide](https://example.org/guide) first. Mail [me](mailto:a@b.org) "
                                  "or see <https://example.org>.\n\nAlso [this](https://example.org/two).",
                        points=("A [point with a link](https://example.org/p) here",)))
    assert text.splitlines()[:5] == [
        "Read our guide (https://example.org/guide) first.", "",
        "Mail me (a@b.org) or see https://example.org.", "",
        "Also this (https://example.org/two)."]
    assert "• A point with a link (https://example.org/p) here" in text


def test_long_first_sentence_is_cut_at_a_word(tmp_path):
    sentence = " ".join(["word"] * 60) + "."
    text = text_of(make(tmp_path, sentence))
    first, second = text.split("\n\n")[:2]
    assert len(first) <= post.FIRST_LINE_MAX and first.endswith("…") and not first.endswith(" …")
    assert second.startswith("…word")


def test_long_post_is_trimmed_at_a_sentence_boundary(tmp_path):
    sentences = [f"Sentence number {i} says something useful about the topic." for i in range(120)]
    points = [f"Point {i} **bold**" for i in range(5)]
    text = text_of(make(tmp_path, " ".join(sentences), points, url="https://example.org/x", tags=tuple("abcdefg")))
    assert len(text) <= post.POST_MAX
    assert text.endswith("Read the full article: https://example.org/x\n\n#a #b #c #d #e\n")
    body = text.split("\n\n")[1]
    assert body.endswith("the topic.") and body in " ".join(sentences)
    assert "Key points" not in text  # dropped first, before any sentence


def test_no_summary_opens_with_the_title(tmp_path):
    assert text_of(make(tmp_path, title="Why *this* matters")).startswith("Why *this* matters\n")


#: Whole words, each with its Markdown complete (a bold or code word is never cut in half, so
#: any ``**`` or backtick left in the post would be the post's doing, not the content's).
WORD = st.sampled_from(["alpha", "beta.", "**gamma**", "delta!", "`code`", "e.g.", "x" * 30, "“quoted.”"])
WORDS = st.lists(WORD, min_size=1, max_size=400).map(" ".join)
#: A point is one line of at most ``MAX_LINE`` characters: nine words of up to 30 characters.
POINT = st.lists(WORD, min_size=1, max_size=9).map(" ".join)
assert 9 * 31 <= MAX_LINE


@settings(max_examples=60, deadline=None)
@given(summary=WORDS, points=st.lists(POINT, min_size=1, max_size=5))
def test_property_post_limits(tmp_path_factory, summary, points):
    text = text_of(make(tmp_path_factory.getbasetemp(), summary, points, url="https://e.org"))
    assert len(text) <= post.POST_MAX
    assert len(text.splitlines()[0]) <= post.FIRST_LINE_MAX
    assert "**" not in text and "`" not in text
    assert text.endswith("Read the full article: https://e.org\n\n#AI\n")
