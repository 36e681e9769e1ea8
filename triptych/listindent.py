"""Nested lists indented as CommonMark indents them (GitHub, Obsidian, most editors), read
by Python-Markdown, which nests only what is indented four spaces per level.

In CommonMark a list item's content starts after its marker and the spaces that follow
(column 2 for ``- a``, 3 for ``1. a``), and a line indented at least that far belongs to
the item: ``- a`` then ``  - b`` is a sub-list. Python-Markdown reads the same two lines as
two items of one list. ``ListIndent`` is a preprocessor that re-indents the lines of each
list so that Python-Markdown sees the structure CommonMark sees:

- an item whose marker is indented at least as far as the content of an item above it is
  that item's child, and is moved to four spaces per level; the lines of the item (its
  wrapped lines, its paragraphs after a blank line) move with it;
- a line after a blank line that is indented at least as far as an open item's content
  continues that item, and is indented at least as far as Python-Markdown needs;
- everything else is left as it is: a list already indented four spaces per level (what
  the article writer writes) comes out unchanged, as does text that is not in a list.

Lines are re-indented, never otherwise changed, so every word stays where it was. A list
starts only after a blank line (or at the top), as Python-Markdown requires; fenced code
is stashed by the time this runs, so a fence's lines are never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown.preprocessors import Preprocessor

#: The list markers Python-Markdown knows (sane_lists: ``-``, ``*``, ``+`` or ``1.``),
#: with the spaces after them; a marker alone on its line is an empty item.
_MARKER = re.compile(r"^( *)([-*+]|\d{1,9}\.)( +|$)")
#: ``- - -``, ``***``: a thematic break, not a list item.
_BREAK = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
#: Python-Markdown's indentation of one nesting level.
LEVEL = 4


@dataclass
class _Item:
    depth: int  # 0 for a top-level item
    content: int  # the column its content starts at, as written (CommonMark)
    shift: int  # how far its lines move: its marker's new column minus its old one


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _move(line: str, to: int) -> str:
    return " " * max(to, 0) + line.lstrip(" ")


def reindent(lines: list[str]) -> list[str]:
    """``lines`` (tabs already expanded) with every list re-indented as described above."""
    out: list[str] = []
    open_items: list[_Item] = []
    blank_before = True  # the top of the text counts as after a blank line
    for line in lines:
        if not line.strip():
            out.append(line)
            blank_before = True
            continue
        column = _indent(line)
        marker = None if _BREAK.match(line) else _MARKER.match(line)
        if marker and not open_items and (not blank_before or column >= LEVEL):
            marker = None  # inside a paragraph it is text, indented four it is code
        if marker and open_items and column >= open_items[-1].content + LEVEL:
            marker = None  # indented code inside the item
        if marker or blank_before:
            # The items this line is not indented enough to belong to are closed.
            while open_items and open_items[-1].content > column:
                open_items.pop()
        if marker:
            spaces = len(marker.group(3))
            content = column + len(marker.group(2)) + (spaces if 1 <= spaces <= 4 else 1)
            if open_items:
                depth = open_items[-1].depth + 1
                new = LEVEL * depth
            else:
                depth, new = 0, column  # a top-level item stays where it is
            open_items.append(_Item(depth, content, new - column))
            out.append(_move(line, new))
        elif not open_items:
            out.append(line)
        elif blank_before:
            # A new block of the innermost open item: at least where Python-Markdown
            # looks for that item's content.
            item = open_items[-1]
            out.append(_move(line, max(column + item.shift, LEVEL * (item.depth + 1))))
        else:
            # A wrapped line of the item above (or a lazy continuation): it moves with it.
            out.append(_move(line, column + open_items[-1].shift) if open_items[-1].shift else line)
        blank_before = False
    return out


class ListIndent(Preprocessor):
    """``reindent`` as a Python-Markdown preprocessor (register it after ``fenced_code``)."""

    def run(self, lines: list[str]) -> list[str]:
        return reindent(lines)
