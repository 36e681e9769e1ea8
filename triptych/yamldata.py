"""Read YAML as plain data: a tree of ``Node`` with line numbers, nothing executed.

PyYAML parses; this module only builds the tree from its event stream, so the policy
is ours: every scalar stays the text it was written as (``no`` is the word "no",
``012345`` is six digits), and tags, anchors and aliases are refused where they stand.
An alias is never expanded, so an alias bomb costs nothing. Duplicate keys are refused
by the caller (``Node.items`` keeps them all, in order, with their lines).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

try:  # libyaml's parser is several times faster; the pure-Python one gives the same events
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass
class Node:
    """A YAML value. ``kind`` is "scalar", "map" or "seq"; ``line`` and ``col`` are 1-based.

    A scalar's ``value`` is its text; a map's ``items`` are (key node, value node) pairs in
    file order (duplicates kept); a seq's ``items`` are value nodes.
    """

    kind: str
    line: int
    col: int
    value: str = ""
    items: list = field(default_factory=list)
    quoted: bool = False

    @property
    def what(self) -> str:
        """How a person would call this kind of value in a message."""
        return {"scalar": "text", "map": "a mapping (key: value lines)", "seq": "a list"}[self.kind]


@dataclass
class YamlProblem:
    line: int
    col: int
    message: str


_HINTS = (
    ("found unexpected end of stream", "a quote or bracket is not closed"),
    ("expected ',' or ']'", "a '[' list is not closed with ']'"),
    ("expected ',' or '}'", "a '{' mapping is not closed with '}'"),
    ("mapping values are not allowed here", "quote text that contains ': '"),
)


def _syntax_message(err: yaml.YAMLError, source: str) -> YamlProblem:
    if isinstance(err, yaml.reader.ReaderError):
        line = source.count("\n", 0, err.position) + 1
        col = err.position - (source.rfind("\n", 0, err.position) + 1) + 1
        char = err.character if isinstance(err.character, int) else ord(err.character)
        return YamlProblem(line, col, f"control character U+{char:04X} is not allowed; remove it")
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    problem = getattr(err, "problem", None) or str(err)
    text = f"YAML syntax: {problem}"
    context = getattr(err, "context", None)
    if context:
        text += f" ({context})"
    for needle, hint in _HINTS:
        if needle in str(err):
            text += f"; {hint}"
            break
    if mark is None:
        return YamlProblem(0, 0, text)
    lines = source.splitlines()
    if mark.line < len(lines) and "\t" in lines[mark.line] and "tabs" not in text:
        text += "; indent with spaces, not tabs"
    return YamlProblem(mark.line + 1, mark.column + 1, text)


def parse(text: str) -> tuple[Node | None, list[YamlProblem]]:
    """Parse one YAML document from ``text``.

    Returns the root node (None for an empty document or a syntax error) and the
    problems found. A syntax error stops the parse, so it is the only problem then;
    tags, anchors, aliases and a second document are reported and parsing goes on.
    """
    problems: list[YamlProblem] = []
    stack: list[Node] = []
    root: Node | None = None
    documents = 0

    def add(node: Node) -> None:
        nonlocal root
        if stack:
            parent = stack[-1]
            if parent.kind == "seq":
                parent.items.append(node)
            elif parent.items and parent.items[-1][1] is None:
                parent.items[-1] = (parent.items[-1][0], node)
            else:
                parent.items.append((node, None))
        elif documents == 1:
            root = node

    try:
        for event in yaml.parse(text, Loader=_Loader):
            mark = event.start_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents == 2:
                    problems.append(YamlProblem(line, col, "YAML: only one document per file (remove '---')"))
                continue
            if isinstance(event, yaml.AliasEvent):
                problems.append(YamlProblem(line, col, f"YAML aliases (*{event.anchor}) are not allowed; write the value out"))
                add(Node("scalar", line, col, ""))
                continue
            if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if event.anchor is not None:
                    problems.append(YamlProblem(line, col, f"YAML anchors (&{event.anchor}) are not allowed"))
                if event.tag is not None and event.tag != "!":
                    problems.append(YamlProblem(line, col, f"YAML tags ({event.tag}) are not allowed; content is plain data"))
            if isinstance(event, yaml.ScalarEvent):
                add(Node("scalar", line, col, event.value, quoted=event.style in ("'", '"', "|", ">")))
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                node = Node("map" if isinstance(event, yaml.MappingStartEvent) else "seq", line, col)
                add(node)
                stack.append(node)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
    except yaml.YAMLError as err:
        return None, [_syntax_message(err, text)]
    return root, problems
