"""Properties over any text: a content file with arbitrary text in any field either loads
or raises ContentError naming that field, never another exception; the markup never
raises; what loads renders in every text writer without crashing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from triptych import markup
from triptych.errors import ContentError
from triptych.loader import loads
from triptych.pipeline import load_context, Options, render_all

# field path -> a template that puts the text (as a JSON string, valid YAML) at that field
FIELDS = {
    "title": "title: {v}\nauthor: A\nsections:\n  - title: S\n",
    "subtitle": "title: T\nsubtitle: {v}\nauthor: A\nsections:\n  - title: S\n",
    "author.name": "title: T\nauthor: {{name: {v}}}\nsections:\n  - title: S\n",
    "summary": "title: T\nauthor: A\nsummary: {v}\nsections:\n  - title: S\n",
    "tags[0]": "title: T\nauthor: A\ntags: [{v}]\nsections:\n  - title: S\n",
    "date": "title: T\nauthor: A\ndate: {v}\nsections:\n  - title: S\n",
    "sections[0].title": "title: T\nauthor: A\nsections:\n  - title: {v}\n",
    "sections[0].body": "title: T\nauthor: A\nsections:\n  - title: S\n    body: {v}\n",
    "sections[0].notes": "title: T\nauthor: A\nsections:\n  - title: S\n    notes: {v}\n",
    "sections[0].points[0]": "title: T\nauthor: A\nsections:\n  - title: S\n    points: [{v}]\n",
    "sections[0].table.rows[0][0]": "title: T\nauthor: A\nsections:\n  - title: S\n    table: {{columns: [c], rows: [[{v}]]}}\n",
    "sections[0].quote.text": "title: T\nauthor: A\nsections:\n  - title: S\n    quote: {{text: {v}}}\n",
}

# text with the characters that matter: Markdown and HTML syntax, controls, non-characters
SYNTAX = st.sampled_from(list("[]()<>*_`#!&;:/\\\"'{}%\n\t -") + ["](", "javascript:", "http://x.org", "&lt;",
                                                                   "\x00", "\x1b", "\ufffe", "\ufdd0", "\u202e"])
# no lone surrogates: a UTF-8 file cannot hold one (test_loader covers the byte level)
TEXT = st.lists(st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=8), SYNTAX),
                max_size=40).map("".join)


def yaml_string(text: str) -> str:
    """``text`` as a double-quoted YAML scalar on one line: a JSON string, with characters
    written raw (so raw controls and non-characters reach the reader) except the ones YAML
    or JSON would treat as line breaks."""
    out = json.dumps(text, ensure_ascii=False)
    return out.replace("\x85", "\\x85").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(sorted(FIELDS)), text=TEXT)
def test_any_text_in_any_field_loads_or_names_the_field(field, text):
    value = yaml_string(text)
    source = FIELDS[field].format(v=value)
    try:
        loads(source, "c.yaml", Path("/nonexistent"), "c")
    except ContentError as err:
        assert err.problems
        for problem in err.problems:
            assert problem.field == field or problem.field.startswith(field + "."), (field, str(problem))
            assert problem.line == source.split("\n").index(next(l for l in source.split("\n") if value in l)) + 1


@settings(max_examples=100, deadline=None)
@given(text=TEXT, inline=st.booleans())
def test_markup_never_raises(text, inline):
    found = markup.problems(text, inline)
    if not found:
        markup.to_html(text, inline)
        markup.to_plain(text, inline)
        markup.to_spans(text) if inline else markup.blocks(text)


FAST_OUTPUTS = ["article", "page", "post"]


@pytest.fixture(scope="module")
def ctx():
    return load_context(Options(), lambda message: None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field=st.sampled_from(sorted(FIELDS)), text=TEXT)
def test_what_loads_renders(ctx, field, text):
    try:
        talk = loads(FIELDS[field].format(v=yaml_string(text)), "c.yaml", Path("/nonexistent"), "c")
    except ContentError:
        return
    try:
        rendered = render_all(talk, ctx, FAST_OUTPUTS)
    except ContentError as err:  # a writer may refuse (a glyph no font has, say), naming the field
        assert all(p.field for p in err.problems), str(err)
        return
    assert all(isinstance(data, bytes) and data for data in rendered.values())
