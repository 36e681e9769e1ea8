"""YAML front matter of a Markdown article (Jekyll, Hugo, Eleventy, dev.to):
``---`` lines around ``title:``, ``author:``, ``date:``, ``tags:``... at the top.

It is read as plain data by ``triptych.yamldata`` (no tags, anchors or aliases, every
value text), and only the keys below are used; a block that is not a mapping, or not
YAML at all, is dropped with the rest of the front matter, never shown as article text.
"""

from __future__ import annotations

import re

from ..yamldata import Node, parse
from .meta import Meta, absolute_url

_FENCE = re.compile(r"^---[ \t]*$")


def _text(node: Node | None) -> str:
    return " ".join(node.value.split()) if node is not None and node.kind == "scalar" else ""


def _list(node: Node | None) -> list[str]:
    if node is None:
        return []
    if node.kind == "seq":
        return [_text(item) for item in node.items if _text(item)]
    return [t.strip() for t in re.split(r"[,\s]+" if "," not in _text(node) else ",", _text(node)) if t.strip()]


def split_front_matter(text: str) -> tuple[Meta, str]:
    """The article's stated metadata and the Markdown after its front matter (``text``
    unchanged, with empty metadata, when it has none)."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return Meta(), text
    end = next((k for k in range(1, len(lines)) if _FENCE.match(lines[k]) or lines[k].rstrip() == "..."), None)
    if end is None:
        return Meta(), text
    rest = "\n".join(lines[end + 1:])
    root, _ = parse("\n".join(lines[1:end]))
    if root is None or root.kind != "map":
        return Meta(), rest
    keys = {key.value.lower(): value for key, value in root.items if key.kind == "scalar" and value is not None}
    author = keys.get("author") or keys.get("authors")
    if author is not None and author.kind == "seq":
        author = author.items[0] if author.items else None
    if author is not None and author.kind == "map":
        author = next((v for k, v in author.items if k.kind == "scalar" and k.value == "name"), None)

    def first(*names: str) -> str:
        return next((_text(keys.get(n)) for n in names if _text(keys.get(n))), "")

    return Meta(
        title=first("title"),
        subtitle=first("subtitle", "description"),
        author=_text(author),
        date=first("date", "published", "pubdate"),
        canonical_url=absolute_url(first("canonical_url", "canonicalurl", "canonical")),
        lang=first("lang", "language"),
        tags=tuple(dict.fromkeys(_list(keys.get("tags")) + _list(keys.get("keywords")))),
    ), rest
