"""A ``Draft`` written as a content file: the contract's keys in its order, review notes
as comments above the fields they concern, prose as literal block scalars.

Every value is emitted by PyYAML's own emitter (then indented into place), so quoting is
never ours to get wrong: a title ``no`` or ``2024-10-14`` comes out quoted, a body with
trailing blanks or characters YAML treats as line breaks falls back to a double-quoted
scalar, and ``loader.load`` reads back exactly the strings in the draft.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from . import draft

#: Characters PyYAML reads as line breaks; a block scalar holding one would not indent as written.
_BREAKS = ("\x85", "\u2028", "\u2029")


@dataclass(frozen=True)
class Review:
    """A review note as written: its line in the file (1-based), field and message."""

    line: int
    field: str
    message: str


def _scalar(value: str, block: bool) -> list[str]:
    """``value`` as YAML: the first line follows ``key: ``, the others are indented as if the
    key stood at column 0 (the caller indents them further)."""
    style = "|" if block and "\n" in value and not any(b in value for b in _BREAKS) else None
    text = _dump(value, style)
    if style and "\t" in value and not text.startswith("|"):
        # PyYAML writes no block scalar holding a tab (it counts a tab as a special character),
        # though YAML reads one as written: a listing indented with tabs came out as one escaped
        # line ("func main() {\n\tfmt..."). Its tabs stand in for a character the value lacks,
        # and the block is kept when it reads back as the value.
        mark = next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in value)
        swapped = _dump(value.replace("\t", mark), style).replace(mark, "\t")
        if swapped.startswith("|") and yaml.safe_load("k: " + swapped) == {"k": value}:
            text = swapped
    if text.endswith("\n...\n"):
        text = text[: -len("...\n")]
    return text.rstrip("\n").split("\n")


def _dump(value: str, style: str | None) -> str:
    return yaml.dump(value, Dumper=yaml.SafeDumper, default_style=style, allow_unicode=True, width=1 << 30)


def _flow(values: tuple[str, ...]) -> str:
    return yaml.dump(list(values), Dumper=yaml.SafeDumper, default_flow_style=True, allow_unicode=True,
                     width=1 << 30).rstrip("\n")


class _Writer:
    def __init__(self, d: draft.Draft) -> None:
        self.draft = d
        self.lines: list[str] = []
        self.placed: list[Review] = []

    def comments(self, path: str, indent: int) -> None:
        for message in self.draft.reviews_at(path):
            self.lines.append(" " * indent + "# review: " + " ".join(message.split()))
            self.placed.append(Review(len(self.lines), path, message))

    def key(self, path: str | None, name: str, value: str, indent: int, block: bool = False, lead: str = "") -> None:
        """``name: value`` at ``indent`` (``lead`` replaces the indent's last characters, for ``- ``)."""
        if path is not None:
            self.comments(path, indent - len(lead))
        first, *rest = _scalar(value, block)
        prefix = " " * (indent - len(lead)) + lead
        self.lines.append(f"{prefix}{name}: {first}")
        self.lines.extend(" " * indent + line if line else "" for line in rest)

    def item(self, value: str, indent: int) -> None:
        first, *rest = _scalar(value, False)
        self.lines.append(" " * indent + "- " + first)
        self.lines.extend(" " * (indent + 2) + line if line else "" for line in rest)

    def write(self) -> str:
        d = self.draft
        self.comments("", 0)
        self.key("title", "title", d.title, 0)
        if d.subtitle:
            self.key("subtitle", "subtitle", d.subtitle, 0)
        self.comments("author", 0)
        self.lines.append("author:")
        self.key("author.name", "name", d.author, 2)
        if d.date:
            self.lines.append(f'date: "{d.date}"')
        if d.lang:
            self.key("lang", "lang", d.lang, 0)
        if d.tags:
            self.lines.append(f"tags: {_flow(d.tags)}")
        if d.canonical_url:
            self.key("canonical_url", "canonical_url", d.canonical_url, 0)
        if d.summary:
            self.key("summary", "summary", d.summary, 0, block=True)
        self.lines.append("sections:")
        for i, section in enumerate(d.sections):
            self.section(f"sections[{i}]", section)
        return "\n".join(self.lines) + "\n"

    def section(self, where: str, s: draft.Section) -> None:
        self.key(f"{where}.title", "title", s.title, 4, lead="- ")
        if s.id:
            self.key(None, "id", s.id, 4)
        if s.body:
            self.key(f"{where}.body", "body", s.body, 4, block=True)
        else:
            self.comments(f"{where}.body", 4)
        self.comments(f"{where}.points", 4)
        if s.points:
            self.lines.append("    points:")
            for point in s.points:
                if point.points:
                    self.key(None, "text", point.text, 8, lead="- ")
                    self.lines.append("        points:")
                    for sub in point.points:
                        self.item(sub, 10)
                else:
                    self.item(point.text, 6)
        self.comments(f"{where}.table", 4)
        if s.table:
            self.lines.append("    table:")
            if s.table.caption:
                self.key(None, "caption", s.table.caption, 6)
            self.lines.append(f"      columns: {_flow(s.table.columns)}")
            self.lines.append("      rows:")
            self.lines.extend(f"        - {_flow(row)}" for row in s.table.rows)
        if s.quote:
            self.lines.append("    quote:")
            self.key(None, "text", s.quote.text, 6, block=True)
            if s.quote.by:
                self.key(None, "by", s.quote.by, 6)
        self.comments(f"{where}.image", 4)
        if s.image:
            self.lines.append("    image:")
            self.key(None, "path", s.image.path, 6)
            self.key(None, "alt", s.image.alt, 6)
            if s.image.caption:
                self.key(None, "caption", s.image.caption, 6)
        self.comments(f"{where}.code", 4)
        if s.code:
            self.lines.append("    code:")
            self.key(None, "lang", s.code.lang, 6)
            if s.code.caption:
                self.key(None, "caption", s.code.caption, 6)
            self.key(None, "text", s.code.text, 6, block=True)


def to_yaml(d: draft.Draft, header: str = "") -> tuple[str, list[Review]]:
    """The content file's text and the review notes in it, with their lines. ``header``
    (one line) opens the file as a comment."""
    writer = _Writer(d)
    text = writer.write()
    reviews = writer.placed
    placed = {(r.field, r.message) for r in reviews}
    missing = [(path, message) for path, message in d.reviews if (path, message) not in placed]
    top = [f"# {' '.join(header.split())}"] if header else []
    top += [f"# review: {' '.join(message.split())}" for _, message in missing]
    shift = len(top)
    reviews = [Review(k + 1, path, message) for k, (path, message) in enumerate(missing, len(top) - len(missing))] \
        + [Review(r.line + shift, r.field, r.message) for r in reviews]
    return "\n".join(top + [text]) if top else text, sorted(reviews, key=lambda r: r.line)
