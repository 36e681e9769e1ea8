"""The strict YAML reader: a Node tree with lines, nothing executed, nothing expanded."""

from __future__ import annotations

import pytest

from triptych.yamldata import REPLACEMENT, parse


def test_tree_keeps_text_lines_and_duplicates():
    root, problems = parse("a: no\nb: [012345, ~]\na: 'x'\n")
    assert problems == []
    assert root.kind == "map"
    keys = [(k.value, k.line) for k, _ in root.items]
    assert keys == [("a", 1), ("b", 2), ("a", 3)]  # duplicates kept for the loader to refuse
    assert root.items[0][1].value == "no" and not root.items[0][1].quoted
    seq = root.items[1][1]
    assert seq.kind == "seq" and [n.value for n in seq.items] == ["012345", "~"] and seq.items[1].col == 13
    assert root.items[2][1].quoted


def test_empty_value_is_none_in_items():
    root, _ = parse("a:\nb: x\n")
    assert root.items[0][1].value == "" and root.items[0][1].kind == "scalar"


def test_empty_document():
    assert parse("# nothing\n") == (None, [])


def test_syntax_error_stops_with_one_problem_and_no_tree():
    root, problems = parse("a: [1, 2\nb: c\n")
    assert root is None and len(problems) == 1
    # reported where the '[' opens, the line to fix, not where the parser gave up
    assert problems[0].line == 1 and problems[0].message.endswith("(it opens on this line and is still open at line 2)")


def test_tags_anchors_aliases_are_reported_where_they_stand():
    root, problems = parse("a: &x !!str 1\nb: *x\nc: !!python/name:os.system ''\n")
    assert [(p.line, p.message) for p in problems] == [
        (1, "YAML anchors (&x) are not allowed"),
        (1, "YAML tags (tag:yaml.org,2002:str) are not allowed; content is plain data"),
        (2, "YAML aliases (*x) are not allowed; write the value out"),
        (3, "YAML tags (tag:yaml.org,2002:python/name:os.system) are not allowed; content is plain data"),
    ]
    assert root.items[1][1].value == ""  # the alias is never expanded


def test_each_alias_name_reported_once_with_its_count():
    _, problems = parse("a: &x 1\nb: [*x, *x, *x]\nc: *x\n")
    assert [p.message for p in problems] == ["YAML anchors (&x) are not allowed",
                                             "YAML aliases (*x) are not allowed; write the value out (used 4 times)"]


def test_refused_characters_are_attributed_to_their_scalar():
    root, problems = parse("a: one\x07two\nb: |\n  x\x1b[31my\n# c\x00\nd: ok\n")
    assert [(p.line, p.col, p.message) for p in problems] == [
        (4, 4, "control character U+0000 is not allowed; remove it")]
    a, b, d = (v for _, v in root.items)
    assert a.bad == ("U+0007",) and a.value == f"one{REPLACEMENT}two"
    assert b.bad == ("U+001B",) and d.bad == ()


def test_refused_characters_in_a_broken_file_are_still_reported():
    root, problems = parse("a: [x\x07\n")
    assert root is None
    assert problems[-1].message == "control character U+0007 is not allowed; remove it"


def test_a_bracket_whose_end_a_comment_hid_is_named_with_the_comment():
    """'#' starts a YAML comment: `tags: [#AI, #ML]` hides the ']' and the parser trips
    lines later on something unrelated ('did not find expected node content')."""
    for text, bracket in (("a: 1\ntags: [#AI, #ML]\nsections:\n  - title: S\n", "["),
                          ("a: 1\nb: {c: d, #e: f}\nsections:\n  - title: S\n", "{")):
        root, (problem,) = parse(text)
        assert root is None and problem.line == 2
        assert problem.message == (f"YAML syntax: this '{bracket}' is never closed: the '#' after it starts a "
                                   "comment, which hides the rest of the line; leave the '#' out or quote the text")
    # a comment after a closed list, and a '#' inside a word, are fine
    assert parse("tags: [AI, ML]  # mine\nb: [C#, F#]\n")[1] == []


def test_unquoted_text_run_on_over_a_line_starting_with_a_dash_is_marked():
    # YAML folds "   - two" (one space deeper than the "- " above it) into "one - two".
    root, problems = parse("points:\n  - one\n   - two\n  - three\nbody: Some text\n  and more\n  - a\n"
                           "quoted: \"q\n  - b\"\nblock: |\n  x\n  - c\nplain: one\n  wrap\n")
    assert problems == []
    values = {key.value: value for key, value in root.items}
    assert [(n.value, n.folded_item) for n in values["points"].items] == [("one - two", 3), ("three", 0)]
    assert (values["body"].value, values["body"].folded_item) == ("Some text and more - a", 7)
    assert [values[key].folded_item for key in ("quoted", "block", "plain")] == [0, 0, 0]



_LINE_UP = "keys of one mapping line up: indent it as far as the one it belongs with"


@pytest.mark.parametrize("text, line, message", [
    # one space too deep: libyaml said "mapping values are not allowed here; quote text that contains ': '"
    ("title: T\nsections:\n  - title: One\n     points: [a, b]\n", 4,
     f"'points:' is indented 5 spaces, deeper than 'title:' on line 3 (4 spaces); {_LINE_UP}"),
    ("title: T\n author: Me\n", 2, f"'author:' is indented 1 space, deeper than 'title:' on line 1 (0 spaces); {_LINE_UP}"),
    ("title: T\nsections:\n  - title: a\n    body: |\n      text\n     points: [a]\n", 6,
     f"'points:' is indented 5 spaces, deeper than 'body:' on line 4 (4 spaces); {_LINE_UP}"),
    # too shallow: libyaml said "did not find expected '-' indicator" or "did not find expected key"
    ("title: T\nsections:\n  - title: One\n  points: [a, b]\n", 4,
     f"'points:' is indented 2 spaces, between 'sections:' on line 2 (0 spaces) and 'title:' on line 3 (4 spaces); "
     f"{_LINE_UP}"),
    ("title: T\nauthor:\n    name: Me\n  role: x\n", 4,
     f"'role:' is indented 2 spaces, between 'author:' on line 2 (0 spaces) and 'name:' on line 3 (4 spaces); {_LINE_UP}"),
    (" title: T\nauthor: Me\n", 2, f"'author:' is indented 0 spaces, less than 'title:' on line 1 (1 space); {_LINE_UP}"),
    # list items line up by their dash
    ("title: T\nsections:\n  - title: a\n - title: b\n", 4,
     "this '- ' item is indented 1 space, less than '- ' on line 3 (2 spaces); items of one list line up: "
     "indent it as far as the one it belongs with"),
    ("s:\n  - t: a\n    points:\n      - a\n     - b\n", 5,
     "this '- ' item is indented 5 spaces, between '- ' on line 2 (2 spaces) and '- ' on line 4 (6 spaces); "
     "items of one list line up: indent it as far as the one it belongs with"),
], ids=["deeper", "top-deeper", "deeper-after-block", "shallower", "nested-shallower", "first-deeper",
        "dash-less", "dash-between"])
def test_a_key_or_item_indented_out_of_line_is_named_with_the_keys_it_should_line_up_with(text, line, message):
    root, (problem,) = parse(text)
    assert root is None
    assert (problem.line, problem.message) == (line, "YAML syntax: " + message)


def test_text_with_a_colon_is_still_told_to_quote_it():
    # A key at a column its mapping has is not an indentation mistake.
    root, (problem,) = parse("title: T\nsummary: Note: this\n")
    assert problem.message.endswith("quote text that contains ': '")
