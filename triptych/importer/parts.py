"""A section's parts, each from one block of an article's tree: the first list as points
(``list_points``), a blockquote that names its author as the quote (``quote_of``), a table
(``table_of``, or ``table_as_list`` for one that cannot be a table), and, for a section with
no list, its first sentences as points (``sentence_points``). Each guess is told to ``review``
(``review(field, message)``), which the mapper keeps as the draft's review notes.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as etree
from typing import Callable

from ..loader import MAX_LINE
from . import contentmd, draft
from .tree import clean, deeper_items, one_line, plain

#: ``review(field, message)``: note a guess for the field it concerns.
Review = Callable[[str, str], None]

MAX_QUOTE = 1_000
#: At most this many sentences become points for a section that has no list.
SENTENCE_POINTS = 3
_ATTRIBUTION = re.compile(r"^\s*(?:[—–―~]|--?)\s*(\S.*)$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=\S)")
#: Children that make a list item more than a line of text (bold, code, links and other
#: inline elements sit directly in a tight list's item and are part of its line).
_ITEM_BLOCKS = frozenset({"blockquote", "pre", "table", "img", "figure", "div", "hr", "dl",
                          "h1", "h2", "h3", "h4", "h5", "h6"})


def list_points(block: etree.Element, where: str, review: Review) -> tuple[draft.Point, ...]:
    """The first list as points, or () when an item cannot be a point (kept in the body)."""
    points = []
    flattened = False
    for li in block.findall("li"):
        text, subs, deeper = list_item(li)
        if text is None:
            review(f"{where}.body", "a list with long or multi-paragraph items stayed in the body")
            return ()
        nested = []
        for sub in subs:
            sub_text, sub_subs, _ = list_item(sub)
            if sub_text is None:
                return ()
            nested.append(sub_text)
            for deep in deeper_items(sub):
                deep_text, _, _ = list_item(deep)
                if deep_text is None:
                    return ()
                nested.append(deep_text)
                flattened = True
        nested = [n for n in nested if n]
        if not text and nested:  # an item that is only a sub-list: its first sub-item leads
            text = nested.pop(0)
        if text:
            points.append(draft.Point(text, tuple(nested)))
    if flattened:
        review(f"{where}.points", "points nest one level: deeper items were flattened into their sub-points")
    if block.tag == "ol":
        review(f"{where}.points", "a numbered list became points, which are not numbered")
    return tuple(points)


def list_item(li: etree.Element) -> tuple[str | None, list, list]:
    """A list item's text, its sub-items, and their own sub-items; None when the item
    holds more than a line of text and lists."""
    paras = [c for c in li if c.tag == "p"]
    others = [c for c in li if c.tag in _ITEM_BLOCKS]
    if len(paras) > 1 or others:
        return None, [], []
    text = one_line(paras[0]) if paras else one_line(li)
    if len(text) > MAX_LINE:
        return None, [], []
    subs = [item for lst in li if lst.tag in ("ul", "ol") for item in lst.findall("li")]
    return text, subs, []


def quote_of(block: etree.Element) -> draft.Quote | None:
    """The quote of a blockquote whose last line names its author ("— Name")."""
    parts = [c for c in block]
    if not parts or parts[-1].tag != "p":
        return None
    last = parts[-1]
    breaks = last.findall("br")
    by_text = plain(last)
    kept = parts[:-1]
    if breaks and _ATTRIBUTION.match(breaks[-1].tail or ""):
        by_text = breaks[-1].tail.strip()
        cut = copy.deepcopy(last)
        k = list(cut).index(cut.findall("br")[-1])
        for extra in list(cut)[k:]:
            cut.remove(extra)
        kept = [*parts[:-1], cut]
    if not breaks and (split := _last_line(last)) and _ATTRIBUTION.match(split[1]):
        kept, by_text = [*parts[:-1], split[0]], split[1]
    match = _ATTRIBUTION.match(by_text)
    if not match or not kept or len(match[1]) > MAX_LINE:
        return None
    text = clean("\n\n".join(filter(None, (contentmd.block(p) for p in kept))))
    if not text or len(text) > MAX_QUOTE:
        return None
    by = contentmd.escape(match[1].strip())
    return draft.Quote(text, clean(by))


def _last_line(para: etree.Element) -> tuple[etree.Element, str] | None:
    """``para`` without its last source line, and that line's text, or None for a paragraph
    of one line. Markdown joins a quote's lines into one paragraph ("> text" then "> — Name"
    is one paragraph with a soft break): the break is the newline left in its text."""
    cut = copy.deepcopy(para)
    children = list(cut)
    slots = [(cut, "text"), *((child, "tail") for child in children)]
    last, attr = slots[-1]
    setattr(last, attr, (getattr(last, attr) or "").rstrip())
    for k in range(len(slots) - 1, -1, -1):
        node, attr = slots[k]
        head, newline, rest = (getattr(node, attr) or "").rpartition("\n")
        if newline:
            line = etree.Element("p")
            line.text = rest
            for child in children[k:]:  # the elements after the break, with their tails
                cut.remove(child)
                line.append(child)
            setattr(node, attr, head)
            return cut, plain(line)
    return None


def table_of(block: etree.Element, where: str, review: Review) -> draft.Table | None:
    rows = [[one_line(cell) for cell in tr if cell.tag in ("th", "td")] for tr in block.iter("tr")]
    rows = [r for r in rows if any(r)]
    if len(rows) < 2 or any(len(cell) > MAX_LINE for row in rows for cell in row):
        return None
    width = max(len(r) for r in rows)
    columns = rows[0] + [""] * (width - len(rows[0]))
    if not all(columns):
        columns = [c or f"Column {k + 1}" for k, c in enumerate(columns)]
        review(f"{where}.table", "the table's header had empty cells: they were named")
    if block.find("thead") is None and not all(c.tag == "th" for c in next(block.iter("tr"))):
        review(f"{where}.table", "the table has no header row: its first row became the columns")
    caption_node = block.find("caption")
    caption = clean(contentmd.escape(" ".join((caption_node.text or "").split()))) if caption_node is not None else ""
    return draft.Table(tuple(columns), tuple(tuple(r + [""] * (width - len(r))) for r in rows[1:]),
                       caption[:MAX_LINE])


def table_as_list(block: etree.Element, where: str, second: bool, review: Review) -> str:
    review(f"{where}.body", "a section holds one table: another was written in the body as a list" if second
                else "a table with one row or cells too long for a slide was written in the body as a list")
    rows = [[one_line(cell) for cell in tr if cell.tag in ("th", "td")] for tr in block.iter("tr")]
    head, rest = (rows[0], rows[1:]) if len(rows) > 1 else ([], rows)
    lines = []
    for row in rest:
        cells = [f"{head[k]}: {c}" if k < len(head) and head[k] else c for k, c in enumerate(row)]
        lines.append("- " + "; ".join(cells))
    return clean("\n".join(lines))


def sentence_points(blocks: list, where: str, review: Review) -> tuple[draft.Point, ...]:
    sentences: list[str] = []
    for block in blocks:
        if block.tag != "p":
            continue
        for sentence in _SENTENCE_END.split(plain(block)):
            if len(sentences) < SENTENCE_POINTS and 0 < len(sentence) <= MAX_LINE:
                sentences.append(clean(contentmd.escape(sentence)))
    if sentences:
        review(f"{where}.points", "the section has no list that can be points: its first sentences became its points")
    return tuple(draft.Point(s) for s in sentences if s)
