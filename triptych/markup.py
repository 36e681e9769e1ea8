"""The one Markdown reading every output shares (Python-Markdown, configured once).

Content Markdown is parsed here and nowhere else (``triptych.mdparse`` holds the
configured parser); writers consume the parsed form:
``to_html`` for pages, ``to_plain`` for measuring and checking text, ``to_spans`` for
python-pptx runs, ``blocks`` for paragraphs and lists outside HTML, and the element
tree itself (``inline_tree``/``block_tree``) for writers that re-serialise it.

Content is untrusted, so the parser is narrowed (see ``mdparse._narrow``): raw HTML, HTML
entities and ``<me@example.org>`` autolinks are not recognised and show as the literal
text the author typed; link and image targets are checked by ``problems``, which the
loader runs on every prose field, so an output never sees a ``javascript:`` link.

Inline fields (titles, points, cells) go through the inline patterns only, so a point
that starts with ``#`` or ``1.`` stays a point, not a heading or a list.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from urllib.parse import urlsplit

import markdown
from markdown.serializers import _escape_cdata  # the serializer's own escaping, so output matches

from . import bidi, highlight
from .mdparse import block_tree, inline_tree
from .mdparse import document_tree as document_tree  # part of this module's interface

#: Link schemes content may use; anything else is refused by ``problems``.
LINK_SCHEMES = ("http", "https", "mailto")
#: Python-Markdown's bracket matching is quadratic; a field with more '[' than this is refused.
MAX_BRACKETS = 500
#: For each '[' Python-Markdown scans ahead for its ']' through the rest of the paragraph,
#: so time grows with '[' count times paragraph length (measured: about 0.25 s per million,
#: twice that for '!['). A paragraph whose ``bracket_cost`` is above this is refused: it
#: admits a 2,000-character paragraph with 100 links, and parses in well under 0.1 s.
MAX_BRACKET_COST = 250_000

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
#: Python-Markdown's internal placeholders are delimited by STX and ETX.
_LEAKED = re.compile("[\x02\x03]")

def _serialize(element: etree.Element) -> str:
    return markdown.serializers.to_html_string(element)


def _inner_html(element: etree.Element) -> str:
    html = _serialize(element)
    start = html.index(">") + 1
    end = html.rindex("<")
    return html[start:end]


def to_html(text: str, inline: bool = False, direction: str | None = None) -> str:
    """HTML for content Markdown: inline content without a wrapping ``<p>``, block content
    as its paragraphs and lists. Every character the author typed that is not Markdown
    syntax is escaped, so the result is safe to mark ``Markup`` in a template.

    ``direction`` ("ltr" or "rtl", block content only) is the direction of the element the
    HTML goes in: each paragraph, list or item whose text runs the other way gets its own
    ``dir`` (``bidi.mark``)."""
    if not text:
        return ""
    tree = inline_tree(text) if inline else block_tree(text)
    _literal_amps(tree)
    if not inline:
        _highlight(tree)
        if direction:
            bidi.mark(tree, direction)
    return _inner_html(tree).strip()


def fence_language(code: etree.Element) -> str:
    """The language a fenced ``<code>`` element was written with ("" when none)."""
    return (code.get("class") or "").removeprefix("language-")


def _highlight(tree: etree.Element) -> None:
    # A fenced block's code becomes <span class="hl-k">...</span> runs (see triptych.highlight);
    # the text stays escaped as Python-Markdown stores code, so the serializer writes it once.
    for pre in tree.iter("pre"):
        for code in pre.iter("code"):
            lang = fence_language(code)
            if not lang or len(code):
                continue
            text = code_text(code.text or "")
            code.text = None
            last = None
            for kind, value in highlight.runs(text, lang):
                value = markdown.util.code_escape(value)
                if not kind:
                    if last is None:
                        code.text = (code.text or "") + value
                    else:
                        last.tail = (last.tail or "") + value
                    continue
                last = etree.SubElement(code, "span", {"class": f"hl-{kind}"})
                last.text = value


def _literal_amps(element: etree.Element, in_code: bool = False) -> None:
    # The serializer leaves '&' alone when it starts something entity-like ("&lt;", "&#60;"),
    # so a page would show "<" where the deck and article show the "&lt;" the author typed.
    # Escaping every '&' of text first makes entities literal in HTML too. Code text is
    # skipped: Python-Markdown stored it already escaped (see ``code_text``).
    in_code = in_code or element.tag in ("code", "pre")
    if element.text and not in_code:
        element.text = element.text.replace("&", "&amp;")
    for child in element:
        _literal_amps(child, in_code)
        if child.tail and not in_code:
            child.tail = child.tail.replace("&", "&amp;")


def code_text(text: str) -> str:
    """The text of a ``<code>`` element as typed: Python-Markdown stores code already
    HTML-escaped (``&lt;`` for ``<``), which is right for its serializer but wrong for
    anything reading the text itself. Reverses ``markdown.util.code_escape`` exactly."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _plain(element: etree.Element, out: list[str]) -> None:
    if element.tag == "br":
        out.append("\n")
    if element.text:
        out.append(code_text(element.text) if element.tag == "code" else element.text)
    for child in element:
        _plain(child, out)
        if child.tail:
            out.append(child.tail)


def to_plain(text: str, inline: bool = True) -> str:
    """The text a reader sees, Markdown syntax removed. Block content gives one line per
    paragraph or list item, joined by newlines."""
    if not text:
        return ""
    if inline:
        out: list[str] = []
        _plain(inline_tree(text), out)
        return "".join(out)
    return "\n".join(block.plain for block in blocks(text))


@dataclass(frozen=True)
class Span:
    """A run of text with one style: what python-pptx calls a run."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str = ""


def _spans(element: etree.Element, style: dict, out: list[Span]) -> None:
    tag = element.tag
    style = dict(style)
    if tag in ("strong", "b"):
        style["bold"] = True
    elif tag in ("em", "i"):
        style["italic"] = True
    elif tag == "code":
        style["code"] = True
    elif tag == "a":
        style["href"] = element.get("href", "")
    if tag == "br":
        out.append(Span("\n", **style))
    if element.text:
        out.append(Span(code_text(element.text) if tag == "code" else element.text, **style))
    for child in element:
        _spans(child, style, out)
        if child.tail:
            out.append(Span(child.tail, **{k: v for k, v in style.items()}))


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in spans:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].code, merged[-1].href) == (
            span.bold, span.italic, span.code, span.href
        ):
            last = merged.pop()
            span = Span(last.text + span.text, span.bold, span.italic, span.code, span.href)
        merged.append(span)
    return merged


def spans_of(element: etree.Element) -> list[Span]:
    """The styled runs of an already-parsed element (a ``<p>``, ``<li>``, heading...)."""
    out: list[Span] = []
    base: dict = {}
    if element.text:
        out.append(Span(element.text))
    for child in element:
        if child.tag in ("ul", "ol"):
            continue  # nested lists are blocks of their own
        _spans(child, base, out)
        if child.tail:
            out.append(Span(child.tail))
    return _merge(out)


def to_spans(text: str) -> list[Span]:
    """Inline Markdown as styled runs, adjacent runs of the same style merged."""
    if not text:
        return []
    return spans_of(inline_tree(text))


@dataclass(frozen=True)
class Block:
    """A paragraph (level 0) or a list item (level 1, or 2 when nested) of block content.

    ``ordered`` tells a numbered list item; ``spans`` are its runs; ``plain`` its text.
    ``pre`` marks a code block: one code run whose line breaks and indentation are the
    author's, to be kept (other blocks' line breaks are soft)."""

    spans: tuple[Span, ...]
    level: int = 0
    ordered: bool = False
    quote: bool = False
    pre: bool = False

    @property
    def plain(self) -> str:
        return "".join(s.text for s in self.spans)

    @property
    def linked(self) -> str:
        """``plain`` with each link's address after its text (``linked``)."""
        return linked(self.spans)


def linked(spans) -> str:
    """The runs' text with each link's address in parentheses after its text, for plain
    text where a link cannot be clicked and its text alone would lose where it leads
    ("See the docs (https://example.org/docs)"; a ``mailto:`` link shows the address it
    mails). A link whose text is its address is written once."""
    out: list[str] = []
    spans = list(spans)
    for i, span in enumerate(spans):
        out.append(span.text)
        if span.href and (i + 1 == len(spans) or spans[i + 1].href != span.href):
            start = i
            while start > 0 and spans[start - 1].href == span.href:
                start -= 1
            text = "".join(s.text for s in spans[start:i + 1]).strip()
            address = span.href.removeprefix("mailto:")
            if text not in (span.href, address):
                out.append(f" ({address})")
    return "".join(out)


def _blocks(element: etree.Element, level: int, ordered: bool, quote: bool, out: list[Block]) -> None:
    for child in element:
        if child.tag in ("ul", "ol"):
            _blocks(child, level + 1, child.tag == "ol", quote, out)
        elif child.tag == "li":
            loose = any(c.tag == "p" for c in child)  # a "loose" item: its text sits in <p> children
            if not loose:
                out.append(Block(tuple(spans_of(child)), level, ordered, quote))
            for sub in child:  # in reading order: a paragraph after a sub-list comes after it
                if sub.tag in ("ul", "ol"):
                    _blocks(sub, level + 1, sub.tag == "ol", quote, out)
                elif loose:
                    _blocks([sub], level, ordered, quote, out)
        elif child.tag == "blockquote":
            _blocks(child, level, ordered, True, out)
        elif child.tag == "pre":
            code = code_text("".join(child.itertext())).rstrip("\n")
            out.append(Block((Span(code, code=True),), level, ordered, quote, pre=True))
        elif child.tag == "hr":
            continue
        else:  # p, h1-h6: a paragraph of text
            out.append(Block(tuple(spans_of(child)), level, ordered, quote))


#: Where a sentence ends: ., ! or ? (and any closing quote or bracket), then a space.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+")


def lead(text: str, sentences: int = 2, limit: int = 240) -> str:
    """The opening of block Markdown ``text`` as plain text: its first paragraph's first
    ``sentences`` sentences, fewer when more would pass ``limit`` characters. A first
    sentence longer than ``limit`` is cut at the last whole word that fits and ends with
    "..."; no text gives "". What a closing slide shows of a summary (the whole of it is
    in the article and the handout)."""
    first = next((b.plain for b in blocks(text) if b.plain.strip()), "")
    first = " ".join(first.split())
    if not first:
        return ""
    ends = [m.end() for m in _SENTENCE_END.finditer(first)] + [len(first)]
    chosen = ""
    for end in ends[:sentences]:
        if len(first[:end].rstrip()) > limit:
            break
        chosen = first[:end].rstrip()
    if chosen:
        return chosen
    cut = first.rfind(" ", 0, limit - 3)
    return (first[:cut] if cut > 0 else first[:limit - 3]).rstrip(" ,;:") + "..."


def blocks(text: str) -> list[Block]:
    """Block Markdown as a flat list of paragraphs and list items, in reading order."""
    if not text:
        return []
    out: list[Block] = []
    _blocks(block_tree(text), 0, False, False, out)
    return out


def _targets(element: etree.Element):
    for node in element.iter():
        if node.tag == "a":
            yield ("link" if "".join(node.itertext()).strip() else "blank link"), node.get("href", "")
        elif node.tag == "img":
            yield "image", node.get("src", "")


def bracket_cost(text: str) -> int:
    """An upper bound on the work of parsing ``text``: for each paragraph (text between
    blank lines), its '[' count times its length. Linear to compute; 0 without '['."""
    if "[" not in text:
        return 0
    return sum(part.count("[") * len(part) for part in _PARAGRAPH_BREAK.split(text))


#: A GitHub table's delimiter row: ``| --- | :--: |`` (at least one '|').
_TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$|^\s*\|\s*:?-+:?\s*\|\s*$")


def _pipe_table(paragraph: etree.Element) -> bool:
    """Whether ``paragraph`` is a GitHub-style table (a row of '|' cells, then a delimiter
    row), which content Markdown reads as a paragraph of text."""
    lines = "".join(paragraph.itertext()).split("\n")
    return any("|" in head and _TABLE_DELIMITER.match(rule) for head, rule in zip(lines, lines[1:]))


def problems(text: str, inline: bool, parse: bool = True) -> list[str]:
    """What is wrong with ``text`` as content Markdown, one message each (empty if fine):
    too many brackets to parse in reasonable time (more than ``MAX_BRACKETS``, or a
    paragraph above ``MAX_BRACKET_COST``; such text is refused before it is parsed),
    link schemes outside ``LINK_SCHEMES``, links with no visible text, and Markdown
    images (pictures belong in a section's ``image:`` field). With ``parse=False`` only the size checks run, in
    linear time, and link targets are not looked at."""
    if text.count("[") > MAX_BRACKETS:
        return [f"has {text.count('[')} '[' characters; at most {MAX_BRACKETS} are allowed"]
    if bracket_cost(text) > MAX_BRACKET_COST:
        return ["has a paragraph with too many '[' for its length to read in reasonable time; "
                "split it into shorter paragraphs or remove stray '['"]
    if not parse:
        return []
    found = []
    tree = inline_tree(text) if inline else block_tree(text)
    if any(_LEAKED.search(piece) for node in tree.iter() for piece in (node.text, node.tail) if piece):
        # Python-Markdown leaves one of its internal placeholders in the tree for some runs of
        # nested '*' and '_' with escapes (stock Python-Markdown does too: '***_*_\n*\\**').
        # Content cannot hold these control characters, so this is that bug: refuse the text.
        found.append("has '*' or '_' markers that Markdown cannot pair; "
                     "escape the ones meant literally with a backslash (\\*, \\_)")
    for code in tree.iter("code"):
        if code.get("class"):
            try:
                highlight.check_language(fence_language(code))
            except highlight.UnknownLanguage as err:
                found.append(f"code block: {err}")
    if not inline and any(_pipe_table(p) for p in tree.iter("p")):
        found.append("Markdown tables are not content Markdown (they would show as text full of '|'); "
                     "use the section's table: field, or a list")
    for kind, target in _targets(tree):
        if kind == "image":
            found.append("Markdown images are not allowed here; use the section's image: field")
            continue
        if kind == "blank link":
            # An invisible link: a screen reader announces nothing, each output would have
            # to invent a text (the article its URL, the deck nothing), and they would differ.
            found.append(f"link to {target!r} has no text; write the words a reader should see, "
                         "e.g. [the full report](https://example.org/report)")
            continue
        scheme = urlsplit(target.strip()).scheme.lower()
        if not scheme:
            found.append(f"link {target!r} is not a full URL; write http://, https:// or mailto:")
        elif scheme not in LINK_SCHEMES:
            found.append(f"link scheme '{scheme}:' is not allowed; use {', '.join(LINK_SCHEMES)}")
    return found


def escape_html(text: str) -> str:
    """Escape plain text exactly as the Markdown serializer does."""
    return _escape_cdata(text)
