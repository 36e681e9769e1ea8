"""Sub-lists indented as CommonMark indents them nest, in content and in imported articles;
everything else Python-Markdown reads as it did."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from triptych import markup
from triptych.listindent import reindent


def levels(text: str) -> list[tuple[int, str]]:
    return [(block.level, block.plain) for block in markup.blocks(text)]


@pytest.mark.parametrize("text, expected", [
    ("- a\n  - b\n    - c\n- d", [(1, "a"), (2, "b"), (3, "c"), (1, "d")]),  # GitHub, Obsidian
    ("- a\n    - b\n        - c", [(1, "a"), (2, "b"), (3, "c")]),  # four spaces, as before
    ("1. a\n   - b\n2. c", [(1, "a"), (2, "b"), (1, "c")]),  # under "1. " content starts at 3
    ("* a\n  * b\n* c", [(1, "a"), (2, "b"), (1, "c")]),
    ("- a\n - b", [(1, "a"), (1, "b")]),  # one space is not past "- a"'s content: a sibling
    ("-   a\n  - b", [(1, "a"), (1, "b")]),  # content at column 4: two spaces are not enough
    ("- a\n  wraps here\n  - b\n    wraps too", [(1, "a\n  wraps here"), (2, "b\n  wraps too")]),
    ("- a\n  - b\n\n    more of b\n\n  more of a\n\nafter", [(1, "a"), (2, "b"), (2, "more of b"), (1, "more of a"),
                                                            (0, "after")]),
])
def test_sub_lists_nest_as_commonmark_reads_them(text, expected):
    assert levels(text) == expected


@pytest.mark.parametrize("text", [
    "para\n- not a list\n  - nor this",  # a marker inside a paragraph is text, as before
    "    - code\n      - still code",  # indented code
    "- a\n\n        - code in a",  # code inside the item
    "* * *\n\n- - -",  # thematic breaks
    "- a\n    - b\n        - c\n    - d",  # already four spaces a level
    "1. a\n    2. b",
])
def test_text_that_is_not_a_commonmark_sub_list_is_left_as_it_was(text):
    lines = text.split("\n")
    assert reindent(lines) == lines


def test_a_fenced_block_keeps_its_indentation():
    # Fences are stashed before lists are read: a list inside one is code, as typed.
    assert markup.blocks("- a\n\n```\n- x\n  - y\n```")[-1].plain == "- x\n  - y"


def test_a_loose_items_blocks_are_read_in_order():
    # A paragraph after a sub-list comes after it (it used to come before), and a code
    # block inside an item is read (it used to be left out of the deck's bullets).
    assert levels("- a\n\n    - b\n\n    more of a\n\n        code") == [
        (1, "a"), (2, "b"), (1, "more of a"), (1, "code")]


# -- the property: any list written CommonMark's way reads as the same list written four
#    spaces a level ---------------------------------------------------------------------

WORD = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=1, max_size=6)


@st.composite
def trees(draw, depth: int = 0):
    """A list: items of (ordered?, text, sub-list), at most three levels deep."""
    ordered = draw(st.booleans())
    size = draw(st.integers(1, 3))
    return [(ordered, draw(WORD), draw(trees(depth + 1)) if depth < 2 and draw(st.booleans()) else [])
            for _ in range(size)]


def write(tree, indent: int = 0, commonmark: bool = True) -> list[str]:
    lines = []
    for number, (ordered, text, children) in enumerate(tree, 1):
        marker = f"{number}." if ordered else "-"
        lines.append(" " * indent + f"{marker} {text}")
        # CommonMark: a child starts where its parent's content does; Python-Markdown: four on.
        lines += write(children, indent + (len(marker) + 1 if commonmark else 4), commonmark)
    return lines


def flat(tree, level: int = 1) -> list[tuple[int, str]]:
    return [pair for _, text, children in tree for pair in [(level, text), *flat(children, level + 1)]]


@settings(max_examples=300, deadline=None)
@given(tree=trees())
def test_any_nested_list_reads_the_same_written_either_way(tree):
    commonmark, four = "\n".join(write(tree)), "\n".join(write(tree, commonmark=False))
    assert levels(commonmark) == levels(four) == flat(tree)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_characters="-*+0123456789\r", blacklist_categories=("Cs",)),
                        max_size=30), max_size=8))
def test_text_without_list_markers_is_never_changed(lines):
    lines = [line.replace("\n", " ") for line in lines]
    assert reindent(lines) == lines


def test_an_imported_article_keeps_two_space_sub_lists_as_sub_points(tmp_path):
    from triptych.importer import import_article
    from triptych.loader import load

    (tmp_path / "notes.md").write_text(
        "# Pairing\n\nBy Ana Lima\n\nWhat we learned.\n\n## Rules\n\n- Rotate often\n  - Every 25 minutes\n"
        "  - At each break\n- Keep a shared list\n", encoding="utf-8")
    talk = load(import_article(tmp_path / "notes.md", tmp_path / "content").path)
    [point, second] = talk.sections[0].points
    assert (point.text, [p.text for p in point.points], second.text) == (
        "Rotate often", ["Every 25 minutes", "At each break"], "Keep a shared list")
