"""Python-Markdown, configured once: content Markdown -> element trees.

``inline_tree`` reads one-line fields (inline patterns only), ``block_tree`` block fields,
``document_tree`` a whole article being imported. The parser is narrowed for untrusted
content (``_narrow``: no raw HTML, entities or ``<me@example.org>`` autolinks), one
instance per thread, fenced code comes back as ``<pre><code>`` elements with its tabs
kept, and a sub-list indented two spaces nests, as in CommonMark (``triptych.listindent``). Everything else reads these trees through ``triptych.markup``.

Fenced code is read by a second parser, used only for text that may hold a fence (three
backticks or tildes): Python-Markdown's fenced code extension imports Pygments, which a
talk without code never needs (nor a rebuild that has nothing to do). Without a fence in
the text, the extension changes nothing, so both parsers give the same tree.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions.sane_lists import SaneListExtension

from .listindent import ListIndent

_PLACEHOLDER = re.compile(re.escape(markdown.util.HTML_PLACEHOLDER).replace("%s", r"(\d+)"))

_local = threading.local()

#: Python-Markdown expands every tab to spaces before parsing; a fenced block's tabs are
#: swapped for this non-character first and back after, so code keeps them byte for byte.
#: Content never holds one: the loader refuses Unicode non-characters.
_TAB = "\ufdd0"


def _may_fence(text: str) -> bool:
    """True when ``text`` may hold a fenced block (one opens with three backticks or tildes)."""
    return "```" in text or "~~~" in text


def _fence_extension() -> type:
    from markdown.extensions.fenced_code import FencedCodeExtension

    return FencedCodeExtension


def _keep_fence_tabs(text: str) -> str:
    if "\t" not in text or not _may_fence(text):
        return text
    from markdown.extensions.fenced_code import FencedBlockPreprocessor

    def swap(match: re.Match) -> str:
        start, end = match.span("code")
        whole = match.group(0)
        offset = match.start()
        return whole[:start - offset] + match.group("code").replace("\t", _TAB) + whole[end - offset:]
    return FencedBlockPreprocessor.FENCED_BLOCK_RE.sub(swap, text)


def _narrow(md: markdown.Markdown) -> markdown.Markdown:
    md.preprocessors.deregister("html_block")
    for name in ("html", "entity", "automail"):
        md.inlinePatterns.deregister(name)
    # Sub-lists indented two spaces, as people write them, nest (see triptych.listindent);
    # it runs after fenced_code (25) has stashed the fences.
    md.preprocessors.register(ListIndent(md), "list_indent", 15)
    return md


def _parser(*extensions: type) -> markdown.Markdown:
    """A narrowed parser with ``extensions``, given as classes: named by a string, each one
    would be looked up among every installed distribution's entry points first (reading
    each one's metadata file), a noticeable share of a build that has nothing to rebuild."""
    return _narrow(markdown.Markdown(extensions=[extension() for extension in extensions]))


def _md(fenced: bool = False) -> markdown.Markdown:
    """This thread's parser, with fenced code when ``fenced``, reset. Markdown instances
    keep state between calls and are not thread-safe: one (of each) per thread."""
    name = "fenced" if fenced else "plain"
    md = getattr(_local, name, None)
    if md is None:
        md = _parser(SaneListExtension, _fence_extension()) if fenced else _parser(SaneListExtension)
        setattr(_local, name, md)
    md.reset()
    return md


def _run_tree(md: markdown.Markdown, root: etree.Element) -> etree.Element:
    for processor in md.treeprocessors:
        new = processor.run(root)
        if new is not None:
            root = new
    return root


def inline_tree(text: str) -> etree.Element:
    """Parse one-line inline Markdown into a ``<p>`` element (bold, italic, code, links)."""
    md = _md()
    root = etree.Element("div")
    para = etree.SubElement(root, "p")
    para.text = text
    return _run_tree(md, root)[0]


def block_tree(text: str) -> etree.Element:
    """Parse block Markdown (paragraphs, lists, quotes, indented and fenced code) into a
    ``<div>`` of block elements. A fenced block (```` ```python ````) becomes
    ``<pre><code class="language-python">``, exactly as ``document_tree`` makes it."""
    md = _md(fenced=_may_fence(text))
    lines = _keep_fence_tabs(text).split("\n")
    for pre in md.preprocessors:
        lines = pre.run(lines)
    root = md.parser.parseDocument(lines).getroot()
    return _unstash_fences(md, _run_tree(md, root))


def _unstash_fences(md: markdown.Markdown, root: etree.Element) -> etree.Element:
    # fenced_code stashes each block as HTML behind a placeholder paragraph; raw HTML is
    # off, so every stashed block is a fence: put it back as elements, its text escaped as
    # Python-Markdown escapes indented code (``code_text`` reads it back), so both kinds
    # look the same to every writer.
    stash = md.htmlStash.rawHtmlBlocks
    for parent in list(root.iter()):
        for i, child in enumerate(list(parent)):
            placeholder = _PLACEHOLDER.fullmatch(child.text or "") if child.tag == "p" else None
            if placeholder and int(placeholder.group(1)) < len(stash) and not len(child):
                pre = etree.fromstring(stash[int(placeholder.group(1))])
                for node in pre.iter():
                    if node.text:
                        node.text = markdown.util.code_escape(node.text.replace(_TAB, "\t"))
                pre.tail = child.tail
                parent[i] = pre
    return root


def document_tree(text: str) -> etree.Element:
    """Parse a whole Markdown document (an article being imported) into a ``<div>`` of
    block elements: what ``block_tree`` reads, plus headings of every level, pipe tables
    and fenced code. Narrowed like content: raw HTML shows as text. A fenced block becomes
    ``<pre><code class="language-x">`` holding its text escaped as Python-Markdown
    escapes indented code (``code_text`` reads it back), so both kinds look the same; its
    tabs are kept, as in ``block_tree``."""
    from markdown.extensions.tables import TableExtension

    md = _parser(SaneListExtension, TableExtension, _fence_extension())
    lines = _keep_fence_tabs(text).split("\n")  # a fence's tabs are the listing's own
    for pre in md.preprocessors:
        lines = pre.run(lines)
    return _unstash_fences(md, _run_tree(md, md.parser.parseDocument(lines).getroot()))
