"""An article's element tree -> a ``Draft``: which text becomes which content field.

The tree is what ``markup.document_tree`` gives for Markdown and what
``importer.html.read_html`` rebuilds from a page, so both kinds of article are mapped here
and only here. The rules, in reading order:

- the first ``h1`` is the title (else the page's stated title, else a guess); an italic
  or short line right after it the subtitle; a byline ("By Name · 12 May 2026",
  "Name · 5 min read · May 12, 2026") the author and date; the next paragraph the summary;
- the highest heading level below the title starts sections (``h2`` in a usual article);
  lower headings stay in the section's body as ``###`` headings; anything between the
  summary and the first section becomes a first section to name;
- in a section: the first code block is its ``code:`` part (shown on a slide), with a
  short italic line right after it as its caption; paragraphs, further lists, unattributed
  quotes, extra tables and further code (as fenced code) form the body; the first list its points (one nesting level; deeper ones
  flattened into it); the first quote whose last line is "— Name" its quote; the first
  table its table; the first picture with alt text its image (remote ones are not fetched
  and left out); with no list, the body's first sentences become points;
- trailing hashtags (or a page's tag links) are the tags, an "Originally published at"
  line the canonical URL.

A section's points, quote and table are read by ``importer.parts``. Every guess or
omission is recorded as a review note for the field it concerns. Text is written back as
content Markdown (``contentmd``: every literal character escaped), so the content shows
exactly what the article showed.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from .. import emojis, highlight, markup
from ..listing import MAX_CODE
from ..loader import MAX_BLOCK, MAX_LINE, slugify
from . import contentmd, draft
from .byline import parse_byline, parse_date
from .meta import Meta, absolute_url
from .images import image_check
from .parts import list_points, quote_of, sentence_points, table_as_list, table_of
from .tree import clean, one_line, plain, unwrap

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: A section's body is split into continued sections past this many characters.
BODY_LIMIT = MAX_BLOCK - 1_000
#: A line after the title shorter than this, not ending a sentence, is taken as a subtitle.
SHORT_LINE = 120

_HASHTAGS = re.compile(r"^\s*(#[^\s#,]+[\s,]*)+$")
_PUBLISHED = re.compile(r"^\s*(?:this (?:article|post|piece) was )?originally (?:published|posted) (?:at|on|in)\b",
                        re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"')\]]+")


class _Mapper:
    def __init__(self, meta: Meta, source_dir: Path) -> None:
        self.meta = meta
        self.source_dir = source_dir
        self.reviews: list[tuple[str, str]] = []

    def review(self, where: str, message: str) -> None:
        self.reviews.append((where, message))

    # -- the whole article ----------------------------------------------------------------

    def article(self, root: etree.Element, fallback_title: str) -> draft.Draft:
        self._links(root)
        blocks = [b for b in root if b.tag != "hr" and (plain(b) or b.find(".//img") is not None)]
        tags, canonical = self._trailer(blocks)
        title, blocks, before = self._title(blocks, fallback_title)
        if not title:
            title = clean(fallback_title)[:MAX_LINE] or "Untitled"
            self.review("title", "the article's title is empty: this one is made from the file name")
        subtitle = author = date = summary = ""
        if blocks and (blocks[0].tag in HEADINGS or blocks[0].tag == "p") and self._subtitle(blocks[0]):
            subtitle, blocks = clean(plain(blocks[0])), blocks[1:]
        if blocks and blocks[0].tag == "p":
            author, date = parse_byline(plain(blocks[0]))
            if author or date:
                blocks = blocks[1:]
        subtitle = subtitle or clean(self.meta.subtitle)[:MAX_LINE]
        author = author or self.meta.author
        date = date or parse_date(self.meta.date)
        if not author:
            author = "Your Name"
            self.review("author", "no byline found: put the author's name here")
        levels = [int(b.tag[1]) for b in blocks if b.tag in HEADINGS]
        level = min(levels) if levels else 0
        first = next((k for k, b in enumerate(blocks) if b.tag == f"h{level}"), len(blocks))
        if first > 0 and blocks[0].tag == "p" and not blocks[0].findall(".//img"):
            summary, blocks, first = contentmd.inline(blocks[0], one_line=False), blocks[1:], first - 1
        opening = before + blocks[:first]
        parts: list[tuple[str, list[etree.Element]]] = []
        if opening:
            parts.append(("", opening))
        for block in blocks[first:]:
            if block.tag == f"h{level}":
                parts.append((one_line(block), []))
            else:
                parts[-1][1].append(block)
        if not parts:
            parts.append(("", []))
        sections: list[draft.Section] = []
        for k, (name, content) in enumerate(parts):
            where = f"sections[{len(sections)}]"
            if k == 0 and opening:
                name = title if len(parts) == 1 else "Introduction"
                self.review(f"{where}.title", "the article has no headings here: name this section"
                            if len(parts) > 1 else "the article has no section headings: one section holds it all")
            sections.extend(self.section(name, content, len(sections)))
        sections = _unique_ids(sections)
        return draft.Draft(
            title=title, subtitle=subtitle, author=clean(author)[:MAX_LINE], date=date, lang=_lang(self.meta.lang),
            tags=tags or self._meta_tags(), canonical_url=canonical or self.meta.canonical_url,
            summary=clean(summary), sections=tuple(sections), reviews=tuple(self.reviews))

    def _title(self, blocks, fallback: str) -> tuple[str, list, list]:
        """The title, the blocks after it, and any blocks that stood before it."""
        for k, block in enumerate(blocks):
            if block.tag == "h1":
                return clean(plain(block))[:MAX_LINE], blocks[k + 1:], blocks[:k]
        if self.meta.title:
            return clean(self.meta.title)[:MAX_LINE], blocks, []
        if blocks and blocks[0].tag in HEADINGS:
            self.review("title", "the article has no top-level heading: its first heading became the title")
            return clean(plain(blocks[0]))[:MAX_LINE], blocks[1:], []
        self.review("title", "the article states no title: this one is made from the file name")
        return clean(fallback)[:MAX_LINE], blocks, []

    def _subtitle(self, block: etree.Element) -> bool:
        text = plain(block)
        if block.get("role") == "subtitle" or (len(block) == 1 and block[0].tag == "em" and not (block.text or "").strip()
                                                and not (block[0].tail or "").strip()):
            return len(text) <= MAX_LINE
        if block.tag == "p" and len(text) <= SHORT_LINE and not text.endswith((".", "!", "?", ":")) \
                and not parse_byline(text)[0] and not parse_date(text):
            self.review("subtitle", "a short line after the title was taken as the subtitle")
            return True
        return False

    def _trailer(self, blocks: list) -> tuple[tuple[str, ...], str]:
        """Take the hashtags and the "Originally published at" line off the end of ``blocks``."""
        tags: list[str] = []
        canonical = ""
        while blocks:
            last = blocks[-1]
            text = plain(last)
            links = last.findall(".//a")
            if last.tag == "p" and _HASHTAGS.match(text):
                tags[:0] = [t.strip("#,") for t in text.split() if t.strip("#,")]
            elif last.tag == "p" and _PUBLISHED.match(text) and not canonical:
                found = [u for u in (absolute_url(x) for x in [a.get("href", "") for a in links] + _URL.findall(text)) if u]
                if not found:
                    break
                canonical = found[0]
            elif links and all(re.search(r"/tags?/|/tagged/", a.get("href", "")) for a in links) \
                    and len(text) <= sum(len(plain(a)) + 3 for a in links):
                tags[:0] = [_hashtag(plain(a)) for a in links]
            else:
                break
            blocks.pop()
        return tuple(dict.fromkeys(clean(t) for t in tags if clean(t))), canonical

    def _meta_tags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_hashtag(t.lstrip("#")) for t in self.meta.tags if _hashtag(t.lstrip("#"))))

    def _links(self, root: etree.Element) -> None:
        """Links content may not hold (relative, ``javascript:``) keep their text only."""
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "a":
                    href = child.get("href", "").strip()
                    scheme = urlsplit(href).scheme.lower()
                    if scheme not in markup.LINK_SCHEMES or (scheme != "mailto" and not urlsplit(href).netloc):
                        unwrap(parent, child)
                        self.review("", f"link to '{href}' kept as text: content links are full http, https "
                                        "or mailto URLs")

    # -- one section ----------------------------------------------------------------------

    def section(self, title: str, blocks: list, index: int) -> list[draft.Section]:
        """The section (or, past ``BODY_LIMIT``, the sections) ``blocks`` make."""
        where = f"sections[{index}]"
        if not title:
            title = f"Section {index + 1}"
            self.review(f"{where}.title", "the heading is empty: name this section")
        body: list[str] = []
        if len(title) > MAX_LINE:
            body.append(title)  # already content Markdown: the body's first paragraph
            title = title[:MAX_LINE - 1].rsplit(" ", 1)[0].rstrip("\\") + "…"
            self.review(f"{where}.title", "the heading was too long for a title: shortened, kept whole in the body")
        points: tuple[draft.Point, ...] = ()
        table = quote = image = None
        code: draft.Code | None = None
        code_at = -1  # where in the body the listing stood
        lists_seen = False
        for block in blocks:
            if code is not None and code_at == len(body) and not code.caption and _caption(block):
                code = replace(code, caption=_caption(block))
                continue
            for img in block.findall(".//img"):
                image = self._image(img, image, where)
            for parent in list(block.iter()):
                for child in list(parent):
                    if child.tag == "img":
                        unwrap(parent, child)
            if block.tag in ("ul", "ol") and not lists_seen:
                lists_seen = True
                points = list_points(block, where, self.review)
                if points:
                    continue
            if block.tag == "blockquote" and quote is None:
                quote = quote_of(block)
                if quote:
                    continue
            if block.tag == "table":
                if table is None:
                    table = table_of(block, where, self.review)
                    if table:
                        continue
                body.append(table_as_list(block, where, table is not None, self.review))
                continue
            if block.tag == "pre" and code is None:
                code = self._code(block, where)
                if code is not None:
                    code_at = len(body)
                    continue
            text = self._block(block, where)
            if text:
                body.append(text)
        if code is not None and code_at < len(body):
            self.review(f"{where}.code", "the section's first code block is its code: part, shown on a slide; "
                                         "the article prints it after the section's prose (move it back into "
                                         "body if it must stay between paragraphs)")
        if not points and body:
            points = sentence_points(blocks, where, self.review)
        chunks = _chunks(body)
        sections = [draft.Section(title=title, body=chunks[0], points=points, table=table, quote=quote, image=image,
                                  code=code)]
        for k, chunk in enumerate(chunks[1:], 2):
            self.review(f"sections[{index + k - 1}].title", "a long section was split here")
            sections.append(draft.Section(title=clean(f"{title[:MAX_LINE - 12]} ({k})"), body=chunk))
        return sections

    def _code(self, block: etree.Element, where: str) -> draft.Code | None:
        """A code block as a section's ``code:`` part; None for an empty one or one too long
        for the part (it stays in the body). A listing with no language, or one the
        highlighter does not know, gets ``text`` and a review note."""
        text, lang = _listing(block)
        text = clean(text, strip=False)
        if not text.strip() or len(text) > MAX_CODE:
            return None
        if not _known(lang):
            said = f"its language ({lang}) is not one the highlighter knows" if lang else "no language is stated"
            self.review(f"{where}.code", f"{said}: set lang to colour the listing (a Pygments name, e.g. python)")
            lang = "text"
        return draft.Code(text, lang)

    def _block(self, block: etree.Element, where: str) -> str:
        if block.tag == "pre":
            text, lang = _listing(block)
            if not text.strip():
                return ""
            if lang and not _known(lang):
                self.review(f"{where}.body", f"a code block's language ({lang}) is not one the highlighter knows: "
                                             "left out")
                lang = ""
            if not fences_are_code():  # indented code is a code block in every content parser
                if lang:
                    self.review(f"{where}.body", f"the code block's language ({lang}) is not kept: content "
                                                 "files take code as an indented block")
                return "\n".join("    " + line if line.strip() else "" for line in clean(text, strip=False).split("\n"))
            fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", text)), default=0))
            return clean(f"{fence}{lang}\n{text}\n{fence}")
        return clean(contentmd.block(block))

    def _image(self, img: etree.Element, current: draft.Image | None, where: str) -> draft.Image | None:
        src, alt = img.get("src", ""), clean(" ".join(img.get("alt", "").split()))
        found = image_check(src, self.source_dir)
        if isinstance(found, str):
            self.review(f"{where}.image", found)
            return current
        if not alt:
            self.review(f"{where}.image", f"image '{src}' has no alt text; left out (describe it and add it back)")
            return current
        if current is not None:
            self.review(f"{where}.image", f"a section holds one image: '{src}' left out")
            return current
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", found.name).lstrip(".-") or "image"
        return draft.Image(found, f"images/{name}", alt[:1_000],
                           clean(contentmd.escape(" ".join(img.get("title", "").split())))[:MAX_LINE])


def _listing(block: etree.Element) -> tuple[str, str]:
    """A ``<pre>`` block's code as typed, and its language ("" when none is stated)."""
    code = block.find("code")
    text = markup.code_text("".join((code if code is not None else block).itertext())).rstrip("\n")
    lang = ((code.get("class", "") if code is not None else "").removeprefix("language-").split() or [""])[0]
    return text, lang


def _known(lang: str) -> bool:
    try:
        highlight.check_language(lang)
    except highlight.UnknownLanguage:
        return False
    return bool(lang)


def _caption(block: etree.Element) -> str:
    """A listing's caption: a paragraph that is one short italic phrase (as the article
    writes a caption under its listing), as content Markdown; "" for anything else."""
    if block.tag != "p" or len(block) != 1 or (block.text or "").strip() or (block[0].tail or "").strip():
        return ""
    em = block[0]
    if em.tag not in ("em", "i") or len(em):
        return ""
    text = one_line(em)
    return text if 0 < len(text) <= SHORT_LINE else ""


def _hashtag(text: str) -> str:
    """A tag as one word: "Software Development" -> "SoftwareDevelopment", "devops" kept;
    emoji are left out (a hashtag ends at one, and a content file's tags refuse them)."""
    words = emojis.strip(clean(text)).split()
    return words[0] if len(words) == 1 else "".join(w[:1].upper() + w[1:] for w in words)


def _lang(text: str) -> str:
    """A page's language as a BCP 47 tag ("en_US" -> "en-US"), or "" when it is not one."""
    text = text.strip().replace("_", "-")
    return text if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", text) else ""


@functools.cache
def fences_are_code() -> bool:
    """Whether content Markdown reads a ```` ``` ```` fence as a code block (it is being
    taught to); until it does, imported code is written as an indented block."""
    tree = markup.block_tree("```\nx\n```")
    return len(tree) > 0 and tree[0].tag == "pre"


def _unique_ids(sections: list[draft.Section]) -> list[draft.Section]:
    """Sections whose titles slug alike (two "Summary" headings) get ids of their own, as
    the loader requires; the others keep the id their title gives."""
    seen: set[str] = set()
    out = []
    for k, section in enumerate(sections):
        slug = slugify(markup.to_plain(section.title)) or f"section-{k + 1}"
        ident, n = slug, 1
        while ident in seen:
            n += 1
            ident = f"{slug}-{n}"
        seen.add(ident)
        out.append(replace(section, id=ident) if ident != slug else section)
    return out


def _chunks(body: list[str]) -> list[str]:
    """``body``'s blocks joined into as few fields as the length cap allows."""
    chunks = [""]
    for part in body:
        joined = f"{chunks[-1]}\n\n{part}" if chunks[-1] else part
        if len(joined) > BODY_LIMIT and chunks[-1]:
            chunks.append(part)
        else:
            chunks[-1] = joined
    return chunks


def map_article(root: etree.Element, meta: Meta, source_dir: Path, fallback_title: str) -> draft.Draft:
    """The content an article's tree holds; ``source_dir`` is the only folder its local
    images may come from; ``fallback_title`` titles an article that states none."""
    return _Mapper(meta, source_dir).article(root, fallback_title)
