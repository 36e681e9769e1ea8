"""A saved web page (Medium, LinkedIn, a blog) -> the element tree Markdown articles give.

The article is found by readability-lxml (the algorithm of Firefox's Reader view): it
scores the page's blocks by their text and keeps the main one, leaving the site's
navigation, comment threads, "more from" blocks and footers behind. What it keeps is then
rebuilt (``importer.rebuild``), element by element, in the vocabulary
``markup.document_tree`` produces for a Markdown article (``h1``-``h6``, ``p``, ``ul``/``ol``/``li``, ``blockquote``, ``table``,
``pre``/``code``, ``img``; inline ``strong``, ``em``, ``code``, ``a``, ``br``), so one
mapper reads both. Anything else is dropped with its content when it is machinery
(scripts, styles, forms, buttons, navigation, embedded frames, share bars) and unwrapped
(its text kept) otherwise.

The page is untrusted: it is parsed from bytes already read (nothing is fetched, not even
the images it names), links keep only http, https and mailto targets (relative ones are
resolved against the page's own canonical address when it states one), and code text is
stored escaped exactly as Python-Markdown stores it.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as etree

import lxml.html

from .meta import Meta, page_meta
from .rebuild import Builder, drop_keep_tail, is_chrome


class NoArticle(ValueError):
    """The page holds no text to import."""


def parse_page(raw: bytes) -> lxml.html.HtmlElement:
    """The page as an lxml document. UTF-8 is tried first (what a browser's "save page"
    writes); otherwise the page's own ``<meta charset>`` decides, as in a browser."""
    try:
        raw.decode("utf-8")
        parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True)
    except UnicodeDecodeError:
        parser = lxml.html.HTMLParser(no_network=True)
    return lxml.html.document_fromstring(raw, parser=parser)


def read_html(raw: bytes) -> tuple[etree.Element, Meta]:
    """The article of an HTML page as a ``<div>`` of block elements, and the page's
    metadata. Raises ``NoArticle`` when the page has no text at all."""
    from readability import Document  # imported here: only an import pays for it
    from readability.readability import Unparseable

    try:
        doc = parse_page(raw)
    except (ValueError, lxml.etree.ParserError) as err:
        raise NoArticle(f"cannot read the page as HTML ({err})") from None
    meta = page_meta(doc)
    for node in list(doc.iter()):  # chrome inside the article, before readability scores it
        if is_chrome(node) and node.getparent() is not None:
            drop_keep_tail(node)
    try:
        # keep_all_images: otherwise a <picture> holding the <img> is thrown away as clutter
        article = _keeping_short_lists(Document)(copy.deepcopy(doc)).summary(html_partial=True,
                                                                         keep_all_images=True)
    except Unparseable as err:
        raise NoArticle(f"found no article in the page ({err})") from None
    builder = Builder(meta.canonical_url)
    builder.blocks(lxml.html.fragment_fromstring(article, create_parent="div"), builder.root)
    builder.flush()
    if not "".join(builder.root.itertext()).strip():
        raise NoArticle("found no article text in the page")
    return builder.root, meta


def _keeping_short_lists(document: type) -> type:
    """readability's ``Document`` keeping the article's short lists: it drops a ``<ul>`` of
    under 25 characters of text as clutter, so a list of the article's own ("Return early",
    "Wrap with %w") vanished from the import without a word. A list with text and few links
    is kept (a site's menus and tag lists are links; its navigation and share bars are
    dropped before, as chrome)."""

    class Kept(document):
        def get_preserved_elements(self, node):
            allowed = super().get_preserved_elements(node)
            allowed.update({ul: True for ul in self.tags(node, "ul")
                            if ul.text_content().strip() and self.get_link_density(ul) <= 0.25})
            return allowed

    return Kept
