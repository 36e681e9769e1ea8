"""The LinkedIn post: ``output/<slug>.linkedin.txt``, plain text that promotes the article.

LinkedIn renders no Markdown (``**`` shows as two asterisks), holds 3,000 characters and
shows the first 140 to 210 or so before "see more". So the post is plain text
(``markup.linked``: the words, no syntax, a link's address after its text) laid out by
``templates/post.txt.j2``:

1. a first line of at most ``FIRST_LINE_MAX`` characters: the summary's first sentence
   (cut at a word with "…" when longer, the rest following on the next line; the title
   when there is no summary);
2. the rest of the summary;
3. "Key points:", one per article section (``key_points``);
4. "Read the full article: <canonical_url>" when there is one;
5. the hashtags (the article's tags, at most five).

Over ``POST_MAX`` characters, parts 2 and 3 are trimmed from the end, a whole sentence or
a whole key point at a time; the first line, link and hashtags always stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import markup
from ..model import Point, Talk
from ..render import render as render_template
from . import output

#: Which ``only:`` name governs its sections: its record's family.
FAMILY = output("post").family
TEMPLATE = "post.txt.j2"

#: LinkedIn's limit for a post.
POST_MAX = 3000
#: About what LinkedIn shows before "see more".
FIRST_LINE_MAX = 140
ELLIPSIS = "…"

# A sentence ends at . ! ? or … (closing quotes and brackets included) before whitespace.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*(?=\s)")


def sentences(text: str) -> list[str]:
    """``text`` split after each sentence-ending mark followed by whitespace, each part
    with its whitespace collapsed. Abbreviations ("e.g. this") split too: harmless here,
    where a split only decides where a cut may fall."""
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        out.append(text[start:match.end()])
        start = match.end()
    out.append(text[start:])
    return [" ".join(s.split()) for s in out if s.strip()]


def cut_words(text: str, limit: int) -> tuple[str, str]:
    """``text`` cut to at most ``limit`` characters at a space, with "…" added when cut,
    and the rest. A first word longer than ``limit`` is cut inside the word."""
    if len(text) <= limit:
        return text, ""
    at = text.rfind(" ", 0, limit)  # leaves room for the ellipsis
    if at <= 0:
        at = limit - 1
    return text[:at].rstrip() + ELLIPSIS, text[at:].lstrip()


def key_points(talk: Talk) -> list[Point]:
    """One point per article section: its first point that has no sub-points (a point
    with sub-points is usually a lead-in such as "GPT, ..." with the facts below it).
    Sections whose points all have sub-points give none, unless no section gives any:
    then each section's first point."""
    sections = [s for s in talk.sections_in(FAMILY) if s.points]
    chosen = [next((p for p in s.points if not p.points), None) for s in sections]
    if any(chosen):
        return [p for p in chosen if p is not None]
    return [s.points[0] for s in sections]


@dataclass(frozen=True)
class Parts:
    """The post before layout: ``first`` line, ``paragraphs`` (lists of sentences) of the
    summary after it, ``points`` (plain text), ``link`` and ``hashtags``."""

    first: str
    paragraphs: tuple[tuple[str, ...], ...]
    points: tuple[str, ...]
    link: str
    hashtags: str


def parts(talk: Talk) -> Parts:
    """What the post says, untrimmed (see the module docstring for the choices)."""
    paragraphs = [sentences(block.linked) for block in markup.blocks(talk.summary)]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs:
        first_sentence = paragraphs[0].pop(0)
    else:
        first_sentence = " ".join(talk.title.split())
    first, rest = cut_words(first_sentence, FIRST_LINE_MAX)
    if rest:
        if paragraphs:
            paragraphs[0].insert(0, ELLIPSIS + rest)
        else:
            paragraphs.append([ELLIPSIS + rest])
    points = tuple(" ".join(markup.linked(markup.to_spans(point.text)).split()) for point in key_points(talk))
    return Parts(
        first=first,
        paragraphs=tuple(tuple(p) for p in paragraphs if p),
        points=points,
        link=talk.canonical_url,
        hashtags=" ".join("#" + tag for tag in talk.article_tags),
    )


def _layout(ctx, talk: Talk, p: Parts) -> str:
    text = render_template(
        ctx.templates, TEMPLATE, talk=talk, first=p.first,
        paragraphs=[" ".join(s) for s in p.paragraphs], points=p.points, link=p.link, hashtags=p.hashtags,
    )
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def trimmed(p: Parts, fits) -> Parts:
    """The longest ``p`` that ``fits``: key points dropped from the end first, then the
    summary's sentences from the end. The first line, link and hashtags always stay."""
    points = list(p.points)
    paragraphs = [list(s) for s in p.paragraphs]

    def current() -> Parts:
        return Parts(p.first, tuple(tuple(s) for s in paragraphs if s), tuple(points), p.link, p.hashtags)

    while not fits(current()) and (points or any(paragraphs)):
        if points:
            points.pop()
        else:
            while paragraphs and not paragraphs[-1]:
                paragraphs.pop()
            paragraphs[-1].pop()
    return current()


def render(talk: Talk, ctx) -> bytes:
    """The post as UTF-8 text, at most ``POST_MAX`` characters (newline included)."""
    full = parts(talk)
    best = trimmed(full, lambda p: len(_layout(ctx, talk, p)) <= POST_MAX)
    return _layout(ctx, talk, best).encode("utf-8")


def read_text(path: Path) -> str:
    """The post as LinkedIn shows it: the file's text as is."""
    return Path(path).read_text(encoding="utf-8")
