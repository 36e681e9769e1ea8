"""What a page states about its article outside the article's text (``Meta``: title,
author, date, canonical address, language, tags), read from its ``<meta>`` and ``<link>``
elements, and ``absolute_url``, the test every address taken from an article passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Meta:
    """What a page states about its article outside the article's text."""

    title: str = ""
    author: str = ""
    date: str = ""
    canonical_url: str = ""
    lang: str = ""
    tags: tuple[str, ...] = ()
    subtitle: str = ""


def absolute_url(url: str) -> str:
    """``url`` when it is an absolute http(s) URL (what content files take), else ""."""
    url = (url or "").strip()
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc and not any(c.isspace() for c in url) else ""


def page_meta(doc: lxml.html.HtmlElement) -> Meta:
    def content(*names: str) -> str:
        for name in names:
            for node in doc.xpath("//meta[@property=$n or @name=$n]", n=name):
                value = _SPACE.sub(" ", node.get("content") or "").strip()
                if value:
                    return value
        return ""

    canonical = next((absolute_url(link.get("href", "")) for link in doc.xpath("//link[@href]")
                      if "canonical" in (link.get("rel") or "").lower().split()), "")
    title = content("og:title", "twitter:title")
    if not title:
        title = _SPACE.sub(" ", doc.findtext(".//title") or "").strip()
    author = content("author", "article:author", "twitter:creator")
    tags = [_SPACE.sub(" ", n.get("content") or "").strip()
            for n in doc.xpath("//meta[@property='article:tag' or @name='article:tag']")]
    if not tags:  # Medium states none: its tag links sit below the article, outside what is kept
        tags = [_SPACE.sub(" ", a.text_content()).strip() for a in doc.xpath("//a[@href]")
                if re.search(r"^https?://[^/]*medium\.com/tag/|^/tag/", a.get("href", ""))]
        tags = [t for t in tags if 0 < len(t.split()) <= 4][:10]
    return Meta(
        title=title,
        author="" if "://" in author or author.startswith("@") else author,
        date=content("article:published_time", "datePublished", "date"),
        canonical_url=canonical or absolute_url(content("og:url")),
        lang=(doc.get("lang") or "").strip(),
        tags=tuple(dict.fromkeys(t for t in tags if t)),
    )
