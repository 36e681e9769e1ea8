"""Read YAML as plain data: a tree of ``Node`` with line numbers, nothing executed.

PyYAML parses; this module only builds the tree from its event stream, so the policy
is ours: every scalar stays the text it was written as (``no`` is the word "no",
``012345`` is six digits), and tags, anchors and aliases are refused where they stand.
An alias is never expanded, so an alias bomb costs nothing (and each anchor or alias
name is reported once, not once per use). Duplicate keys are refused by the caller
(``Node.items`` keeps them all, in order, with their lines).

Characters YAML itself refuses (C0/C1 controls other than tab and line breaks, U+FFFE,
U+FFFF) would stop PyYAML's reader with no hint of where they sit in the content. They
are swapped for ``REPLACEMENT`` before parsing and recorded on the scalar holding them
(``Node.bad``), so the loader can name the field; any that sit outside a scalar (in a
comment, say) are reported here with their line and column.
"""

from __future__ import annotations

import bisect
import re
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
    #: Characters YAML refuses that stood in this scalar, as "U+0007" strings, sorted;
    #: ``value`` holds ``REPLACEMENT`` in their place.
    bad: tuple[str, ...] = ()
    #: For unquoted text over several lines: the first later line that starts with "- "
    #: (1-based), else 0. YAML folds it into the text ("one - two"): a list item indented
    #: deeper than the "- " above it, or a list under a plain ``body:``, merges silently.
    folded_item: int = 0
    #: For a value left empty: the comment after it on its line when it looks like hashtags
    #: (``tags: #AI #ML``, ``- #AI``): YAML reads a '#' after a space as a comment, so the
    #: words a person typed as the value vanish.
    hashtags: str = ""

    @property
    def what(self) -> str:
        """How a person would call this kind of value in a message."""
        return {"scalar": "text", "map": "a mapping (key: value lines)", "seq": "a list"}[self.kind]


@dataclass
class YamlProblem:
    line: int
    col: int
    message: str


#: Stands in for a refused character during parsing. A Unicode non-character: legal for
#: YAML's reader but refused by the loader's own character check, so a replaced value can
#: never load even if its ``Node.bad`` were overlooked.
REPLACEMENT = "\ufdd0"
_REFUSED = re.compile(yaml.reader.Reader.NON_PRINTABLE.pattern)


def _refused_chars(text: str) -> tuple[str, list[int]]:
    """``text`` with every character YAML refuses replaced, and the positions replaced."""
    positions = [m.start() for m in _REFUSED.finditer(text)]
    if not positions:
        return text, positions
    return _REFUSED.sub(REPLACEMENT, text), positions


def _codes(text: str, positions: list[int]) -> tuple[str, ...]:
    return tuple(sorted({f"U+{ord(text[i]):04X}" for i in positions}))


_HINTS = (
    ("found unexpected end of stream", "a quote or bracket is not closed"),
    ("expected ',' or ']'", "a '[' list is not closed with ']'"),
    ("expected ',' or '}'", "a '{' mapping is not closed with '}'"),
    ("mapping values are not allowed", "quote text that contains ': '"),  # libyaml: "... in this context"
)


#: Parser contexts in which an error means something opened earlier was never closed.
_UNCLOSED = ("while parsing a flow sequence", "while parsing a flow mapping", "while scanning a quoted scalar")


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
    quote = _unclosed_quote(source, mark.line if mark is not None else len(source))
    if quote is not None:
        # A quote left open swallows the lines after it, up to the next quote character,
        # and the parser trips only there: name the line where it opens instead.
        line, col, text = quote
        return YamlProblem(line + 1, col + 1, text)
    hidden = _bracket_hidden_by_comment(source, mark.line if mark is not None else len(source))
    if hidden is not None:
        line, col, bracket = hidden
        return YamlProblem(line + 1, col + 1, f"YAML syntax: this '{bracket}' is never closed: the '#' after it "
                           "starts a comment, which hides the rest of the line; leave the '#' out or quote the text")
    misplaced = _misindented(source, mark.line if mark is not None else len(source))
    if misplaced is not None:
        line, col, text = misplaced
        return YamlProblem(line + 1, col + 1, text)
    opened = getattr(err, "context_mark", None)
    if context in _UNCLOSED and opened is not None and mark is not None and opened.line < mark.line:
        # The parser notices an unclosed quote or bracket only lines later; the line
        # to fix is the one where it was opened.
        text += f" (it opens on this line and is still open at line {mark.line + 1})"
        mark = opened
    if mark is None:
        return YamlProblem(0, 0, text)
    lines = source.splitlines()
    if mark.line < len(lines) and "\t" in lines[mark.line] and "tabs" not in text:
        text += "; indent with spaces, not tabs"
    return YamlProblem(mark.line + 1, mark.column + 1, text)


#: A line that looks like YAML structure (``key: value`` or a ``- `` list item): quoted
#: text that runs over such lines was not meant to.
_STRUCTURE = re.compile(r"^\s*(?:-\s+|[^\s:#'\"][^:#]*:(?:\s|$))")


def _unclosed_quote(source: str, error_line: int) -> tuple[int, int, str] | None:
    """After a syntax error at 0-based ``error_line``: the quote that was left open before
    it, as (line, column, message), both 0-based, or None.

    A quoted value may legally run over several lines, so a quote counts as left open only
    when its text runs on over lines that look like YAML structure (``key: value`` or
    ``- item``), up to the next quote character or to the end of the file."""
    lines = source.splitlines()

    def swallowed(start: int, end: int) -> bool:
        return any(_STRUCTURE.match(lines[i]) for i in range(start + 1, min(end, len(lines) - 1) + 1))

    def message(start: yaml.Mark, end: str) -> tuple[int, int, str]:
        quote = source[start.index]
        first = lines[start.line][start.column + 1:].strip()
        shown = first if len(first) <= 40 else first[:40].rstrip() + " ..."
        return (start.line, start.column,
                f"YAML syntax: unclosed quote {quote}{shown} (it runs on to {end}); end it with {quote} on this line")

    scanner = yaml.SafeLoader(source)
    found = None
    try:
        while scanner.check_token():
            token = scanner.get_token()
            if token.start_mark.line > error_line:
                break
            if (isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
                    and token.end_mark.line > token.start_mark.line
                    and swallowed(token.start_mark.line, token.end_mark.line)):
                found = message(token.start_mark, f"line {token.end_mark.line + 1}")
    except yaml.YAMLError as err:
        opened = getattr(err, "context_mark", None)
        if getattr(err, "context", None) == "while scanning a quoted scalar" and opened is not None \
                and swallowed(opened.line, len(lines) - 1):
            found = message(opened, "the end of the file")
    finally:
        scanner.dispose()
    return found


#: A '#' that starts a comment: at a token's start, after a space, '[', '{' or ','.
_COMMENT = re.compile(r"(?:^|[\s\[{,])#")


def _bracket_hidden_by_comment(source: str, error_line: int) -> tuple[int, int, str] | None:
    """After a syntax error at 0-based ``error_line``: the '[' or '{' left open on an earlier
    line whose closing bracket a comment hid (``tags: [#AI, #ML]``), as (line, column,
    bracket), both 0-based, or None."""
    lines = source.splitlines()
    scanner = yaml.SafeLoader(source)
    opened: list[yaml.Mark] = []
    try:
        while scanner.check_token():
            token = scanner.get_token()
            if token.start_mark.line > error_line:
                break
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
                opened.append(token.start_mark)
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)) and opened:
                opened.pop()
    except yaml.YAMLError:
        pass
    finally:
        scanner.dispose()
    for mark in reversed(opened):
        if mark.line < error_line and _COMMENT.search(lines[mark.line], mark.column):
            return mark.line, mark.column, source[mark.index]
    return None


#: A block ``key:`` line, perhaps after list dashes: its indent, dashes and key.
_KEY_LINE = re.compile(r"""^( *)((?:- +)*)([^\s#'"\[\]{},:-][^:#]*?|"[^"]*"|'[^']*'):(?:\s|$)""")
#: A ``- `` line whose item is not a key: its indent.
_DASH_LINE = re.compile(r"^( *)-(?:\s|$)")


def _spaces(count: int) -> str:
    return f"{count} space" + ("" if count == 1 else "s")


def _misindented(source: str, error_line: int) -> tuple[int, int, str] | None:
    """After a syntax error at 0-based ``error_line``: when that line is a ``key:`` (or a
    ``- `` item) indented to no column a key (or item) above it could share, the line,
    column (0-based) and a message naming the keys above it and their indentation, or None.

    libyaml's words for it depend on the direction: one space too deep reads as more of the
    text above ("mapping values are not allowed here"), too shallow as "did not find
    expected '-' indicator" or "... key"; a person needs to hear which line to line it up with."""
    lines = source.splitlines()
    if error_line >= len(lines):
        return None
    key = _KEY_LINE.match(lines[error_line])
    dash = None if key else _DASH_LINE.match(lines[error_line])
    if key is None and dash is None:
        return None
    # The keys and '- ' items before the line, outside flow collections: (line, column, shown, is a key).
    entries: list[tuple[int, int, str, bool]] = []
    scanner = yaml.SafeLoader(source)
    flow, after_key = 0, False
    try:
        while scanner.check_token():
            token = scanner.get_token()
            if token.start_mark.line >= error_line:
                break
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
                flow += 1
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
                flow -= 1
            elif flow == 0 and isinstance(token, yaml.BlockEntryToken):
                entries.append((token.start_mark.line, token.start_mark.column, "'- '", False))
            elif flow == 0 and after_key and isinstance(token, yaml.ScalarToken):
                entries.append((token.start_mark.line, token.start_mark.column, f"'{token.value}:'", True))
            after_key = flow == 0 and isinstance(token, yaml.KeyToken)
    except yaml.YAMLError:
        pass
    finally:
        scanner.dispose()
    # What encloses the line: walking up, each entry less indented than all those after it.
    chain, bound = [], float("inf")
    for entry in reversed(entries):
        if entry[1] < bound:
            chain.append(entry)
            bound = entry[1]
    if key is not None and key.group(2):  # "- key:" lines up by its dash
        key, dash = None, key
    if key is not None:
        column, shown, kind = len(key.group(1)) + len(key.group(2)), f"'{key.group(3)}:'", "keys of one mapping"
        peers = [e for e in chain if e[3]]
        fits = {e[1] for e in peers}
    else:
        column, shown, kind = len(dash.group(1)), "this '- ' item", "items of one list"
        peers = [e for e in chain if not e[3]]
        fits = {e[1] for e in peers} | {e[1] for e in chain if e[3]}  # a list may sit under its key
    if not peers or column in fits:
        return None
    deeper = min((e for e in peers if e[1] > column), key=lambda e: e[1], default=None)
    shallower = max((e for e in peers if e[1] < column), key=lambda e: e[1], default=None)

    def named(entry) -> str:
        return f"{entry[2]} on line {entry[0] + 1} ({_spaces(entry[1])})"

    if deeper is None:
        where = f"deeper than {named(shallower)}"
    elif shallower is None:
        where = f"less than {named(deeper)}"
    else:
        where = f"between {named(shallower)} and {named(deeper)}"
    return (error_line, column, f"YAML syntax: {shown} is indented {_spaces(column)}, {where}; {kind} line up: "
            "indent it as far as the one it belongs with")


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
    original = text
    text, refused = _refused_chars(text)
    claimed: set[int] = set()  # refused positions that fell inside a scalar
    reported: dict[str, YamlProblem] = {}  # "&a" / "*a" -> its one problem
    uses: dict[str, int] = {}

    def once(key: str, line: int, col: int, message: str) -> None:
        # An alias bomb repeats a handful of names thousands of times: one line per name.
        uses[key] = uses.get(key, 0) + 1
        if key not in reported:
            reported[key] = YamlProblem(line, col, message)
            problems.append(reported[key])

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
                once(f"*{event.anchor}", line, col, f"YAML aliases (*{event.anchor}) are not allowed; write the value out")
                add(Node("scalar", line, col, ""))
                continue
            if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if event.anchor is not None:
                    once(f"&{event.anchor}", line, col, f"YAML anchors (&{event.anchor}) are not allowed")
                if event.tag is not None and event.tag != "!":
                    problems.append(YamlProblem(line, col, f"YAML tags ({event.tag}) are not allowed; content is plain data"))
            if isinstance(event, yaml.ScalarEvent):
                node = Node("scalar", line, col, event.value, quoted=event.style in ("'", '"', "|", ">"))
                if event.style in (None, "") and event.end_mark.line > mark.line:
                    node.folded_item = _folded_item(text, mark, event.end_mark)
                if event.value == "" and event.style in (None, "") and mark is not None:
                    after = _HASHTAGS.match(text, mark.index)
                    node.hashtags = after[1].rstrip() if after else ""
                if refused:
                    lo = bisect.bisect_left(refused, event.start_mark.index)
                    hi = bisect.bisect_left(refused, event.end_mark.index)
                    if hi > lo:
                        node.bad = _codes(original, refused[lo:hi])
                        claimed.update(refused[lo:hi])
                add(node)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                node = Node("map" if isinstance(event, yaml.MappingStartEvent) else "seq", line, col)
                add(node)
                stack.append(node)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
    except yaml.YAMLError as err:
        found = [_syntax_message(err, text)]
        return None, found + _stray(original, refused, set())
    for key, problem in reported.items():
        if uses[key] > 1:
            problem.message += f" (used {uses[key]} times)"
    return root, problems + _stray(original, refused, claimed)


#: What follows an empty value on its line when it is a comment that starts like a hashtag.
_HASHTAGS = re.compile(r"[ \t]+(#[^\s#][^\n]*)")


#: A line break followed by a line that starts with "- ".
_ITEM = re.compile(r"\n[ \t]*- ")


def _folded_item(text: str, start: yaml.Mark, end: yaml.Mark) -> int:
    """The 1-based number of the first line after the first of the scalar from ``start`` to
    ``end`` that starts with "- ", else 0. Reads the scalar's own text only (a file of many
    such scalars costs its length, not its length times their number)."""
    found = _ITEM.search(text, start.index, end.index)
    return start.line + 1 + text.count("\n", start.index, found.start() + 1) if found else 0


def _stray(text: str, refused: list[int], claimed: set[int]) -> list[YamlProblem]:
    """Refused characters outside any scalar, one problem per line."""
    by_line: dict[int, tuple[int, list[int]]] = {}
    for pos in refused:
        if pos in claimed:
            continue
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        by_line.setdefault(line, (col, []))[1].append(pos)
    return [YamlProblem(line, col, f"control character {', '.join(_codes(text, found))} is not allowed; remove it")
            for line, (col, found) in sorted(by_line.items())]
