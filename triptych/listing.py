"""The content's ``code:`` part: a listing for a slide panel, read through the schema.

- ``lang`` is required (``text`` for plain text): it picks the colours, and the article
  fences the listing with it; a name Pygments does not know is refused with the nearest
  names it knows;
- ``highlight`` lists 1-based line numbers, each a number (``4``) or a range (``"4-6"``);
  a line past the end of the listing is refused, naming it;
- ``text`` is kept as typed (never Markdown; tabs kept), up to ``MAX_CODE`` characters;
- ``caption`` is inline Markdown, as every caption.
"""

from __future__ import annotations

import re

from . import highlight
from .model import Code
from .schema import Field, ListOf, Reader, Record, Text
from .yamldata import Node

#: A listing's length cap (characters): a few hundred lines, far more than slides can show.
MAX_CODE = 60_000


def _language(r: Reader, node: Node, where: str, value: str) -> str:
    try:
        highlight.check_language(value)
    except highlight.UnknownLanguage as err:
        r.error(node, where, str(err))
        return ""
    return value


class _Lines(Field):
    """``highlight:``: 1-based line numbers, each a number (``4``) or a range (``"4-6"``),
    as a sorted tuple; the listing's length is checked by ``_code``."""

    empty = ()
    _ONE = re.compile(r"^\s*(\d{1,6})\s*(?:[-\u2013]\s*(\d{1,6})\s*)?$")

    def read(self, r: Reader, node: Node, where: str) -> tuple[int, ...]:
        items = [node] if node.kind == "scalar" and node.value.strip() else ListOf.nodes(r, node, where)
        lines: set[int] = set()
        for k, item in enumerate(items or ()):
            here = f"{where}[{k}]" if node.kind == "seq" else where
            r.lines[here] = item.line
            found = self._ONE.match(item.value) if item.kind == "scalar" else None
            first, last = (int(found[1]), int(found[2] or found[1])) if found else (0, 0)
            if not found or first < 1 or last < first:
                what = repr(item.value) if item.kind == "scalar" else item.what
                r.error(item, here, f"{what} is not a line number; lines count from 1 (a range is \"4-6\")")
                continue
            lines.update(range(first, last + 1))
        return tuple(sorted(lines))


def _code(r: Reader, node: Node, where: str, values: dict) -> Code | None:
    text, lang = values.get("text", ""), values.get("lang", "")
    count = text.count("\n") + 1 if text else 0
    past = [n for n in values.get("highlight", ()) if n > count]
    if text and past:
        here = f"{where}.highlight"
        r.error(r.lines.get(here, node.line), here,
                (f"line {past[0]} is" if len(past) == 1 else f"lines {', '.join(map(str, past))} are")
                + f" past the end of the listing, which has {count} line{'s' if count != 1 else ''}")
    if not text or not lang:
        return None
    return Code(text, lang, values.get("caption", ""), values.get("highlight", ()), where)


#: ``code:``: a listing for a slide panel. ``lang`` is required (``text`` for plain text):
#: it picks the colours, and the article fences the listing with it.
CODE = Record(Code, {"lang": Text(required=True, markdown=False, check=_language),
                     "caption": Text(),
                     "highlight": _Lines(),
                     "text": Text(required=True, multiline=True, markdown=False, limit=MAX_CODE)}, make=_code)
