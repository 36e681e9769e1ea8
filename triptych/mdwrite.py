"""Markdown out: markup's element trees written back as Markdown, and plain text escaped.

Content Markdown is never pasted into an output as written. It is parsed once by
``triptych.markup`` and the tree is written back here, so content can only ever produce
the structures the tree has: a point that starts with ``#`` stays a point, a body line
``---`` cannot turn the paragraph above it into a heading, a ``|`` cannot start a table.

The Markdown written means the same to CommonMark parsers (markdown-it-py, GitHub, dev.to)
and to Python-Markdown, which disagree on much; the choices below are the common ground:

- text is escaped with backslashes only for characters both parsers unescape
  (``\\ ` * _ [ ] # > - + .``); ``<``, ``|``, ``=``, ``~`` and entity-like ``&`` become
  numeric or named character references instead, because Python-Markdown shows a
  backslash before them literally;
- soft line breaks become spaces (a reader never sees them), hard breaks are two trailing
  spaces, and every line start is guarded against list, heading, quote and setext syntax;
- nested blocks are indented four spaces (Python-Markdown needs four, CommonMark accepts
  it); a code block is fenced with its language (```` ```python ````) where it stands at
  the top level, and indented inside lists and quotes (Python-Markdown reads fences only
  at the start of a line);
- bold and italic are ``**`` and ``*``; when CommonMark's flanking rules would leave the
  delimiters as literal asterisks (``**"x"**y``), the emphasis is dropped and the text kept;
- links keep their target (percent-encoding the characters that would end it early) and
  lose their title, which no reader sees; a link without text shows its URL.

Headings inside prose (``# x`` in a body) become ``heading_level`` headings, or plain
paragraphs when ``heading_level`` is None, so the document outline stays the writer's.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from . import markup

#: Elements that are blocks in markup's trees; everything else is inline.
BLOCK_TAGS = frozenset({"p", "ul", "ol", "li", "blockquote", "pre", "hr", "div",
                        "h1", "h2", "h3", "h4", "h5", "h6"})
#: Indentation of everything nested in a list item (Python-Markdown's tab length).
INDENT = "    "

_ENTITY_LIKE = re.compile(r"&(?=#[0-9]+;|#[xX][0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]*;)")
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])")
_SPACES = re.compile(r"[ \t\r\n]+")


def escape(text: str) -> str:
    """``text`` as Markdown that shows exactly ``text`` (on one line) in CommonMark and in
    Python-Markdown. Line breaks and runs of whitespace become one space, as a reader
    would see them anyway. The start of the result is not guarded; see ``guard``."""
    text = _SPACES.sub(" ", text)
    text = _ENTITY_LIKE.sub("&amp;", text)
    out = []
    for ch in text:
        if ch in "\\`*_[]#":
            out.append("\\" + ch)
        elif ch == "<":
            out.append("&lt;")
        elif ch == "|":
            out.append("&#124;")  # GFM tables; Python-Markdown would show "\|"
        else:
            out.append(ch)
    return "".join(out)


def guard(line: str) -> str:
    """``line`` (already escaped Markdown) made safe to stand at the start of a line: no
    leading blanks (four make code), and a first character that would start a list,
    quote, setext underline, thematic break or code fence is escaped."""
    line = line.lstrip(" \t")
    if not line:
        return line
    first = line[0]
    if first in "-+>":
        return "\\" + line
    if first == "=":
        return "&#61;" + line[1:]
    if first == "~":
        return "&#126;" + line[1:]
    match = _ORDERED_START.match(line)
    if match:
        return match.group(1) + "\\" + line[len(match.group(1)):]
    return line


# -- inline -----------------------------------------------------------------------------

@dataclass
class _Delim:
    """One emphasis delimiter ("*" or "**") waiting for the flanking check."""

    marker: str
    pair: int
    opening: bool
    alive: bool = True


def _code_span(code: str) -> str:
    code = _SPACES.sub(" ", markup.code_text(code))
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    # Both parsers strip one space (CommonMark) or all (Python-Markdown) at each end,
    # so padding is only added when needed: code starting or ending with a backtick.
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{fence}{pad}{code}{pad}{fence}"


def link_target(href: str) -> str:
    # Characters that would end or confuse a link destination in either parser.
    for ch, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"),
                     ('"', "%22"), ("'", "%27"), ("\\", "%5C"), ("`", "%60")):
        href = href.replace(ch, code)
    return _ENTITY_LIKE.sub("&amp;", href)


def _tokens(element: etree.Element, out: list, counter: list[int], in_link: bool = False,
            styles: frozenset[str] = frozenset()) -> None:
    """Append the Markdown of ``element``'s content (text, children, their tails) to ``out``
    as strings and ``_Delim``s. Block children (nested lists) are skipped. A link inside a
    link (Python-Markdown makes them from ``[[x](u)](v)``) keeps only its text, because
    CommonMark would show the outer one's brackets literally. Bold inside bold (italic
    inside italic) looks the same as once and its delimiters would merge with the outer
    ones (``***`` reads differently), so only the outer one is written."""
    if element.text:
        out.append(escape(element.text))
    for child in element:
        if child.tag in BLOCK_TAGS:
            continue
        tag = child.tag
        if tag in ("strong", "b", "em", "i"):
            marker = "**" if tag in ("strong", "b") else "*"
            if marker in styles:
                _tokens(child, out, counter, in_link, styles)
                if child.tail:
                    out.append(escape(child.tail))
                continue
            counter[0] += 1
            pair = counter[0]
            inner: list = []
            _tokens(child, inner, counter, in_link, styles | {marker})
            if "".join(t for t in inner if isinstance(t, str)).strip():
                out.append(_Delim(marker, pair, True))
                out.extend(inner)
                out.append(_Delim(marker, pair, False))
            else:
                out.extend(inner)
        elif tag == "code":
            if (child.text or "").strip():  # an empty code span shows nothing; "``" would show
                out.append(_code_span(child.text or ""))
        elif tag == "a" and in_link:
            _tokens(child, out, counter, True, styles)
        elif tag == "a":
            href = child.get("href", "")
            inner = []
            _tokens(child, inner, counter, True, styles)
            if not "".join(t for t in inner if isinstance(t, str)).strip():
                inner = [escape(href)]
            out.append("[")
            out.extend(inner)
            out.append(f"]({link_target(href)})")
        elif tag == "br":
            out.append("  \n")
        else:  # an element markup never makes (img is refused by the loader): keep its text
            _tokens(child, out, counter, in_link, styles)
        if child.tail:
            out.append(escape(child.tail))


def _kind(ch: str) -> str:
    if not ch or ch.isspace() or unicodedata.category(ch) == "Zs":
        return "space"
    if unicodedata.category(ch)[0] in "PS":
        return "punct"
    return "other"


def _settle(tokens: list) -> str:
    """Join tokens, dropping emphasis pairs whose delimiters CommonMark would not read as
    emphasis (flanking rules and the rule of three), until every remaining pair is valid."""
    changed = True
    while changed:
        changed = False
        runs: list[tuple[list[_Delim], str, str]] = []
        i = 0
        while i < len(tokens):
            if isinstance(tokens[i], _Delim) and tokens[i].alive:
                j = i
                run = []
                while j < len(tokens) and (not isinstance(tokens[j], str) or tokens[j] == ""):
                    if isinstance(tokens[j], _Delim) and tokens[j].alive:
                        run.append(tokens[j])
                    j += 1
                before = next((t[-1] for t in reversed(tokens[:i]) if isinstance(t, str) and t), "")
                after = next((t[0] for t in tokens[j:] if isinstance(t, str) and t), "")
                runs.append((run, before, after))
                i = j
            else:
                i += 1
        for run, _, _ in runs:
            # A pair that opens right where another closes ("*a***b**") merges their
            # delimiters into one run, which CommonMark pairs its own way: the later pair
            # is not written (its words stay).
            if any(not d.opening for d in run) and any(d.opening for d in run):
                for d in run:
                    if d.opening:
                        for t in tokens:
                            if isinstance(t, _Delim) and t.pair == d.pair:
                                t.alive = False
                changed = True
        if changed:
            continue
        run_of: dict[int, tuple[int, bool, bool]] = {}
        for run, before, after in runs:
            b, a = _kind(before), _kind(after)
            left = a != "space" and (a != "punct" or b in ("space", "punct"))
            right = b != "space" and (b != "punct" or a in ("space", "punct"))
            length = sum(len(d.marker) for d in run)
            for d in run:
                run_of[id(d)] = (length, left, right)
        pairs: dict[int, list[_Delim]] = {}
        for t in tokens:
            if isinstance(t, _Delim) and t.alive:
                pairs.setdefault(t.pair, []).append(t)
        for opener, closer in (p for p in pairs.values() if len(p) == 2):
            o_len, o_left, o_right = run_of[id(opener)]
            c_len, c_left, c_right = run_of[id(closer)]
            ok = o_left and c_right
            if ok and ((o_left and o_right) or (c_left and c_right)):
                if (o_len + c_len) % 3 == 0 and not (o_len % 3 == 0 and c_len % 3 == 0):
                    ok = False
            if not ok:
                opener.alive = closer.alive = False
                changed = True
    out: list[str] = []
    for t in tokens:
        piece = t if isinstance(t, str) else (t.marker if t.alive else "")
        last = next((k for k in range(len(out) - 1, -1, -1) if out[k]), None)
        if piece == "[" and last is not None and out[last].endswith("!"):
            # A link's "[" (text's is escaped) right after a literal "!" would read as an
            # image: the "!" is escaped.
            out[last] = out[last][:-1] + "\\!"
        out.append(piece)
    return "".join(out)


def inline_element(element: etree.Element, start: bool = True) -> str:
    """Markdown for the inline content of ``element`` (a ``<p>``, ``<li>``, heading...):
    one line, or several joined by hard breaks. With ``start`` (the default) the first
    line is guarded to stand at a line start; later lines always are."""
    tokens: list = []
    _tokens(element, tokens, [0])
    text = _settle(tokens).strip(" ")
    lines = [line.strip(" ") for line in text.split("  \n")]
    lines = [guard(line) if (k or start) else line for k, line in enumerate(lines)]
    return "  \n".join(line for line in lines if line) if len(lines) > 1 else lines[0]


def inline(text: str, start: bool = True) -> str:
    """Markdown for an inline content field (a title, point, cell, caption): parsed by
    ``markup.inline_tree``, written back with every literal character escaped. Empty
    for empty text."""
    return inline_element(markup.inline_tree(text), start) if text else ""


def plain(text: str, start: bool = True) -> str:
    """Markdown that shows plain ``text`` (a talk title, a name, a tag) literally."""
    escaped = escape(text).strip(" ")
    return guard(escaped) if start else escaped


# -- blocks -----------------------------------------------------------------------------

def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else "" for line in text.split("\n"))


def _is_loose(items: list[etree.Element]) -> bool:
    # An item holding a paragraph, a quote, code or a heading is written loose: in a tight
    # item Python-Markdown reads "    > x" under the item's line as more of its text.
    return any(child.tag in BLOCK_TAGS and child.tag not in ("ul", "ol") for li in items for child in li)


def _list(element: etree.Element, heading_level: int | None) -> str:
    items = [li for li in element if li.tag == "li"]
    loose = _is_loose(items)
    start = int(element.get("start", "1") or 1) if element.tag == "ol" else 1
    out = []
    for k, li in enumerate(items):
        marker = f"{start + k}. " if element.tag == "ol" else "- "
        parts = _item_parts(li, heading_level)
        if not parts:
            continue
        joiner = "\n\n" if loose else "\n"
        body = joiner.join(parts)
        first, _, rest = body.partition("\n")
        out.append(marker + first + ("\n" + _indent(rest, INDENT) if rest else ""))
    return ("\n\n" if loose else "\n").join(out)


def _item_parts(li: etree.Element, heading_level: int | None) -> list[str]:
    """A list item's parts in reading order: its text and inline elements up to a block
    (a nested list, a heading...), that block, then the text after it (a lazy line that
    Python-Markdown leaves as the block's tail), and so on."""
    parts: list[str] = []
    run = etree.Element("p")
    run.text = li.text
    for child in li:
        if child.tag not in BLOCK_TAGS:
            run.append(child)  # ElementTree keeps no parent: the item is not changed
            continue
        if text := inline_element(run):
            parts.append(text)
        if part := _block(child, heading_level):
            parts.append(part)
        run = etree.Element("p")
        run.text = child.tail
    if text := inline_element(run):
        parts.append(text)
    return parts


def _block(element: etree.Element, heading_level: int | None, top: bool = False) -> str:
    tag = element.tag
    if tag in ("ul", "ol"):
        return _list(element, heading_level)
    if tag == "blockquote":
        inner = "\n\n".join(part for part in (_block(c, None) for c in element) if part)
        if not inner:
            return ""  # an empty quote shows nothing; a lone ">" would still be one
        return "\n".join("> " + line if line else ">" for line in inner.split("\n"))
    if tag == "pre":
        code = markup.code_text("".join(element.itertext())).rstrip("\n")
        if not code.strip():
            return ""
        if not top:
            return _indent(code, INDENT)
        inner = element.find("code")
        return fenced(code, markup.fence_language(inner) if inner is not None else "")
    if tag == "hr":
        # Inside an item or a quote "---" could underline the line above as a heading, or
        # make "- ---" one thematic break instead of an item holding one.
        return "---" if top else "***"
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        text = inline_element(element)
        if heading_level is None or not text:
            return text
        return "#" * heading_level + " " + text.replace("  \n", " ")
    if tag in ("div", "li"):
        return "\n\n".join(part for part in (_block(c, heading_level, tag == "div" and top)
                                               for c in element) if part)
    return inline_element(element)  # p, and anything inline-only


def block(text: str, heading_level: int | None = None) -> str:
    """Markdown for a block content field (body, summary, quote text): its paragraphs,
    lists, quotes and code as blocks separated by blank lines, with no trailing newline.
    Headings in the field become ``heading_level`` headings (None: plain paragraphs)."""
    if not text:
        return ""
    return _block(markup.block_tree(text), heading_level, top=True)


def fenced(code: str, lang: str) -> str:
    """``code`` as a fenced block with its language (```` ```python ````), kept byte for byte
    (tabs, indentation, blank lines): the fence is one backtick longer than any run of
    backticks or tildes that opens a line of the code, so none can close it early."""
    longest = max((len(run) for run in re.findall(r"^\s*(`{3,}|~{3,})", code, re.M)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{code}\n{fence}"


# -- helpers for templates ----------------------------------------------------------------

def _wrapped(text: str, tag: str, start: bool) -> str:
    """``text`` (inline Markdown) parsed and wrapped whole in ``<strong>`` or ``<em>``, then
    written back; the wrapper is dropped (text kept) where CommonMark could not read it."""
    if not text:
        return ""
    para = markup.inline_tree(text)
    wrapper = etree.Element(tag)
    wrapper.text, para.text = para.text, None
    for child in list(para):
        para.remove(child)
        wrapper.append(child)
    para.append(wrapper)
    return inline_element(para, start)


def bold(text: str, start: bool = True) -> str:
    """Inline Markdown ``text`` set in bold as a whole (``**...**``)."""
    return _wrapped(text, "strong", start)


def italic(text: str, start: bool = True) -> str:
    """Inline Markdown ``text`` set in italics as a whole (``*...*``)."""
    return _wrapped(text, "em", start)


def quoted(markdown: str) -> str:
    """Markdown blocks (as ``block`` returns them) inside a blockquote: every line
    prefixed ``> ``, blank lines ``>`` so the quote does not end early."""
    return "\n".join("> " + line if line else ">" for line in markdown.split("\n"))
