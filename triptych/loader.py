"""Content file -> ``Talk``: the whole contract of DESIGN.md, every problem reported at once.

``load(path)`` reads the file as plain data (``triptych.yamldata``), walks it against
the schema below and either returns a ``Talk`` or raises one ``ContentError`` holding
every problem in the file, each as ``path:line: field.path: message``.

Rules, each with a test in tests/test_loader.py:
- the file is UTF-8 text of at most ``MAX_FILE_BYTES``, and not empty;
- YAML is data: no tags, anchors, aliases; one document; duplicate keys refused;
- every scalar is kept as written (``title: no`` is the word "no");
- unknown keys are refused, with a did-you-mean when a known key is close;
- required fields: title, author.name, sections (at least one), each section's title;
- one-line fields hold one line; every text field has a length cap; the Markdown of the
  whole file has a parsing budget (``MAX_FILE_BRACKET_COST``);
- control characters and Unicode non-characters are refused, naming the field (raw ones
  too, which YAML itself would refuse without saying where);
- Markdown fields may link only to http, https and mailto URLs and hold no images;
- ``date`` is a real ISO date; ``lang`` is a BCP 47 tag; URLs are absolute http(s);
- section ids are unique slugs; ``only`` names deck, article or handout;
- a table's rows have as many cells as it has columns; ``compare`` has two sides;
- an image exists inside the content file's own folder, is a PNG, JPEG or GIF, and has
  alt text that is not a file name.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from . import markup
from .errors import ContentError, Problem
from .files import as_path
from .model import FAMILIES, Author, Column, Credit, Image, Point, Quote, Section, Table, Talk
from .yamldata import Node, parse

MAX_FILE_BYTES = 1_000_000
MAX_LINE = 300  # one-line fields: titles, points, cells, names
MAX_BLOCK = 20_000  # body, notes, summary
MAX_SECTIONS = 1_000
MAX_IMAGE_BYTES = 20_000_000
#: Sum of ``markup.bracket_cost`` over every Markdown field of a file. Each field alone may
#: be fine, yet thousands of them would take minutes to parse (once per output); this keeps
#: a whole file's worst case to about a second per output.
MAX_FILE_BRACKET_COST = 4_000_000
IMAGE_FORMATS = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg", b"GIF87a": "gif", b"GIF89a": "gif"}

_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_LAYOUT = re.compile(r"^[A-Za-z][A-Za-z0-9 _-]*$")
_FILE_NAME = re.compile(r"^\S+\.(png|jpe?g|gif|svg|webp|bmp|tiff?)$", re.IGNORECASE)


def _forbidden_chars(text: str, multiline: bool) -> list[str]:
    bad = []
    for ch in text:
        code = ord(ch)
        if ch in "\n\t" and multiline:
            continue
        if unicodedata.category(ch) in ("Cc", "Cs") or (0xFDD0 <= code <= 0xFDEF) or (code & 0xFFFE) == 0xFFFE:
            bad.append(f"U+{code:04X}")
    return sorted(set(bad))


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by '-' ("What is an LLM?" -> "what-is-an-llm"); accents
    are folded, other characters dropped. Empty when nothing is left."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


@dataclass
class _Reader:
    """Walks the node tree, building model values and collecting problems."""

    path: str
    base_dir: Path

    def __post_init__(self) -> None:
        self.problems: list[Problem] = []
        self.lines: dict[str, int] = {}
        self.bracket_cost = 0
        self.seen_bad: set[int] = set()  # id() of nodes whose refused characters were reported

    def error(self, node_or_line: Node | int, field: str, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else node_or_line.line
        self.problems.append(Problem(self.path, line, field, message))

    # -- structure --------------------------------------------------------------------

    def mapping(self, node: Node, field: str, known: tuple[str, ...], required: tuple[str, ...] = ()) -> dict[str, Node] | None:
        """The keys of a mapping node; unknown keys, duplicates and missing required keys
        are reported. None (after reporting) when ``node`` is not a mapping."""
        if node.kind != "map":
            self.error(node, field or "(file)", f"expected {Node('map', 0, 0).what}, found {node.what}")
            return None
        found: dict[str, Node] = {}
        for key, value in node.items:
            name = key.value if key.kind == "scalar" else ""
            where = f"{field}.{name}" if field else name
            if key.kind != "scalar":
                self.error(key, field or "(file)", "a key must be plain text")
            elif name in found:
                self.error(key, where, f"duplicate key (first set at line {found[name].line}); keep one")
            elif name not in known:
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"
                self.error(key, where, f"unknown key '{name}'{hint}")
            else:
                found[name] = value if value is not None else Node("scalar", key.line, key.col, "")
        for name in required:
            if name not in found:
                self.error(node, f"{field}.{name}" if field else name, "is required")
        return found

    def sequence(self, node: Node, field: str) -> list[Node]:
        if node.kind == "seq":
            return node.items
        if node.kind == "scalar" and node.value == "" and not node.quoted:
            return []
        self.error(node, field, f"expected a list, found {node.what}")
        return []

    # -- text -------------------------------------------------------------------------

    def text(self, node: Node | None, field: str, *, multiline: bool = False, required: bool = False,
             limit: int | None = None, markdown: bool = True) -> str:
        """A text field, NFC-normalised. Reports wrong type, a line break in a one-line field,
        the length cap, forbidden characters and (for Markdown fields) link problems."""
        if node is None:
            return ""
        self.lines[field] = node.line
        if node.kind != "scalar":
            self.error(node, field, f"expected text, found {node.what}")
            return ""
        if node.bad:
            self.seen_bad.add(id(node))
            self.error(node, field, f"contains control or non-characters ({', '.join(node.bad)}); remove them")
            return ""
        value = unicodedata.normalize("NFC", node.value)
        value = value.strip() if not multiline else value.strip("\n").rstrip()
        limit = limit or (MAX_BLOCK if multiline else MAX_LINE)
        if required and not value.strip():
            self.error(node, field, "is required and must not be empty")
            return ""
        if not multiline and "\n" in value:
            self.error(node, field, "must be one line; remove the line break (use a block field such as body for prose)")
            return ""
        if len(value) > limit:
            self.error(node, field, f"is {len(value)} characters long; at most {limit} are allowed")
            return ""
        bad = _forbidden_chars(value, multiline)
        if bad:
            self.error(node, field, f"contains control or non-characters ({', '.join(bad)}); remove them")
            return ""
        if markdown and value:
            found = markup.problems(value, inline=not multiline, parse=False)  # caps only: no parsing yet
            if not found:
                before = self.bracket_cost
                self.bracket_cost += markup.bracket_cost(value)
                if self.bracket_cost > MAX_FILE_BRACKET_COST:
                    # Reported once, at the field that crossed the budget; later fields are not parsed.
                    if before <= MAX_FILE_BRACKET_COST:
                        self.error(node, field, "the file holds too much '['-heavy text to read in reasonable time; "
                                                "remove stray '[' or split the piece into several files")
                    return ""
                found = markup.problems(value, inline=not multiline)
            for message in found:
                self.error(node, field, message)
            if found:
                return ""
        return value

    def unreported_bad(self, node: Node) -> None:
        """Report refused characters in nodes the schema never read as text (keys, say),
        so no such character can slip through unreported."""
        if node.bad and id(node) not in self.seen_bad:
            self.error(node, "", f"control or non-characters ({', '.join(node.bad)}) are not allowed; remove them")
        if node.kind == "seq":
            for item in node.items:
                self.unreported_bad(item)
        elif node.kind == "map":
            for key, value in node.items:
                self.unreported_bad(key)
                if value is not None:
                    self.unreported_bad(value)

    def url(self, node: Node | None, field: str) -> str:
        value = self.text(node, field, markdown=False)
        if value:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
                self.error(node, field, f"'{value}' is not an absolute http(s) URL")
                return ""
        return value

    def texts(self, node: Node | None, field: str, check: Callable[[str, Node, str], None] | None = None, **kw) -> tuple[str, ...]:
        if node is None:
            return ()
        self.lines[field] = node.line
        out = []
        for i, item in enumerate(self.sequence(node, field)):
            value = self.text(item, f"{field}[{i}]", **kw)
            if value and check:
                check(value, item, f"{field}[{i}]")
            out.append(value)
        return tuple(out)

    # -- the schema -------------------------------------------------------------------

    def talk(self, root: Node, slug: str) -> Talk | None:
        top = self.mapping(
            root, "",
            ("title", "subtitle", "author", "date", "lang", "tags", "canonical_url", "source", "summary", "sections"),
            ("title", "author", "sections"),
        )
        if top is None:
            return None
        title = self.text(top.get("title"), "title", required="title" in top, markdown=False)
        author = self.author(top.get("author"))
        sections = self.sections(top.get("sections"))
        tags = self.texts(top.get("tags"), "tags", check=self.tag, markdown=False)
        talk = Talk(
            path=self.path,
            base_dir=self.base_dir,
            slug=slug,
            title=title,
            subtitle=self.text(top.get("subtitle"), "subtitle", markdown=False),
            author=author or Author(""),
            date=self.date(top.get("date")),
            lang=self.lang(top.get("lang")),
            tags=tags,
            canonical_url=self.url(top.get("canonical_url"), "canonical_url"),
            source=self.credit(top.get("source")),
            summary=self.text(top.get("summary"), "summary", multiline=True),
            sections=sections,
            lines=self.lines,
        )
        return talk

    def tag(self, value: str, node: Node, field: str) -> None:
        if value.startswith("#"):
            self.error(node, field, f"write the tag without '#' ('{value.lstrip('#')}'); it is added where needed")
        elif any(ch.isspace() for ch in value):
            self.error(node, field, f"a tag is one word (hashtags cannot hold spaces): try '{''.join(value.split())}'")

    def author(self, node: Node | None) -> Author | None:
        if node is None:
            return None
        self.lines["author"] = node.line
        if node.kind == "scalar":  # `author: Jane Doe` is a common shorthand; accept it
            return Author(self.text(node, "author.name", required=True, markdown=False))
        keys = self.mapping(node, "author", ("name", "role", "url"), ("name",))
        if keys is None:
            return None
        return Author(
            name=self.text(keys.get("name"), "author.name", required="name" in keys, markdown=False),
            role=self.text(keys.get("role"), "author.role", markdown=False),
            url=self.url(keys.get("url"), "author.url"),
        )

    def credit(self, node: Node | None) -> Credit | None:
        if node is None:
            return None
        self.lines["source"] = node.line
        keys = self.mapping(node, "source", ("title", "author", "url"), ("title",))
        if keys is None:
            return None
        return Credit(
            title=self.text(keys.get("title"), "source.title", required="title" in keys, markdown=False),
            author=self.text(keys.get("author"), "source.author", markdown=False),
            url=self.url(keys.get("url"), "source.url"),
        )

    def date(self, node: Node | None) -> dt.date | None:
        value = self.text(node, "date", markdown=False)
        if not value:
            return None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            self.error(node, "date", f"'{value}' is not an ISO date; write YYYY-MM-DD")
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError as err:
            self.error(node, "date", f"'{value}' is not a real date ({err})")
            return None

    def lang(self, node: Node | None) -> str:
        value = self.text(node, "lang", markdown=False)
        if value and not _LANG.match(value):
            self.error(node, "lang", f"'{value}' is not a BCP 47 language tag such as en, en-GB or pt-BR")
            return "en"
        return value or "en"

    def sections(self, node: Node | None) -> tuple[Section, ...]:
        if node is None:
            return ()
        self.lines["sections"] = node.line
        items = self.sequence(node, "sections")
        if not items:
            if node.kind in ("seq", "scalar"):
                self.error(node, "sections", "needs at least one section")
            return ()
        if len(items) > MAX_SECTIONS:
            self.error(node, "sections", f"has {len(items)} sections; at most {MAX_SECTIONS} are allowed")
            return ()
        out: list[Section] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            section = self.section(item, i)
            if section is None:
                continue
            if section.id in seen:
                self.error(self.lines.get(f"sections[{i}].id", item.line), f"sections[{i}].id",
                           f"id '{section.id}' is already used by sections[{seen[section.id]}]; ids must be unique")
            seen.setdefault(section.id, i)
            out.append(section)
        return tuple(out)

    def section(self, node: Node, i: int) -> Section | None:
        field = f"sections[{i}]"
        self.lines[field] = node.line
        keys = self.mapping(node, field, ("title", "id", "body", "points", "notes", "table", "compare", "quote",
                                          "image", "only", "layout"), ("title",))
        if keys is None:
            return None
        title = self.text(keys.get("title"), f"{field}.title", required="title" in keys)
        ident = self.text(keys.get("id"), f"{field}.id", markdown=False)
        if ident and not _ID.match(ident):
            self.error(keys["id"], f"{field}.id", f"'{ident}' is not a slug; use lowercase letters, digits and '-' (e.g. '{slugify(ident) or 'intro'}')")
        if not ident:
            ident = slugify(markup.to_plain(title)) if title else ""
            ident = ident or f"section-{i + 1}"
        layout = self.text(keys.get("layout"), f"{field}.layout", markdown=False)
        if layout and not _LAYOUT.match(layout):
            self.error(keys["layout"], f"{field}.layout", f"'{layout}' is not a layout name")
        return Section(
            index=i,
            title=title,
            id=ident,
            body=self.text(keys.get("body"), f"{field}.body", multiline=True),
            points=self.points(keys.get("points"), f"{field}.points", nested=True),
            notes=self.text(keys.get("notes"), f"{field}.notes", multiline=True),
            table=self.table(keys.get("table"), f"{field}.table"),
            compare=self.compare(keys.get("compare"), f"{field}.compare"),
            quote=self.quote(keys.get("quote"), f"{field}.quote"),
            image=self.image(keys.get("image"), f"{field}.image"),
            only=self.only(keys.get("only"), f"{field}.only"),
            layout=layout,
        )

    def points(self, node: Node | None, field: str, nested: bool) -> tuple[Point, ...]:
        if node is None:
            return ()
        self.lines[field] = node.line
        out = []
        for j, item in enumerate(self.sequence(node, field)):
            where = f"{field}[{j}]"
            if item.kind == "map":
                self.lines[where] = item.line
                if not nested:
                    self.error(item, where, "points nest one level only; make this a plain point")
                    continue
                keys = self.mapping(item, where, ("text", "points"), ("text",))
                if keys is None:
                    continue
                text = self.text(keys.get("text"), f"{where}.text", required="text" in keys)
                self.lines[where] = item.line
                out.append(Point(text, self.points(keys.get("points"), f"{where}.points", nested=False), where))
            else:
                text = self.text(item, where, required=True)
                out.append(Point(text, (), where))
        return tuple(out)

    def table(self, node: Node | None, field: str) -> Table | None:
        if node is None:
            return None
        self.lines[field] = node.line
        keys = self.mapping(node, field, ("caption", "columns", "rows"), ("columns", "rows"))
        if keys is None:
            return None
        columns = self.texts(keys.get("columns"), f"{field}.columns", required=True)
        if "columns" in keys and not columns:
            self.error(keys["columns"], f"{field}.columns", "needs at least one column")
        rows = []
        for r, row in enumerate(self.sequence(keys["rows"], f"{field}.rows") if "rows" in keys else []):
            cells = self.texts(row, f"{field}.rows[{r}]")
            if row.kind == "seq" and columns and len(cells) != len(columns):
                self.error(row, f"{field}.rows[{r}]", f"has {len(cells)} cells; the table has {len(columns)} columns")
            rows.append(cells)
        if "rows" in keys and not rows and keys["rows"].kind != "map":
            self.error(keys["rows"], f"{field}.rows", "needs at least one row")
        return Table(columns, tuple(rows), self.text(keys.get("caption"), f"{field}.caption"), field)

    def compare(self, node: Node | None, field: str) -> tuple[Column, Column] | None:
        if node is None:
            return None
        self.lines[field] = node.line
        sides = self.sequence(node, field)
        if node.kind == "seq" and len(sides) != 2:
            self.error(node, field, f"has {len(sides)} sides; a comparison has exactly two")
            return None
        columns = []
        for k, side in enumerate(sides):
            where = f"{field}[{k}]"
            self.lines[where] = side.line
            keys = self.mapping(side, where, ("title", "points"), ("title",))
            if keys is None:
                return None
            columns.append(Column(
                self.text(keys.get("title"), f"{where}.title", required="title" in keys),
                self.points(keys.get("points"), f"{where}.points", nested=False),
                where,
            ))
        return (columns[0], columns[1]) if len(columns) == 2 else None

    def quote(self, node: Node | None, field: str) -> Quote | None:
        if node is None:
            return None
        self.lines[field] = node.line
        keys = self.mapping(node, field, ("text", "by"), ("text",))
        if keys is None:
            return None
        return Quote(
            self.text(keys.get("text"), f"{field}.text", required="text" in keys, multiline=True, limit=1_000),
            self.text(keys.get("by"), f"{field}.by"),
            field,
        )

    def image(self, node: Node | None, field: str) -> Image | None:
        if node is None:
            return None
        self.lines[field] = node.line
        keys = self.mapping(node, field, ("path", "alt", "caption"), ("path", "alt"))
        if keys is None:
            return None
        src = self.text(keys.get("path"), f"{field}.path", required="path" in keys, markdown=False)
        alt = self.text(keys.get("alt"), f"{field}.alt", required="alt" in keys, markdown=False, limit=1_000)
        caption = self.text(keys.get("caption"), f"{field}.caption")
        if alt and (_FILE_NAME.match(alt) or (src and Path(src).name == alt)):
            self.error(keys["alt"], f"{field}.alt", "must describe the picture for someone who cannot see it, not name a file")
            alt = ""
        path = self.image_path(keys.get("path"), f"{field}.path", src) if src else None
        if path is None or not alt:
            return None
        return Image(path, src, alt, caption, field)

    def image_path(self, node: Node, field: str, src: str) -> Path | None:
        """Resolve ``src`` inside the content folder, refusing anything that leaves it
        (absolute paths, '..', symlinks pointing out), URLs and non-images."""
        if "://" in src or src.startswith("data:"):
            self.error(node, field, "must be a file in the content folder, not a URL")
            return None
        if Path(src).is_absolute() or src.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", src):
            self.error(node, field, f"'{src}' is an absolute path; give a path relative to {self.display_dir}")
            return None
        base = self.base_dir.resolve()
        target = (base / src).resolve()
        if base != target and base not in target.parents:
            self.error(node, field, f"'{src}' is outside the content folder {self.display_dir}; images must live inside it")
            return None
        if not target.is_file():
            self.error(node, field, f"image '{src}' not found in {self.display_dir}")
            return None
        size = target.stat().st_size
        if size > MAX_IMAGE_BYTES:
            self.error(node, field, f"image '{src}' is {size} bytes; at most {MAX_IMAGE_BYTES} are allowed")
            return None
        with target.open("rb") as fh:
            head = fh.read(8)
        if not any(head.startswith(magic) for magic in IMAGE_FORMATS):
            self.error(node, field, f"'{src}' is not a PNG, JPEG or GIF image")
            return None
        return target

    @property
    def display_dir(self) -> str:
        parent = str(Path(self.path).parent)
        return parent + "/" if parent != "." else "./"

    def only(self, node: Node | None, field: str) -> frozenset[str]:
        if node is None:
            return frozenset(FAMILIES)
        names = self.texts(node, field, markdown=False) if node.kind == "seq" else (self.text(node, field, markdown=False),)
        good = set()
        for k, name in enumerate(names):
            if name in FAMILIES:
                good.add(name)
            elif name:
                close = difflib.get_close_matches(name, FAMILIES, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"use {', '.join(FAMILIES)}"
                self.error(node.items[k] if node.kind == "seq" else node, f"{field}[{k}]" if node.kind == "seq" else field,
                           f"unknown output '{name}'; {hint}")
        if not names:
            self.error(node, field, f"names no output; list some of {', '.join(FAMILIES)} or remove it")
        return frozenset(good) if good else frozenset(FAMILIES)


def display_path(path: str | os.PathLike[str]) -> str:
    """How a file is named in messages: relative to the working folder when inside it."""
    path = as_path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load(path: str | os.PathLike[str], display: str | None = None) -> Talk:
    """Read and validate one content file.

    Raises ``ContentError`` with every problem in the file; never another exception for
    anything the file contains. ``display`` is how the file is named in messages
    (default: the path relative to the working folder).
    """
    path = as_path(path)
    shown = display or display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ContentError.one(shown, 0, "", f"cannot read the file: {err.strerror or err}") from None
    return loads(raw, shown, path.parent, slugify(path.stem) or "talk")


def loads(raw: bytes | str, display: str, base_dir: str | os.PathLike[str], slug: str) -> Talk:
    """Validate content given as bytes or text; ``base_dir`` confines images."""
    base_dir = as_path(base_dir)
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_FILE_BYTES:
        raise ContentError.one(display, 0, "", f"file is {len(raw)} bytes; at most {MAX_FILE_BYTES} are allowed")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ContentError.one(display, line, "", f"is not UTF-8 text (byte 0x{raw[err.start]:02x}); save the file as UTF-8") from None
    if not text.strip():
        raise ContentError.one(display, 0, "", "file is empty; a content file needs at least title, author and sections")
    root, yaml_problems = parse(text)
    reader = _Reader(display, base_dir)
    for problem in yaml_problems:
        reader.error(problem.line, "", problem.message)
    if root is None:
        if not reader.problems:
            reader.error(1, "", "holds no content (only comments?)")
        raise ContentError(reader.problems)
    talk = reader.talk(root, slug)
    reader.unreported_bad(root)
    if reader.problems or talk is None:
        raise ContentError(reader.problems)
    return talk
