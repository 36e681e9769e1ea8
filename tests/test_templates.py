"""templates/shared.j2: the words and pieces the output templates share.

A rewording is one template edit that reaches every output saying the word; content written
into a shared sentence is escaped by the template that writes it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from pptx import Presentation

from conftest import ROOT, SAMPLE, TEMPLATES
from triptych.errors import ContentError
from triptych.loader import load
from triptych.model import Author, Credit
from triptych.render import environment, say
from triptych.theme import load_theme
from triptych.writers import Context, article, deck, handout, page

OVERFLOW = ROOT / "tests" / "fixtures" / "deck" / "overflow.yaml"

THEME = load_theme(TEMPLATES / "theme.yaml")

#: Each shared sentence's English words, and a rewording of them.
REWORDED = {
    "By {{ caller(\"name\") }}": "Von {{ caller(\"name\") }}",
    "Based on {% call": "Nach {% call",
    " by {{ caller(\"author\") }}": " von {{ caller(\"author\") }}",
    "Originally published at {{": "Zuerst erschienen auf {{",
    '"November"': '"Novembre"',
    " ({{ number }}/{{ count }})": " [{{ number }}/{{ count }}]",
    "(Continues on the next slide.)": "(Weiter auf der nächsten Folie.)",
    "(Continued from the previous slide; this is part {{ number }} of {{ count }}.)":
        "(Fortsetzung, Teil {{ number }} von {{ count }}.)",
    " · {{ caller(\"author\") }}": " | {{ caller(\"author\") }}",
    "{{ number }}/{{ total }}": "{{ number }} von {{ total }}",
}


@pytest.fixture(scope="module")
def sample():
    talk = load(SAMPLE)
    # every optional part of the byline and credit present
    return replace(talk, canonical_url="https://example.com/post",
                   author=replace(talk.author, url="https://example.com/me"),
                   source=replace(talk.source, url="https://example.com/source"))


@pytest.fixture(scope="module")
def reworded(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("templates") / "templates"
    shutil.copytree(TEMPLATES, folder)
    shared = folder / "shared.j2"
    text = shared.read_text(encoding="utf-8")
    for old, new in REWORDED.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    shared.write_text(text, encoding="utf-8")
    return folder


def outputs(talk, templates: Path) -> dict[str, str]:
    ctx = Context(templates, THEME, {"out_dir": "output"})
    return {
        "article": article.render(talk, ctx).decode(),
        "page": page.render(talk, ctx).decode(),
        "handout": handout.html(talk, ctx),
    }


def test_a_rewording_in_shared_reaches_every_output(sample, reworded):
    before, after = outputs(sample, TEMPLATES), outputs(sample, reworded)
    for name in ("article", "page"):
        assert "By [Ibby" in before[name] or "By <a" in before[name]
        for english, german in (("By ", "Von "), ("Based on ", "Nach "), (" by Ibby", " von Ibby"),
                                ("Originally published at", "Zuerst erschienen auf"),
                                ("28 November 2026", "28 Novembre 2026")):
            assert english in before[name] and english not in after[name], (name, english)
            assert german in after[name], (name, german)
    assert "</a> by Ibby" in before["handout"] and "</a> von Ibby" in after["handout"]
    assert ">28 Novembre 2026</time>" in after["handout"]


def test_shared_sentences_in_the_article_and_the_page(sample):
    out = outputs(sample, TEMPLATES)
    assert ("By [Ibby Rahmani](https://example.com/me), Product marketer, author and advisor in data and AI"
            " · 28 November 2026") in out["article"]
    assert ('Based on [GenAI (LLMs vs. Foundational Models): Explained in Simple English]'
            '(https://example.com/source) by Ibby Rahmani.') in out["article"]
    assert "Originally published at [https://example.com/post](https://example.com/post)." in out["article"]
    assert ('<p class="byline">By <a href="https://example.com/me" rel="author">Ibby Rahmani</a>, Product marketer,'
            ' author and advisor in data and AI · <time datetime="2026-11-28">28 November 2026</time></p>') in out["page"]
    assert ('<p>Based on <a href="https://example.com/source">GenAI (LLMs vs. Foundational Models): Explained in'
            ' Simple English</a> by Ibby Rahmani.</p>') in out["page"]


def test_optional_slots_are_left_out(sample):
    talk = replace(sample, date=None, canonical_url="", author=Author("Ann"),
                   source=Credit("Some Title"))
    out = outputs(talk, TEMPLATES)
    assert "\nBy Ann\n" in out["article"] and '\nBased on "Some Title".\n' in out["article"]
    assert '<p class="byline">By Ann</p>' in out["page"] and "<p>Based on “Some Title”.</p>" in out["page"]
    assert "Originally" not in out["article"] + out["page"]


def test_content_in_a_shared_sentence_is_escaped_by_the_calling_template(sample):
    hostile = "<b>Ann</b> & *co*"
    talk = replace(sample, author=replace(sample.author, name=hostile, role=hostile),
                   source=replace(sample.source, title=hostile, author=hostile))
    out = outputs(talk, TEMPLATES)
    # (The handout's slide cards set bold words in <b>: the hostile text's own tags must not be there.)
    assert "<b>" not in out["page"].split("<body>")[1] and "<b>Ann" not in out["handout"].split("<body>")[1]
    name = "&lt;b&gt;Ann&lt;/b&gt; &amp; *co*"
    assert f'rel="author">{name}</a>, {name} · <time' in out["page"]
    assert f"<p>Based on <a href=\"https://example.com/source\">{name}</a> by {name}.</p>" in out["page"]
    assert f"<cite>{name}</cite>" not in out["handout"] and f">{name}</a> by {name}" in out["handout"]
    name = r"&lt;b>Ann&lt;/b> & \*co\*"
    assert f"By [{name}](https://example.com/me), {name} · 28 November 2026" in out["article"]
    assert f"Based on [{name}](https://example.com/source) by {name}." in out["article"]


@pytest.mark.parametrize("lang, shown", [("en", "28 November 2026"), ("en-GB", "28 November 2026"),
                                         ("EN-us", "28 November 2026"), ("de", "2026-11-28"),
                                         ("ja", "2026-11-28")])
def test_date_is_english_words_or_iso(lang, shown):
    shared = environment(TEMPLATES).get_template("shared.j2").module
    assert str(shared.date(dt.date(2026, 11, 28), lang)) == shown


def test_points_lists_nest_their_sub_points(sample):
    out = outputs(sample, TEMPLATES)
    assert "- Learns by predicting text it cannot see\n    - GPT-style models predict the next token\n" \
        in out["article"]
    assert ('<li>Learns by predicting text it cannot see    <ul>\n      <li>GPT-style models predict the next'
            ' token</li>') in out["page"]
    # The handout's slide card draws a sub-point as the deck does: indented under its point.
    views, sheet = handout.cards(sample, Context(TEMPLATES, THEME, {}))
    cards = "".join(str(slide) for view in views for slide in view.slides)
    indent = {}
    for text in ("Learns by predicting text it cannot see", "GPT-style models predict the next token"):
        style = re.search(r'<li class="[^"]* (tp-s\d+)"><span class="tp-bullet[^>]*>[^<]*</span>'
                          + re.escape(text), cards)[1]
        indent[text] = float(re.search(r"\." + style + r" \{[^}]*padding-left:([\d.]+)pt", sheet)[1])
    assert indent["GPT-style models predict the next token"] > indent["Learns by predicting text it cannot see"]


def slides(templates: Path) -> list[tuple[str, str, str]]:
    """(title, footer, notes) of each slide of the overflow fixture's deck."""
    prs = Presentation(io.BytesIO(deck.render(load(OVERFLOW), Context(templates, THEME))))
    return [(slide.shapes.title.text_frame.text,
             next((shape.text_frame.text for shape in slide.shapes if shape.name == "Footer"), ""),
             slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else "")
            for slide in prs.slides]


def test_a_rewording_in_shared_reaches_the_deck(reworded):
    before, after = slides(TEMPLATES), slides(reworded)
    assert len(before) == len(after)
    continued = [i for i, (title, _, _) in enumerate(before) if title.endswith(")") and "/" in title[-7:]]
    assert len(continued) > 2
    for i in continued:
        title, _, notes = before[i]
        assert after[i][0] == title[:title.rindex(" (")] + " [" + title[title.rindex(" (") + 2:-1] + "]"
        english = "(Continues on the next slide.)" if "(1/" in title else "(Continued from the previous slide;"
        assert english in notes and english not in after[i][2]
        assert "(Weiter auf" in after[i][2] or "(Fortsetzung, Teil" in after[i][2]
    footers = {footer for _, footer, _ in before if footer}
    assert footers == {"Overflow: lists, words, tables and titles that do not fit · Test Author"}
    assert {footer for _, footer, _ in after if footer} == {"Overflow: lists, words, tables and titles that do not fit | Test Author"}


def test_a_templates_folder_without_a_word_macro_is_a_template_mistake(tmp_path):
    (tmp_path / "shared.j2").write_text("{% macro date(d, lang) %}{{ d }}{% endmacro %}\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        say(tmp_path, "continued_title", 2, 3, title="T")
    assert str(caught.value).startswith(f"{tmp_path / 'shared.j2'}: template: no macro 'continued_title'")
    assert say(TEMPLATES, "continued_title", 2, 3, title="T") == "T (2/3)"


def carousel_numbers(templates: Path) -> list[str]:
    from triptych.slides import carousel

    pages = carousel.lay_out(load(SAMPLE), Context(templates, THEME))
    return ["".join(span.text for para in shape.paras for span in para.spans)
            for page in pages for shape in page.shapes if getattr(shape, "name", "") == "Page number"]


def test_a_rewording_in_shared_reaches_the_carousel(reworded):
    before, after = carousel_numbers(TEMPLATES), carousel_numbers(reworded)
    total = int(before[-1].split("/")[1])  # the cover carries no number
    numbers = range(total - len(before) + 1, total + 1)
    assert len(before) > 5 and before == [f"{n}/{total}" for n in numbers]
    assert after == [f"{n} von {total}" for n in numbers]
