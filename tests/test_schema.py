"""The field-validation layer: records take their keys from the model, every problem of a
file is collected, and any text a user can type is read or refused naming its field."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass

import pytest
from hypothesis import given, settings, strategies as st

from triptych.schema import Choice, ListOf, Reader, Record, Text, did_you_mean
from triptych.yamldata import parse


@dataclass(frozen=True)
class Part:
    title: str
    body: str = ""
    field: str = ""


PART = Record(Part, {"title": Text(required=True), "body": Text(multiline=True)})
DOC = Record(None, {"parts": ListOf(PART, min_items=1, too_few="needs at least one part"),
                    "kind": Choice("kind", ("plain", "fancy"))})


def read(field, text: str):
    root, problems = parse(text)
    assert not problems and root is not None
    r = Reader("f.yaml")
    value = r.read(field, root, "")
    return value, [f"{p.line}: {p.field}: {p.message}" for p in sorted(r.problems, key=lambda p: p.line)]


def test_a_record_builds_its_dataclass_and_fills_the_field_path():
    value, problems = read(DOC, "parts:\n  - title: A\n    body: |\n      one\n      two\nkind: fancy\n")
    assert problems == []
    assert value == {"parts": (Part("A", "one\ntwo", "parts[0]"),), "kind": "fancy"}


def test_every_problem_is_collected_in_one_pass():
    value, problems = read(DOC, "parts:\n  - titel: A\n  - title: ''\n    bdy: x\nkind: fansy\nextra: 1\n")
    assert problems == [
        "2: parts[0].titel: unknown key 'titel'; did you mean 'title'?",
        "3: parts[1].title: is required and must not be empty",
        "4: parts[1].bdy: unknown key 'bdy'; did you mean 'body'?",
        "5: kind: unknown kind 'fansy'; did you mean 'fancy'?",
        "6: extra: unknown key 'extra'; known keys: parts, kind",
    ]


def test_a_required_key_typed_wrong_is_one_message_that_names_it():
    # It was two: "unknown key 'titel'; did you mean 'title'?" and "title: is required".
    assert read(DOC, "parts:\n  - titel: A\n")[1] == ["2: parts[0].titel: unknown key 'titel'; did you mean 'title'?"]
    # A typo close to no key, or to a key that is there, leaves the required key missing.
    assert read(DOC, "parts:\n  - xyz: A\n")[1] == ["2: parts[0].xyz: unknown key 'xyz'; known keys: title, body",
                                                    "2: parts[0].title: is required"]
    assert read(DOC, "parts:\n  - bodi: A\n")[1] == ["2: parts[0].bodi: unknown key 'bodi'; did you mean 'body'?",
                                                     "2: parts[0].title: is required"]


def test_a_declared_key_must_be_a_field_of_the_model():
    with pytest.raises(TypeError, match="Part has no field colour"):
        Record(Part, {"title": Text(), "colour": Text()})


def test_a_partial_record_knows_exactly_its_models_fields_and_reads_the_keys_present():
    # A field added to the model without a reader fails at import, not as a silently ignored key.
    with pytest.raises(TypeError, match="Part's fields body, field are not declared"):
        Record(Part, {"title": Text()}, partial=True)
    record = Record(Part, {"title": Text(), "body": Text(), "field": Text()}, partial=True)
    assert read(record, "body: b\n") == ({"body": "b"}, [])
    assert read(record, "bdy: b\n")[1] == ["1: bdy: unknown key 'bdy'; did you mean 'body'?"]


def test_a_blank_list_is_empty_and_a_list_can_be_too_short():
    assert read(DOC, "parts:\n")[1] == ["1: parts: needs at least one part"]
    assert read(DOC, "parts: {a: b}\n")[1] == ["1: parts: expected a list, found a mapping (key: value lines)"]


# -- properties over anything a user can type ----------------------------------------------

KEY = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufffe\uffff"),
              min_size=1, max_size=12)


def quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar on one line, characters written raw."""
    return json.dumps(text, ensure_ascii=False).replace("\x85", "\\x85").replace("\u2028", "\\u2028").replace(
        "\u2029", "\\u2029")


@settings(max_examples=200, deadline=None)
@given(key=st.one_of(KEY, st.sampled_from(["title", "body", "titl", "bodyy", "Title"])))
def test_any_key_is_known_or_refused_by_name_with_a_hint_only_when_close(key):
    _, problems = read(PART, f"title: T\n{quoted(key)}: x\n")
    if key in ("title", "body"):
        assert problems == ([] if key == "body" else ["2: title: duplicate key (first set at line 1); keep one"])
        return
    close = did_you_mean(key, ("title", "body"))
    hint = f"did you mean '{close}'?" if close else "known keys: title, body"
    assert problems == [f"2: {key}: unknown key '{key}'; {hint}"]


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60), multiline=st.booleans(), markdown=st.booleans())
def test_any_text_is_read_as_written_or_refused_naming_its_field(text, multiline, markdown):
    field = Text(multiline=multiline, markdown=markdown)
    r = Reader("f.yaml")
    root, _ = parse(f"v: {quoted(text)}\n")
    value = r.read(Record(None, {"v": field}), root, "").get("v", "")
    if r.problems:
        assert value == "" and all(p.field == "v" and p.line == 1 for p in r.problems)
    else:
        normal = unicodedata.normalize("NFC", text)
        assert value == (normal.strip("\n").rstrip() if multiline else normal.strip())


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=20))
def test_a_choice_is_one_of_its_names_or_refused(text):
    r = Reader("f.yaml")
    root, _ = parse(f"kind: {quoted(text)}\n")
    value = r.read(DOC, root, "")
    if r.problems:
        assert all(p.field == "kind" for p in r.problems) and "kind" not in value
    else:
        assert value.get("kind", "") in ("plain", "fancy", "")
