"""Content file -> ``Talk``: the content format the README documents, every problem reported at once.

``load(path)`` reads the file as plain data (``triptych.yamldata``), reads it through the
schema below (``TALK``, declared with ``triptych.schema``: the known keys of each mapping
are fields of the model's dataclasses) and either returns a ``Talk`` or raises one
``ContentError`` holding every problem in the file, each as ``path:line: field.path: message``.

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
- section ids are unique slugs; ``only`` names deck, article or handout; ``layout`` names
  one of the deck's layouts (``model.LAYOUTS``), so a typo there is reported with the rest;
- a table's rows have as many cells as it has columns; ``compare`` has two sides;
- an image exists inside the content file's own folder (``triptych.folder``), is a PNG,
  JPEG or GIF, and has alt text that is not a file name;
- ``theme`` names a built-in theme or a theme file inside the content file's own folder;
- a chart's numbers are numbers, one per category in every series (``triptych.charts.data``),
  and a chart's CSV file follows the image's rules (inside the folder, under its limits).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import emojis, markup
from .charts.data import chart_field
from .errors import ContentError
from .files import as_path, display_path
from .folder import ContentReader, content_file, image_path, inside_folder
from .listing import CODE
from .model import FAMILIES, LAYOUTS, Author, Column, Credit, Image, Point, Quote, Section, Table, Talk
from .schema import MAX_BLOCK, MAX_LINE, Choice, Field, Flag, ListOf, Reader, Record, Text, count, did_you_mean
from .theme import builtin_themes
from .themefile import ThemeFile
from .yamldata import Node, parse

__all__ = ["load", "loads", "slugify", "TALK", "SECTION", "PARTS", "MAX_LINE", "MAX_BLOCK"]

MAX_FILE_BYTES = 1_000_000
MAX_SECTIONS = 1_000
#: Sum of ``markup.bracket_cost`` over every Markdown field of a file. Each field alone may
#: be fine, yet thousands of them would take minutes to parse (once per output); this keeps
#: a whole file's worst case to about a second per output.
MAX_FILE_BRACKET_COST = 4_000_000

_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
#: What ``--import`` reads: an article given as a content file is pointed there.
_ARTICLE_SUFFIXES = (".md", ".markdown", ".html", ".htm")
_FILE_NAME = re.compile(r"^\S+\.(png|jpe?g|gif|svg|webp|bmp|tiff?)$", re.IGNORECASE)


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by '-' ("What is an LLM?" -> "what-is-an-llm"); accents
    are folded, other characters dropped. Empty when nothing is left."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


# -- checks of one value: each reports what is wrong and returns the value to keep -------

def _url(r: Reader, node: Node, where: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        r.error(node, where, f"'{value}' is not an absolute http(s) URL")
        return ""
    return value


def _tag(r: Reader, node: Node, where: str, value: str) -> str:
    if value.startswith("#"):
        r.error(node, where, f"write the tag without '#' ('{value.lstrip('#')}'); it is added where needed")
    elif any(ch.isspace() for ch in value):
        r.error(node, where, f"a tag is one word (hashtags cannot hold spaces): try '{''.join(value.split())}'")
    elif found := emojis.sequences(value):
        # LinkedIn and Medium end a hashtag at an emoji: '#🚀Launch' is a '#' and loose text.
        rest = emojis.strip(value).strip()
        hint = f": try '{rest}'" if rest else ""
        r.error(node, where, f"a tag cannot hold an emoji ({' '.join(found)}); hashtags end at one{hint}")
    return value


def _date(r: Reader, node: Node, where: str, value: str) -> dt.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        r.error(node, where, f"'{value}' is not an ISO date; write YYYY-MM-DD")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as err:
        r.error(node, where, f"'{value}' is not a real date ({err})")
        return None


def _lang(r: Reader, node: Node, where: str, value: str) -> str:
    if not _LANG.match(value):
        r.error(node, where, f"'{value}' is not a BCP 47 language tag such as en, en-GB or pt-BR")
        return "en"
    return value


def _slug(r: Reader, node: Node, where: str, value: str) -> str:
    if not _ID.match(value):
        r.error(node, where, f"'{value}' is not a slug; use lowercase letters, digits and '-' "
                             f"(e.g. '{slugify(value) or 'intro'}')")
    return value


PLAIN = Text(markdown=False)  # names, ids, URLs: shown as written, never parsed as Markdown
URL = Text(markdown=False, check=_url)


# -- the parts of a section ---------------------------------------------------------------

class _Points(Field):
    """A list of points: each a line of text or, when ``nested``, a mapping of ``text`` and
    one more level of plain ``points``."""

    empty = ()

    def __init__(self, nested: bool):
        super().__init__()
        self.nested = nested

    def read(self, r: Reader, node: Node, where: str) -> tuple[Point, ...]:
        items = ListOf.nodes(r, node, where)
        if items == []:
            # ``points: []`` (or nothing after ``points:``) is a list emptied by mistake, as
            # ``sections: []`` is; a section without points leaves the key out.
            r.error(node, where, "needs at least one point; list them, or leave points out")
        points = []
        for j, item in enumerate(items or ()):
            here = f"{where}[{j}]"
            r.lines[here] = item.line
            if item.kind != "map":
                points.append(Point(r.read(_POINT_TEXT, item, here), (), here))
            elif not self.nested:
                r.error(item, here, "points nest one level only; make this a plain point")
            elif (point := r.read(_POINT, item, here)) is not None:
                points.append(point)
        return tuple(points)


_POINT_TEXT = Text(required=True)
_POINT = Record(Point, {"text": Text(required=True), "points": _Points(nested=False)})


class _Row(ListOf):
    empty = None  # a row that is not a list reads as None: no cell count to compare


def _table(r: Reader, node: Node, where: str, values: dict) -> Table:
    columns, rows = values.get("columns") or (), []
    for k, cells in enumerate(values.get("rows") or ()):
        row = f"{where}.rows[{k}]"
        if cells is not None and columns and len(cells) != len(columns):
            r.error(r.lines[row], row, f"has {count(len(cells), 'cell')}; the table has {count(len(columns), 'column')}")
        rows.append(cells or ())
    return Table(columns, tuple(rows), values.get("caption", ""), where)


TABLE = Record(Table, {
    "caption": Text(),
    "columns": ListOf(Text(required=True), required=True, min_items=1, too_few="needs at least one column"),
    "rows": ListOf(_Row(Text()), required=True, min_items=1, too_few="needs at least one row"),
}, make=_table)


class _Compare(ListOf):
    """Exactly two sides, each a ``Column``; None otherwise."""

    def read(self, r: Reader, node: Node, where: str) -> tuple[Column, Column] | None:
        sides = self.nodes(r, node, where)
        if sides is None or not (sides or node.kind == "seq"):  # refused, or left blank
            return None
        if len(sides) != 2:
            r.error(node, where, f"has {count(len(sides), 'side')}; a comparison has exactly two")
            return None
        columns = super().read(r, node, where)
        return columns if columns and len(columns) == 2 else None


COMPARE = _Compare(Record(Column, {"title": Text(required=True), "points": _Points(nested=False)}))
QUOTE = Record(Quote, {"text": Text(required=True, multiline=True, limit=1_000), "by": Text()})


def _image(r: ContentReader, node: Node, where: str, values: dict) -> Image | None:
    src, alt = values.get("path", ""), values.get("alt", "")
    if alt and (_FILE_NAME.match(alt) or (src and Path(src).name == alt)):
        r.error(r.lines[f"{where}.alt"], f"{where}.alt",
                "must describe the picture for someone who cannot see it, not name a file")
        alt = ""
    path = image_path(r, r.lines.get(f"{where}.path", node.line), f"{where}.path", src) if src else None
    if path is None or not alt:
        return None
    return Image(path, src, alt, values.get("caption", ""), where)


def _theme(r: ContentReader, node: Node, where: str, value: str) -> Path | None:
    """``theme:``: a built-in theme's name, or a theme file inside the content folder
    (confined like images: a theme read from anywhere could name any file as its master)."""
    themes = builtin_themes()
    if value in themes:
        return themes[value]
    if "/" in value or "\\" in value or Path(value).suffix:
        target = inside_folder(r, node.line, where, value, "theme file", "a theme file must live inside it")
        if target is not None and target.stat().st_size > MAX_FILE_BYTES:
            r.error(node, where, f"theme file '{value}' is {target.stat().st_size} bytes; "
                                 f"at most {MAX_FILE_BYTES} are allowed")
            return None
        return target
    close = did_you_mean(value, tuple(themes))
    hint = f"did you mean '{close}'?" if close else f"the built-in themes are {', '.join(themes)}"
    r.error(node, where, f"unknown theme '{value}': name a built-in theme or a theme file in the content "
                         f"folder such as themes/brand.yaml; {hint}")
    return None


IMAGE = Record(Image, {"path": Text(required=True, markdown=False),
                       "alt": Text(required=True, markdown=False, limit=1_000),
                       "caption": Text()}, make=_image)


class _Family(Choice):
    """One ``only:`` name. An output that follows another's sections (``page`` and ``post``
    the article's, ``slides`` the deck's) is refused naming the one to write."""

    def read(self, r: Reader, node: Node, where: str) -> Any:
        from .writers import REGISTRY  # the records only: no writer is imported

        record = REGISTRY.get(node.value.strip()) if node.kind == "scalar" else None
        if record is not None and record.family != record.name:
            r.error(node, where, f"unknown output '{record.name}'; it shows the sections the {record.family} "
                                 f"shows: write '{record.family}'")
            return self.empty
        return super().read(r, node, where)


class _Only(Field):
    """``only:``: one output family or a list of them. Absent, or all refused: every family."""

    empty = frozenset(FAMILIES)
    _name = _Family("output", FAMILIES)

    def read(self, r: Reader, node: Node, where: str) -> frozenset[str]:
        if node.kind == "seq":
            names = ListOf(self._name).read(r, node, where)
        else:
            names = (r.read(self._name, node, where),)
        if (not node.items) if node.kind == "seq" else (node.kind == "scalar" and not node.value.strip()):
            r.error(node, where, f"names no output; list some of {', '.join(FAMILIES)} or remove it")
        return frozenset(name for name in names if name) or self.empty


# -- sections and the talk ----------------------------------------------------------------

#: The parts a section can hold. Adding a part is a frozen dataclass in ``triptych.model``,
#: a field of ``Section`` of the same name, and one entry here.
PARTS: dict[str, Field] = {
    "body": Text(multiline=True),
    "points": _Points(nested=True),
    "notes": Text(multiline=True),
    "table": TABLE,
    "compare": COMPARE,
    "quote": QUOTE,
    "image": IMAGE,
    "chart": chart_field(content_file),
    "code": CODE,
}


def _section(r: Reader, node: Node, where: str, values: dict) -> Section:
    index = int(where[where.rindex("[") + 1:-1])
    title = values["title"]
    ident = values.pop("id", "") or (slugify(markup.to_plain(title)) if title else "") or f"section-{index + 1}"
    return Section(index=index, id=ident, **values)


SECTION = Record(Section, {
    "title": Text(required=True), "id": Text(markdown=False, check=_slug), **PARTS,
    "only": _Only(), "layout": Choice("layout", LAYOUTS, otherwise="the layouts are: {choices}"),
    "reveal": Flag(),
}, make=_section)


class _Sections(ListOf):
    """The sections; ids are unique. An id written with ``id:`` must be unique; one made
    from the title takes a number when another section has it already, as Pandoc and
    GitHub number repeated headings ("demo", then "demo-1"): two sections called "Demo"
    are a talk, not a mistake."""

    def read(self, r: Reader, node: Node, where: str) -> tuple[Section, ...]:
        sections = super().read(r, node, where) or ()
        given = [f"{s.field}.id" in r.lines for s in sections]
        seen: dict[str, int] = {}
        for section, written in zip(sections, given):
            if not written:
                continue
            if section.id in seen:
                here = f"{section.field}.id"
                r.error(r.lines[here], here,
                        f"id '{section.id}' is already used by sections[{seen[section.id]}]; ids must be unique")
            seen.setdefault(section.id, section.index)
        out = []
        for section, written in zip(sections, given):
            if not written:
                ident, number = section.id, 0
                while ident in seen:
                    number += 1
                    ident = f"{section.id}-{number}"
                seen[ident] = section.index
                section = section if ident == section.id else dataclasses.replace(section, id=ident)
            out.append(section)
        return tuple(out)


def _talk(r: ContentReader, node: Node, where: str, values: dict) -> Talk:
    return Talk(path=r.path, base_dir=r.base_dir, slug=r.slug, lines=r.lines, notices=tuple(sorted(r.notices, key=lambda p: p.line)), **values)


TALK = Record(Talk, {
    "title": Text(required=True, markdown=False),
    "subtitle": PLAIN,
    "author": Record(Author, {"name": Text(required=True, markdown=False), "role": PLAIN, "url": URL},
                     required=True, shorthand="name", empty=Author("")),
    "date": Text(markdown=False, check=_date, empty=None),
    "lang": Text(markdown=False, check=_lang, empty="en"),
    "tags": ListOf(Text(markdown=False, check=_tag)),
    "canonical_url": URL,
    "source": Record(Credit, {"title": Text(required=True, markdown=False), "author": PLAIN, "url": URL}),
    "summary": Text(multiline=True),
    "theme": Text(markdown=False, check=_theme, empty=None),
    "sections": _Sections(SECTION, required=True, min_items=1, too_few="needs at least one section",
                          max_items=MAX_SECTIONS, too_many="has {count} sections; at most {limit} are allowed"),
}, make=_talk)


#: The keys a theme file has (``themefile.ThemeFile``), none of which a talk has.
_THEME_KEYS = {f.name for f in dataclasses.fields(ThemeFile)}


def load(path: str | os.PathLike[str], display: str | None = None) -> Talk:
    """Read and validate one content file.

    Raises ``ContentError`` with every problem in the file; never another exception for
    anything the file contains. ``display`` is how the file is named in messages
    (default: the path relative to the working folder).
    """
    path = as_path(path)
    shown = display or display_path(path)
    if path.suffix.lower() in _ARTICLE_SUFFIXES:
        # Read as YAML it was "YAML syntax: did not find expected <document start>".
        raise ContentError.one(shown, 0, "", f"is an article, not a content file (YAML); --import {shown} turns it into one")
    if path.is_dir():
        raise ContentError.one(shown, 0, "", f"is a folder; name its content files ({shown.rstrip('/')}/*.yaml)")
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
    reader = ContentReader(display, base_dir, slug, MAX_FILE_BRACKET_COST)
    for problem in yaml_problems:
        reader.error(problem.line, "", problem.message)
    if root is None:
        if not reader.problems:
            reader.error(1, "", "holds no content (only comments?)")
        raise ContentError(reader.problems)
    if root.kind == "map":
        keys = {key.value for key, _ in root.items}
        if keys & _THEME_KEYS and not keys & set(TALK.fields):
            # Read as a talk, a theme beside the talks got "colors: unknown key" and
            # "title: is required", and so on for each of its sections.
            name = Path(display).name
            raise ContentError.one(display, 0, "", f"is a theme file, not a talk: every .yaml file beside the talks is "
                                   f"built as one; move it into a subfolder (themes/{name}) and name it from the "
                                   f"talk as 'theme: themes/{name}'")
    talk = reader.read(TALK, root, "")
    reader.sweep(root)
    if reader.problems or talk is None:
        raise ContentError(reader.problems)
    return talk
