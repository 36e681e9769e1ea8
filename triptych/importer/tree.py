"""Reading the article's element tree: its text, one-line Markdown, unwrapping elements.

Code text in these trees is stored escaped, as Python-Markdown stores it; ``plain``
reads it back as typed (``markup.code_text``).
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as etree

from .. import markup
from ..schema import refused
from . import contentmd


def clean(text: str, strip: bool = True) -> str:
    """``text`` as the loader will hold it: NFC, without the control and non-characters it
    refuses, and stripped (``strip=False`` keeps the indentation of code)."""
    text = "".join(ch for ch in unicodedata.normalize("NFC", text) if ch in "\n\t" or not refused(ch))
    return text.strip() if strip else text.strip("\n").rstrip()


def plain(element: etree.Element) -> str:
    """The text a reader sees in ``element``, whitespace folded."""
    out: list[str] = []

    def walk(node: etree.Element) -> None:
        if node.text:
            out.append(markup.code_text(node.text) if node.tag == "code" else node.text)
        for child in node:
            walk(child)
            if child.tail:
                out.append(child.tail)

    walk(element)
    return " ".join("".join(out).split())


def one_line(element: etree.Element) -> str:
    """Content Markdown for a one-line field: line breaks become spaces."""
    return clean(contentmd.inline(element))


def unwrap(parent: etree.Element, child: etree.Element, filler: str = "") -> None:
    """Replace ``child`` by its text and children (or by ``filler`` when it has none)."""
    k = list(parent).index(child)
    inner = (child.text or "") + (filler if child.tag == "br" else "")
    moved = list(child)
    if k == 0:
        parent.text = (parent.text or "") + inner
    else:
        parent[k - 1].tail = (parent[k - 1].tail or "") + inner
    parent.remove(child)
    for offset, node in enumerate(moved):
        parent.insert(k + offset, node)
    tail = child.tail or ""
    if moved:
        moved[-1].tail = (moved[-1].tail or "") + tail
    elif k == 0:
        parent.text += tail
    else:
        parent[k - 1].tail = (parent[k - 1].tail or "") + tail


def deeper_items(li: etree.Element) -> list[etree.Element]:
    """Every item nested below ``li``'s own sub-lists, in reading order."""
    out = []
    for lst in (c for c in li if c.tag in ("ul", "ol")):
        for item in lst.findall("li"):
            out.append(item)
            out.extend(deeper_items(item))
    return out
