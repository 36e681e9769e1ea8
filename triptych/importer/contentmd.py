"""An article's element tree written back as *content* Markdown: the dialect
``triptych.markup`` reads in a content file.

``mdwrite`` writes Markdown for the outputs, which CommonMark readers must also read:
it turns ``<``, ``|`` and entity-like ``&`` into character references. Content Markdown
is read by the narrowed Python-Markdown alone, which shows a character reference as the
characters typed, so an imported field written by ``mdwrite`` would show ``&#124;`` where
the article showed ``|``. Here text is escaped only with backslashes, and only where
Python-Markdown would read syntax:

- inline: ``\\ ` * _ [ ]`` always, and ``>`` (so ``<https://x>`` stays text, not an autolink);
- at a line start in block fields: ``# > - +`` and ``1.``-style list numbers;
- nothing else: raw HTML, entities and pipe tables are not content syntax.

Bold, italic, code, links and line breaks are kept; anything else keeps its text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from .. import markup
from ..schema import refused

_INLINE = re.compile(r"([\\`*_\[\]>])")
_SPACES = re.compile(r"\s+")
_LIST_NUMBER = re.compile(r"^(\d+)([.)])(?=\s|$)")
_BREAK = "  \n"
#: Children an inline reading skips (their own text is a block of its own, or a picture).
_BLOCKS = frozenset({"p", "ul", "ol", "blockquote", "pre", "table", "img"})


def escape(text: str) -> str:
    """Plain ``text`` as content Markdown that shows it: whitespace folded, characters a
    content file may not hold dropped."""
    text = "".join(ch for ch in text if ch.isspace() or not refused(ch))
    return _INLINE.sub(r"\\\1", _SPACES.sub(" ", text))


def guard(line: str) -> str:
    """``line`` (already escaped) safe at the start of a line of a block field."""
    line = line.lstrip(" \t")
    if line[:1] in ("#", ">", "-", "+"):
        return "\\" + line
    return _LIST_NUMBER.sub(r"\1\\\2", line)


def _href(url: str) -> str:
    for ch, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        url = url.replace(ch, code)
    return url


def _code(text: str) -> str:
    code = _SPACES.sub(" ", markup.code_text(text)).strip()
    if not code:
        return ""
    fence = "`" * (1 + max((len(run) for run in re.findall(r"`+", code)), default=0))
    return f"{fence} {code} {fence}" if code.startswith("`") or code.endswith("`") else f"{fence}{code}{fence}"


def _inline(element: etree.Element, out: list[str], styles: frozenset[str]) -> None:
    if element.text:
        out.append(escape(element.text))
    for child in element:
        tag = child.tag
        if tag in ("strong", "em") and tag not in styles and "em" not in styles:
            # italic inside bold is fine; anything nested in italic would need a '*' inside
            # '*...*', which Python-Markdown reads differently: it keeps its text only.
            inner: list[str] = []
            _inline(child, inner, styles | {tag})
            text = "".join(inner)
            marker = "**" if tag == "strong" else "*"
            core = text.strip(" ")
            if core:
                lead, trail = text[: len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")):]
                out.append(f"{lead}{marker}{core}{marker}{trail}")
        elif tag == "code":
            out.append(_code(child.text or ""))
        elif tag == "a" and "a" not in styles and child.get("href"):
            inner = []
            _inline(child, inner, styles | {"a"})
            text = "".join(inner).strip(" ") or escape(child.get("href", ""))
            out.append(f"[{text}]({_href(child.get('href', ''))})")
        elif tag == "br":
            out.append(_BREAK)
        elif tag not in _BLOCKS:
            _inline(child, out, styles)
        if child.tail:
            out.append(escape(child.tail))


def inline(element: etree.Element, one_line: bool = True) -> str:
    """Content Markdown for the inline content of ``element``; line breaks become spaces
    (``one_line``) or hard breaks whose lines are guarded."""
    out: list[str] = []
    _inline(element, out, frozenset())
    lines = [line.strip(" ") for line in "".join(out).split(_BREAK)]
    if one_line:
        return " ".join(line for line in lines if line)
    return _BREAK.join(guard(line) for line in lines if line)


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else "" for line in text.split("\n"))


def block(element: etree.Element) -> str:
    """Content Markdown for one block element of an article (paragraph, list, quote,
    heading: a ``###`` heading in the body)."""
    tag = element.tag
    if tag in ("ul", "ol"):
        start = int(element.get("start", "1") or 1) if tag == "ol" and (element.get("start") or "1").isdigit() else 1
        items = []
        for k, li in enumerate(i for i in element if i.tag == "li"):
            marker = f"{start + k}. " if tag == "ol" else "- "
            parts = [inline(li, one_line=False)] if (li.text or "").strip() or any(
                c.tag not in ("p", "ul", "ol", "blockquote", "pre") for c in li) else []
            parts += [block(c) for c in li if c.tag in ("p", "ul", "ol", "blockquote")]
            body = "\n".join(p for p in parts if p)
            if body:
                first, _, rest = body.partition("\n")
                items.append(marker + first + ("\n" + _indent(rest, "    ") if rest else ""))
        return "\n".join(items)
    if tag == "blockquote":
        inner = "\n\n".join(p for p in (block(c) for c in element) if p)
        return "\n".join("> " + line if line else ">" for line in inner.split("\n")) if inner else ""
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        text = inline(element)
        return f"### {text}" if text else ""
    if tag == "pre":
        return _indent(markup.code_text("".join(element.itertext())).rstrip("\n"), "    ")
    return inline(element, one_line=False)
