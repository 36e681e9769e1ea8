"""Declared fields: a YAML node tree (``triptych.yamldata``) read into typed values, every
problem collected.

In the spirit of MkDocs' ``config_options``, a schema is a tree of small ``Field`` objects,
each knowing how to read one kind of value and what to tell the user when it cannot. The
content file (``triptych.loader``), the theme (``triptych.theme``) and the deck's slide
plan are all read through it, so the three report mistakes the same way.

- ``Record`` reads a mapping. Over a dataclass of the model, its known keys are that
  dataclass's fields: declaring a key the dataclass lacks fails at import, and a key in the
  file that is not declared is refused with a did-you-mean (``unknown key 'bodyy'; did you
  mean 'body'?``). Duplicate keys and missing required keys are reported too; a required
  key typed wrong is reported once, by the did-you-mean that names it, not again as missing.
- ``ListOf`` reads a list (a blank value is an empty list), ``Text`` one string with the
  content's rules (one line, length cap, no control characters, safe Markdown), ``Choice``
  one of a few names.

Reading never raises for anything in the file: each problem is recorded on the ``Reader``
as ``path:line: field: message`` and the field reads as its ``empty`` value, so one pass
finds every problem. A caller raises ``ContentError(reader.problems)`` at the end.
"""

from __future__ import annotations

import dataclasses
import difflib
import unicodedata
from typing import Any, Callable

from . import markup
from .errors import Problem
from .yamldata import Node

MAX_LINE = 300  # one-line fields: titles, points, cells, names
MAX_BLOCK = 20_000  # body, notes, summary


def count(number: int, noun: str, plural: str = "") -> str:
    """"1 cell", "3 cells" ("1 category", "2 categories" with ``plural``): a count in a message."""
    return f"{number} {noun}" if number == 1 else f"{number} {plural or noun + 's'}"


def did_you_mean(name: str, known: tuple[str, ...] | list[str]) -> str | None:
    """The known name closest to ``name``, when one is close enough to be a typo."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return close[0] if close else None


def join(where: str, key: str) -> str:
    """The field path of ``key`` inside ``where`` ("" is the file itself)."""
    return f"{where}.{key}" if where else key


def refused(ch: str) -> bool:
    """True for a character no text field may hold: a control character, a surrogate or a
    Unicode non-character (line breaks and tabs are controls too; see ``forbidden_chars``)."""
    code = ord(ch)
    return unicodedata.category(ch) in ("Cc", "Cs") or (0xFDD0 <= code <= 0xFDEF) or (code & 0xFFFE) == 0xFFFE


def forbidden_chars(text: str, multiline: bool) -> list[str]:
    """Control characters, surrogates and Unicode non-characters in ``text``, as sorted
    "U+0007" strings; line breaks and tabs are allowed in ``multiline`` text."""
    return sorted({f"U+{ord(ch):04X}" for ch in text if not (multiline and ch in "\n\t") and refused(ch)})


class Reader:
    """One pass over one file: the problems found and the line of every field read.

    ``bracket_budget`` caps the summed ``markup.bracket_cost`` of every Markdown field (None:
    no cap): each field alone may be fine, yet thousands of them would take minutes to parse.
    """

    def __init__(self, path: str, bracket_budget: int | None = None):
        self.path = path
        self.problems: list[Problem] = []
        #: What the file means, probably, is not what it says, but it reads: warnings.
        self.notices: list[Problem] = []
        self.lines: dict[str, int] = {}
        self.bracket_budget = bracket_budget
        self.bracket_cost = 0
        self._seen_bad: set[int] = set()  # id() of nodes whose refused characters were reported

    def error(self, node_or_line: Node | int, field: str, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else node_or_line.line
        self.problems.append(Problem(self.path, line, field, message))

    def notice(self, node_or_line: Node | int, field: str, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else node_or_line.line
        self.notices.append(Problem(self.path, line, field, message))

    def read(self, field: "Field", node: Node | None, where: str) -> Any:
        """``field`` read from ``node`` at field path ``where``; ``field.empty`` when absent."""
        if node is None:
            return field.empty
        if where:
            self.lines[where] = node.line
        if node.hashtags:
            self.notice(node, where, f"'{node.hashtags}' is a comment to YAML (a '#' after a space starts one), "
                                     "so this value is empty; leave the '#' out, or quote the text")
        return field.read(self, node, where)

    def refused(self, node: Node, field: str) -> bool:
        """Report the characters YAML refused in ``node`` (``Node.bad``), once; True if any."""
        if not node.bad:
            return False
        self._seen_bad.add(id(node))
        self.error(node, field, f"contains control or non-characters ({', '.join(node.bad)}); remove them")
        return True

    def sweep(self, node: Node) -> None:
        """Report refused characters in nodes no field read as text (keys, say), so none can
        slip through unreported."""
        if node.bad and id(node) not in self._seen_bad:
            self.error(node, "", f"control or non-characters ({', '.join(node.bad)}) are not allowed; remove them")
        if node.kind == "seq":
            for item in node.items:
                self.sweep(item)
        elif node.kind == "map":
            for key, value in node.items:
                self.sweep(key)
                if value is not None:
                    self.sweep(value)


class Field:
    """One value of a schema. ``required``: its key must be present (checked by the
    ``Record`` holding it); ``empty``: what it reads as when absent or refused."""

    empty: Any = None

    def __init__(self, *, required: bool = False):
        self.required = required

    def read(self, r: Reader, node: Node, where: str) -> Any:
        raise NotImplementedError


Check = Callable[[Reader, Node, str, Any], Any]


class Scalar(Field):
    """A string exactly as written: no normalising, stripping or limits (for text a template
    made from content that was already checked). ``check`` as for ``Text``."""

    empty = ""

    def __init__(self, *, required: bool = False, check: Check | None = None):
        super().__init__(required=required)
        self.check = check

    def read(self, r: Reader, node: Node, where: str) -> Any:
        if node.kind != "scalar":
            r.error(node, where, f"expected text, found {node.what}")
            return self.empty
        if r.refused(node, where):
            return self.empty
        return self.check(r, node, where, node.value) if self.check else node.value


class Text(Field):
    """A string, NFC-normalised and stripped (a ``multiline`` one keeps its inner lines).

    Refuses, naming the field: another kind of value, a line break in a one-line field, more
    than ``limit`` characters (default ``MAX_LINE``, or ``MAX_BLOCK`` when multiline),
    control and non-characters, an empty value when ``required``, and, for ``markdown``
    fields, unsafe Markdown (``markup.problems``). ``check(reader, node, where, value)``,
    when given, sees each value that passed and returns the value to keep (reporting and
    returning ``empty`` to refuse it)."""

    empty = ""

    def __init__(self, *, required: bool = False, multiline: bool = False, limit: int | None = None,
                 markdown: bool = True, check: Check | None = None, empty: Any = ""):
        super().__init__(required=required)
        self.multiline, self.markdown, self.check, self.empty = multiline, markdown, check, empty
        self.limit = limit or (MAX_BLOCK if multiline else MAX_LINE)

    def read(self, r: Reader, node: Node, where: str) -> Any:
        value = self.text(r, node, where)
        if value and self.check is not None:
            return self.check(r, node, where, value)
        return value if value else self.empty

    def text(self, r: Reader, node: Node, where: str) -> str:
        if node.kind != "scalar":
            r.error(node, where, f"expected text, found {node.what}")
            return ""
        if r.refused(node, where):
            return ""
        value = unicodedata.normalize("NFC", node.value)
        value = value.strip("\n").rstrip() if self.multiline else value.strip()
        if self.required and not value.strip():
            r.error(node, where, "is required and must not be empty")
            return ""
        if not self.multiline and "\n" in value:
            r.error(node, where, "must be one line; remove the line break (use a block field such as body for prose)")
            return ""
        if len(value) > self.limit:
            r.error(node, where, f"is {len(value)} characters long; at most {self.limit} are allowed")
            return ""
        bad = forbidden_chars(value, self.multiline)
        if bad:
            r.error(node, where, f"contains control or non-characters ({', '.join(bad)}); remove them")
            return ""
        if self.markdown and value and not self._markdown_ok(r, node, where, value):
            return ""
        if node.folded_item:
            r.notice(node.folded_item, where, _folded(where, value))
        return value

    def _markdown_ok(self, r: Reader, node: Node, where: str, value: str) -> bool:
        found = markup.problems(value, inline=not self.multiline, parse=False)  # caps only: no parsing yet
        if not found and r.bracket_budget is not None:
            before = r.bracket_cost
            r.bracket_cost += markup.bracket_cost(value)
            if r.bracket_cost > r.bracket_budget:
                # Reported once, at the field that crossed the budget; later fields are not parsed.
                if before <= r.bracket_budget:
                    r.error(node, where, "the file holds too much '['-heavy text to read in reasonable time; "
                                         "remove stray '[' or split the piece into several files")
                return False
        if not found:
            found = markup.problems(value, inline=not self.multiline)
        for message in found:
            r.error(node, where, message)
        return not found


def _folded(where: str, value: str) -> str:
    """What to say at a line starting with "- " that YAML read as more of the unquoted text
    ``value`` above it (of the field ``where``)."""
    shown = value if len(value) <= 60 else value[:57].rstrip() + "..."
    if where.endswith("]"):
        return (f"this line starts with '- ' but is read as more of the item above it (\"{shown}\"): it is "
                "indented deeper than that item's '- '; line the two up to make it an item of its own")
    key = where.rsplit(".", 1)[-1]
    return (f"this line starts with '- ' but is read as more of the text above it (\"{shown}\"): unquoted "
            f"text runs on over indented lines; write '{key}: |' to keep its lines and lists")


class Choice(Text):
    """One of ``choices``: anything else is ``unknown NOUN 'x'; did you mean 'y'?``, or
    ``unknown NOUN 'x'; OTHERWISE`` when nothing is close (``otherwise`` may hold
    ``{choices}``)."""

    def __init__(self, noun: str, choices: tuple[str, ...], otherwise: str = "use {choices}", **kw):
        super().__init__(markdown=False, **kw)
        self.noun, self.choices, self.otherwise = noun, tuple(choices), otherwise

    def read(self, r: Reader, node: Node, where: str) -> Any:
        value = self.text(r, node, where)
        if value and value not in self.choices:
            close = did_you_mean(value, self.choices)
            hint = f"did you mean '{close}'?" if close else self.otherwise.format(choices=", ".join(self.choices))
            r.error(node, where, f"unknown {self.noun} '{value}'; {hint}")
            return self.empty
        return value or self.empty


class ListOf(Field):
    """A list of ``item`` values, as a tuple (items that read as None are dropped). A blank
    value (``points:`` with nothing after it) is an empty list. ``min_items`` and
    ``max_items`` bound the count, with ``too_few`` / ``too_many`` as the messages
    (``{count}`` and ``{limit}`` filled in); too many items are not read at all."""

    empty = ()

    def __init__(self, item: Field, *, required: bool = False, min_items: int = 0, too_few: str = "",
                 max_items: int | None = None, too_many: str = ""):
        super().__init__(required=required)
        self.item, self.min_items, self.too_few = item, min_items, too_few
        self.max_items, self.too_many = max_items, too_many

    def read(self, r: Reader, node: Node, where: str) -> Any:
        items = self.nodes(r, node, where)
        if items is None:
            return None
        if len(items) < self.min_items:
            r.error(node, where, self.too_few.format(count=len(items), limit=self.min_items))
        if self.max_items is not None and len(items) > self.max_items:
            r.error(node, where, self.too_many.format(count=len(items), limit=self.max_items))
            return ()
        values = (r.read(self.item, item, f"{where}[{i}]") for i, item in enumerate(items))
        return tuple(v for v in values if v is not None)

    @staticmethod
    def nodes(r: Reader, node: Node, where: str) -> list[Node] | None:
        """The item nodes of a list; None after reporting when ``node`` is not one."""
        if node.kind == "seq":
            return node.items
        if node.kind == "scalar" and node.value == "" and not node.quoted:
            return []
        hint = ""
        if node.kind == "scalar" and "\n" not in node.value and len(node.value) <= 60:
            hint = f"; write {_flow_list(node.value)}, or each item on a line of its own after '- '"
        r.error(node, where, f"expected a list, found {node.what}{hint}")
        return None


def _flow_list(text: str) -> str:
    """``text``'s comma-separated items as a YAML flow list that reads back as those items:
    ``[a, b]``, quoting an item YAML would misread (``['#AI']``: unquoted, '#' starts a
    comment that hides the ']')."""
    import yaml

    return yaml.safe_dump([item.strip() for item in text.split(",")], default_flow_style=True,
                          allow_unicode=True, width=1_000_000).strip()


Make = Callable[[Reader, Node, str, dict], Any]


class Record(Field):
    """A mapping of declared ``fields`` (key -> ``Field``, in the order keys are listed).

    ``model`` is the frozen dataclass the mapping becomes, or None for a plain dict of the
    values read. Over a dataclass, every declared key must be one of its fields (checked
    here, at import); its other fields are filled by ``make(reader, node, where, values)``
    or, by default, ``field`` (when the dataclass has one) gets the field path. Keys missing
    from the file are left out of ``values`` (the dataclass default applies) unless
    required; a dict model holds only the keys present and readable.

    ``partial`` reads a file that may set only some keys (a theme that extends another):
    the record reads as a dict of the keys present, as without a model, and the model's
    fields are exactly its keys (declaring fewer or more fails at import), so the dataclass
    the caller later builds from the merged values is what names the known keys.

    ``shorthand`` names the key a plain scalar stands for (``author: Ada`` is ``author:
    {name: Ada}``); ``empty`` is what the record reads as when it is absent."""

    def __init__(self, model: type | None, fields: dict[str, Field], *, required: bool = False,
                 make: Make | None = None, shorthand: str | None = None, empty: Any = None,
                 partial: bool = False):
        super().__init__(required=required)
        self.empty = empty
        if model is not None:
            names = {f.name for f in dataclasses.fields(model)}
            stray = [key for key in fields if key not in names]
            if stray:
                raise TypeError(f"{model.__name__} has no field {', '.join(stray)}")
            undeclared = [name for name in names if name not in fields]
            if partial and undeclared:
                raise TypeError(f"{model.__name__}'s fields {', '.join(sorted(undeclared))} are not declared")
            self.defaults = {f.name for f in dataclasses.fields(model)
                             if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING}
        self.model, self.fields, self.make, self.shorthand = model, fields, make, shorthand
        self.partial = partial

    @property
    def known(self) -> tuple[str, ...]:
        return tuple(self.fields)

    def read(self, r: Reader, node: Node, where: str) -> Any:
        if node.kind == "scalar" and self.shorthand is not None:
            found = {self.shorthand: node}
        else:
            found = self.keys(r, node, where)
            if found is None:
                return None
        values = {}
        for key, field in self.fields.items():
            if key in found:
                values[key] = r.read(field, found[key], join(where, key))
            elif self.model is not None and not self.partial and key not in self.defaults:
                values[key] = field.empty
        if self.model is None or self.partial:
            return {key: value for key, value in values.items() if value not in (None, "")}
        if self.make is not None:
            return self.make(r, node, where, values)
        if "field" in self.defaults and "field" not in self.fields:
            values["field"] = where
        return self.model(**values)

    def keys(self, r: Reader, node: Node, where: str) -> dict[str, Node] | None:
        """The value node of each declared key present; unknown keys, duplicates and missing
        required keys are reported. None (after reporting) when ``node`` is not a mapping."""
        if node.kind != "map":
            keys = f"; its keys are {', '.join(self.known)}" if where else ""  # a file's are in the README
            if keys and self.shorthand is not None:
                keys += f" (or the {self.shorthand} alone, as text)"
            r.error(node, where or "(file)", f"expected {Node('map', 0, 0).what}, found {node.what}{keys}")
            return None
        found: dict[str, Node] = {}
        suggested: set[str] = set()  # known keys an unknown key was taken for (its did-you-mean)
        for key, value in node.items:
            name = key.value if key.kind == "scalar" else ""
            if key.kind != "scalar":
                r.error(key, where or "(file)", "a key must be plain text")
            elif name in found:
                r.error(key, join(where, name), f"duplicate key (first set at line {found[name].line}); keep one")
            elif name not in self.fields:
                close = did_you_mean(name, self.known)
                hint = f"did you mean '{close}'?" if close else f"known keys: {', '.join(self.known)}"
                r.error(key, join(where, name), f"unknown key '{name}'; {hint}")
                if close:
                    suggested.add(close)
            else:
                found[name] = value if value is not None else Node("scalar", key.line, key.col, "")
        for name, field in self.fields.items():
            # A required key typed wrong ('titel') is one mistake: its did-you-mean says it.
            if field.required and name not in found and name not in suggested:
                r.error(node, join(where, name), "is required")
        return found


class Flag(Field):
    """``true`` or ``false`` (unquoted, as YAML writes them); anything else is refused."""

    empty = False

    def read(self, r: Reader, node: Node, where: str) -> Any:
        if node.kind == "scalar" and not node.quoted and node.value in ("true", "false"):
            return node.value == "true"
        r.error(node, where, "must be true or false")
        return False
