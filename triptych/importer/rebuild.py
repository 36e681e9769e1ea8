"""A page's article element, rebuilt element by element in the vocabulary
``markup.document_tree`` produces for a Markdown article (``Builder``), with the page's
machinery (scripts, forms, navigation, share bars: ``is_chrome``) dropped on the way.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from urllib.parse import urljoin, urlsplit

from markdown.util import code_escape

from .meta import absolute_url

#: Elements dropped with everything inside them.
DROP = frozenset({
    "script", "style", "noscript", "template", "form", "input", "button", "select", "textarea",
    "option", "label", "nav", "aside", "iframe", "frame", "frameset", "object", "embed", "svg",
    "math", "canvas", "video", "audio", "map", "head", "title", "meta",
    "link", "base", "dialog", "menu",
})
#: ARIA roles of page furniture rather than article text.
DROP_ROLES = frozenset({"navigation", "complementary", "banner", "contentinfo", "search", "dialog",
                        "menu", "menubar", "toolbar", "button"})
#: Words in a class or id that mark chrome a page keeps inside its article element
#: (Medium's clap-and-share bar, "recommended" teasers, comment widgets).
#: A class or id word starting with one of these marks chrome ("share-bar", "comments").
CHROME_WORDS = ("share", "sharing", "social", "recommend", "related", "comment", "responses", "newsletter",
                "subscribe", "promo", "advert", "sponsor", "popup", "cookie", "paywall", "signup")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_INLINE_MAP = {"strong": "strong", "b": "strong", "em": "em", "i": "em", "code": "code", "kbd": "code",
               "samp": "code", "tt": "code"}
_BLOCKS = frozenset({"p", "ul", "ol", "li", "blockquote", "pre", "table", "figure", "hr", "img", "div",
                     "section", "article", "main", "header", "footer", "dl", "dt", "dd", "address",
                     "details", "summary", "center", "hgroup", "figcaption", "caption", "body", "html",
                     *HEADINGS})
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^a-z0-9]+")
_LANGUAGE = re.compile(r"(?:^|\s)(?:language|lang|highlight-source)-([A-Za-z0-9_+#.-]+)")


def is_chrome(node) -> bool:
    if not isinstance(node.tag, str):
        return True  # comments and processing instructions
    tag = node.tag.lower()
    if tag in DROP or node.get("hidden") is not None or node.get("aria-hidden") == "true":
        return True
    if (node.get("role") or "").lower() in DROP_ROLES:
        return True
    words = _WORD.split(f"{node.get('class') or ''} {node.get('id') or ''}".lower())
    return tag not in ("body", "html", "article", "main") and any(w.startswith(CHROME_WORDS) for w in words if w)


def drop_keep_tail(node) -> None:
    """Remove ``node`` and its content; the text after it stays where it was."""
    parent = node.getparent()
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _append_text(dst: etree.Element, text: str) -> None:
    if not text:
        return
    if len(dst):
        dst[-1].tail = (dst[-1].tail or "") + text
    else:
        dst.text = (dst.text or "") + text


class Builder:
    """Rebuilds lxml elements as markup-style ``xml.etree`` elements under ``root``."""

    def __init__(self, base_url: str) -> None:
        self.root = etree.Element("div")
        self.base_url = base_url
        self.para: etree.Element | None = None  # the paragraph stray inline content goes to
        self.para_parent: etree.Element | None = None

    def flush(self) -> None:
        """Close the implicit paragraph, dropping it when it holds only whitespace."""
        if self.para is not None and not "".join(self.para.itertext()).strip() and not self.para.findall(".//img"):
            self.para_parent.remove(self.para)
        self.para = self.para_parent = None

    def _stray(self, dst: etree.Element) -> etree.Element:
        if self.para is None or self.para_parent is not dst:
            self.flush()
            self.para, self.para_parent = etree.SubElement(dst, "p"), dst
        return self.para

    def blocks(self, src, dst: etree.Element) -> None:
        """The content of block container ``src`` into ``dst``: blocks as blocks, text
        and inline elements between them gathered into paragraphs."""
        if src.text and src.text.strip():
            _append_text(self._stray(dst), _SPACE.sub(" ", src.text))
        for child in src:
            if isinstance(child.tag, str) and not is_chrome(child):
                tag = child.tag.lower()
                if tag in _BLOCKS or child.xpath("./descendant::*[self::p or self::div or self::ul or self::ol "
                                                 "or self::table or self::blockquote or self::pre]"):
                    self.flush()
                    self.block(child, tag, dst)
                else:
                    self.inline(child, self._stray(dst))
            if child.tail and child.tail.strip():
                _append_text(self._stray(dst), _SPACE.sub(" ", child.tail))
        self.flush()

    def block(self, src, tag: str, dst: etree.Element) -> None:
        if tag in HEADINGS or tag in ("p", "dt", "dd", "figcaption", "summary"):
            out = etree.SubElement(dst, tag if tag in HEADINGS else "p")
            if any(_BLOCKS.intersection((c.tag or "").lower() for c in src if isinstance(c.tag, str))):
                dst.remove(out)  # a "paragraph" holding blocks (invalid, but pages do it)
                self.blocks(src, dst)
                return
            self.inline_content(src, out)
            self._tidy(out)
            classes = (src.get("class") or "").lower()
            if "subtitle" in classes or "subhead" in classes:
                out.set("role", "subtitle")
        elif tag in ("ul", "ol"):
            out = etree.SubElement(dst, tag)
            for item in src:
                if isinstance(item.tag, str) and item.tag.lower() == "li" and not is_chrome(item):
                    li = etree.SubElement(out, "li")
                    self.list_item(item, li)
        elif tag == "li":
            self.list_item(src, etree.SubElement(etree.SubElement(dst, "ul"), "li"))
        elif tag == "blockquote":
            self.blocks(src, etree.SubElement(dst, "blockquote"))
        elif tag == "pre":
            pre = etree.SubElement(dst, "pre")
            code = etree.SubElement(pre, "code")
            nodes = [src, *src.iterdescendants()]
            match = _LANGUAGE.search(" ".join(n.get("class") or "" for n in nodes if isinstance(n.tag, str)))
            stated = next((n.get(a) for n in nodes if isinstance(n.tag, str)
                           for a in ("data-code-block-lang", "data-lang") if n.get(a)), "")
            lang = stated if re.fullmatch(r"[A-Za-z0-9_+#.-]+", stated) else match.group(1) if match else ""
            if lang:
                code.set("class", f"language-{lang.lower()}")
            code.text = code_escape(_pre_text(src).rstrip("\n") + "\n")
        elif tag == "table":
            self.table(src, dst)
        elif tag == "img":
            self.image(src, etree.SubElement(dst, "p"))
        elif tag == "figure":
            self.figure(src, dst)
        elif tag == "hr":
            etree.SubElement(dst, "hr")
        else:  # div, section, article...: transparent
            self.blocks(src, dst)

    def list_item(self, src, li: etree.Element) -> None:
        """A list item: its own text inline in ``li`` (a tight item, as Python-Markdown
        makes), nested lists and other blocks as children."""
        if src.text:
            _append_text(li, _SPACE.sub(" ", src.text))
        for child in src:
            if isinstance(child.tag, str) and not is_chrome(child):
                tag = child.tag.lower()
                if tag in ("ul", "ol", "blockquote", "pre", "table"):
                    self.block(child, tag, li)
                elif tag in ("p", "div") and not child.xpath(".//ul|.//ol"):
                    if len(li) or (li.text or "").strip():
                        _append_text(li, " ")
                    self.inline_content(child, li)
                elif tag in _BLOCKS:
                    self.blocks(child, li)
                else:
                    self.inline(child, li)
            if child.tail:
                _append_text(li, _SPACE.sub(" ", child.tail))
        self._tidy(li)

    def table(self, src, dst: etree.Element) -> None:
        table = etree.SubElement(dst, "table")
        caption = src.find("caption")
        if caption is not None:
            etree.SubElement(table, "caption").text = _SPACE.sub(" ", caption.text_content()).strip()
        rows = [tr for tr in src.iter("tr") if _nearest_table(tr) is src]
        head = etree.SubElement(table, "thead")
        body = etree.SubElement(table, "tbody")
        for k, tr in enumerate(rows):
            header = k == 0 and (tr.getparent().tag == "thead" or all(c.tag == "th" for c in tr))
            row = etree.SubElement(head if header else body, "tr")
            for cell in tr:
                if isinstance(cell.tag, str) and cell.tag in ("th", "td"):
                    out = etree.SubElement(row, "th" if header else "td")
                    self.inline_content(cell, out)
                    self._tidy(out)
        if not len(head):
            table.remove(head)

    def image(self, src, para: etree.Element, caption: str = "") -> None:
        img = etree.SubElement(para, "img")
        img.set("src", (src.get("src") or "").strip())
        img.set("alt", _SPACE.sub(" ", src.get("alt") or "").strip())
        if caption:
            img.set("title", caption)

    def figure(self, src, dst: etree.Element) -> None:
        caption_node = src.find(".//figcaption")
        caption = _SPACE.sub(" ", caption_node.text_content()).strip() if caption_node is not None else ""
        images = src.xpath(".//img")
        if images:
            self.image(images[0], etree.SubElement(dst, "p"), caption)
            return
        quote = src.find(".//blockquote")
        if quote is not None:  # <figure><blockquote/><figcaption>— Name</figcaption></figure>
            out = etree.SubElement(dst, "blockquote")
            self.blocks(quote, out)
            if caption:
                etree.SubElement(out, "p").text = caption if caption[:1] in "—–-~" else f"— {caption}"
            return
        self.blocks(src, dst)

    def inline_content(self, src, dst: etree.Element) -> None:
        if src.text:
            _append_text(dst, _SPACE.sub(" ", src.text))
        for child in src:
            if isinstance(child.tag, str) and not is_chrome(child):
                self.inline(child, dst)
            if child.tail:
                _append_text(dst, _SPACE.sub(" ", child.tail))

    def inline(self, src, dst: etree.Element) -> None:
        tag = src.tag.lower()
        if tag == "br":
            etree.SubElement(dst, "br")
        elif tag == "img":
            self.image(src, dst)
        elif tag in ("code", "kbd", "samp", "tt"):
            etree.SubElement(dst, "code").text = code_escape(_SPACE.sub(" ", src.text_content()))
        elif tag in _INLINE_MAP:
            self.inline_content(src, etree.SubElement(dst, _INLINE_MAP[tag]))
        elif tag == "a":
            href = (src.get("href") or "").strip()
            scheme = urlsplit(href).scheme.lower()
            if scheme == "mailto":
                pass
            elif scheme or not self.base_url:
                href = absolute_url(href)  # http(s) kept; javascript:, data:, file: dropped
            else:  # relative: resolved against the page's own address
                href = absolute_url(urljoin(self.base_url, href))
            target = etree.SubElement(dst, "a") if href else dst
            if href:
                target.set("href", href)
            self.inline_content(src, target)
        else:  # span, mark, sup, a block met inline...: its text, spaced from what is around it
            if tag in _BLOCKS:
                _append_text(dst, " ")
            self.inline_content(src, dst)
            if tag in _BLOCKS:
                _append_text(dst, " ")

    @staticmethod
    def _tidy(element: etree.Element) -> None:
        """No leading or trailing blanks in a paragraph, item or cell (HTML ignores them)."""
        if element.text:
            element.text = element.text.lstrip()
        if len(element) and element[-1].tail:
            element[-1].tail = element[-1].tail.rstrip()
        elif not len(element) and element.text:
            element.text = element.text.rstrip()


def _pre_text(pre) -> str:
    """A code block's text, its ``<br>`` (how Medium breaks code lines) as line breaks."""
    out: list[str] = []

    def walk(node) -> None:
        if isinstance(node.tag, str) and node.tag.lower() == "br":
            out.append("\n")
        elif isinstance(node.tag, str):
            out.append(node.text or "")
            for child in node:
                walk(child)
        out.append(node.tail or "")

    out.append(pre.text or "")
    for child in pre:
        walk(child)
    return "".join(out)


def _nearest_table(node):
    node = node.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node
