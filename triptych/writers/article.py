"""The article: ``output/<slug>.md``, Markdown that pastes cleanly into Medium and friends.

Rendered from ``templates/article.md.j2``. Every content text goes through
``triptych.mdwrite`` (markup's tree written back, literal characters escaped), so content
can never change the article's structure: one H1 (the title), one H2 per section, H3 at
most (headings inside a body become H3), no raw HTML, no pipe tables.

Platform choices (Medium shows two heading sizes, has no tables and takes up to five
tags): a table becomes one list item per row naming each column; tags
beyond the fifth are left out, with a warning naming the five used.

A chart is a PNG picture (Medium and LinkedIn take no SVG) written beside the article in
``<slug>.charts/`` by ``companions`` and linked relatively, its alt text from ``alt:`` (or
made from the data), then its numbers as a list ("Retrieval: 46 % in January, 28 % in
June") so they survive a paste and reach screen readers.

Images are referenced relative to the output folder (``../content/images/x.png`` for
the default ``output/`` next to ``content/``), so the article previews with its picture
where it was built; nothing is copied (a writer returns one file's bytes, and copying
into the output folder would be a second, unchecked write). The output folder is
``ctx.options["out_dir"]`` when the caller gives it, else ``DEFAULT_OUT_DIR``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import quote

from .. import mdwrite
from ..htmltext import html_text
from ..errors import Problem
from ..charts import words
from ..model import ARTICLE_TAGS_MAX, Image, Section, Talk
from ..render import render as render_template
from . import output

#: Which ``only:`` name governs its sections: its record's family.
FAMILY = output("article").family
TEMPLATE = "article.md.j2"
#: The CLI's default output folder, assumed when ``ctx.options`` names none.
DEFAULT_OUT_DIR = Path("output")

#: Medium ignored longer titles.
MEDIUM_TITLE_MAX = 100
#: Medium takes at most five tags.
MEDIUM_TAGS_MAX = ARTICLE_TAGS_MAX
#: Medium's limit on one tag's length.
TAG_MAX = 25

def platform_warnings(talk: Talk) -> list[str]:
    """Non-fatal platform limits the content exceeds, each as ``path:line: field: message``:
    a title Medium ignores (over 100 characters), more tags than Medium takes (naming the
    five used), and each tag over 25 characters."""
    out = []
    if len(talk.title) > MEDIUM_TITLE_MAX:
        out.append(Problem(talk.path, talk.line("title"), "title",
                           f"is {len(talk.title)} characters; Medium ignores titles over {MEDIUM_TITLE_MAX}"))
    if len(talk.tags) > MEDIUM_TAGS_MAX:
        used = ", ".join(talk.article_tags)
        out.append(Problem(talk.path, talk.line("tags"), "tags",
                           f"has {len(talk.tags)} tags; Medium takes {MEDIUM_TAGS_MAX}, so the article uses {used}"))
    for i, tag in enumerate(talk.tags):
        if len(tag) > TAG_MAX:
            out.append(Problem(talk.path, talk.line(f"tags[{i}]"), f"tags[{i}]",
                               f"'{tag}' is {len(tag)} characters; Medium tags hold at most {TAG_MAX}"))
    return [str(p) for p in out]


def image_ref(image: Image, out_dir: Path) -> str:
    """The URL of ``image`` as seen from ``out_dir``, the folder the article is written
    to: a relative, percent-encoded path (``../content/images/x.png``)."""
    rel = Path(os.path.relpath(image.path, Path(out_dir).resolve())).as_posix()
    return quote(rel, safe="/-._~")


#: The folder beside the article its chart pictures go to: ``<slug>.charts/``.
CHARTS = output("article").companions


def chart_ref(talk: Talk, section: Section) -> str:
    """Where the article finds ``section``'s chart picture: ``<slug>.charts/<id>.png``,
    relative to the article itself (the pipeline writes the folder beside it)."""
    return quote(f"{talk.slug}{CHARTS}/{section.id}.png", safe="/-._~")


def companions(talk: Talk, ctx) -> dict[str, bytes]:
    """The article's chart pictures, one PNG per chart of a section it shows, named
    ``<section id>.png`` (``charts.draw.png``: on the theme's background, in its fonts)."""
    shown = [s for s in talk.sections_in(FAMILY) if s.chart]
    if not shown:
        return {}
    from ..charts import draw

    return {f"{s.id}.png": draw.png(s.chart, ctx.theme) for s in shown}


def front_matter(talk: Talk) -> str:
    """YAML front matter for static site generators: ``---`` lines around title,
    subtitle, author, date, tags (the ones used), canonical_url and description (the
    summary's plain text). Strings are JSON-quoted, which is valid YAML and survives any
    character the content may hold."""
    from .. import markup

    def q(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["---", f"title: {q(talk.title)}"]
    if talk.subtitle:
        lines.append(f"subtitle: {q(talk.subtitle)}")
    lines.append(f"author: {q(talk.author.name)}")
    if talk.date:
        lines.append(f"date: {talk.date.isoformat()}")
    lines.append(f"lang: {q(talk.lang)}")
    if talk.tags:
        lines.append("tags: [" + ", ".join(q(t) for t in talk.article_tags) + "]")
    if talk.canonical_url:
        lines.append(f"canonical_url: {q(talk.canonical_url)}")
    if talk.summary:
        lines.append(f"description: {q(' '.join(markup.to_plain(talk.summary, inline=False).split()))}")
    lines.append("---")
    return "\n".join(lines)


def row_cells(columns: tuple[str, ...], row: tuple[str, ...]) -> list[str]:
    """One table row as Markdown pieces "**Column**: cell", empty cells left out."""
    return [f"{mdwrite.bold(column, start=False)}: {mdwrite.inline(cell, start=False)}"
            for column, cell in zip(columns, row) if cell.strip()]


_FENCE = re.compile(r"^(`{3,}|~{3,})")


def fold_blanks(text: str) -> str:
    """``text`` with each run of empty lines made one, except inside fenced code blocks,
    whose blank lines are the listing's own (two between Python functions, say)."""
    out: list[str] = []
    fence = ""
    for line in text.split("\n"):
        found = _FENCE.match(line)
        if fence:
            if found and found.group(1)[0] == fence[0] and len(found.group(1)) >= len(fence) \
                    and not line[len(found.group(1)):].strip():
                fence = ""
        elif found:
            fence = found.group(1)
        elif not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out)


def render(talk: Talk, ctx) -> bytes:
    """The article as UTF-8 Markdown ending in one newline. Reports the loader's notices
    (``Talk.notices``), ``platform_warnings`` and the charts' warnings through ``ctx.warn``; front matter only when ``ctx.options["front_matter"]``."""
    for message in [*map(str, talk.notices), *platform_warnings(talk), *words.warnings(talk)]:
        ctx.warn(message)
    out_dir = Path(ctx.options.get("out_dir") or DEFAULT_OUT_DIR)
    charted = [s for s in talk.sections_in(FAMILY) if s.chart]
    text = render_template(
        ctx.templates, TEMPLATE,
        talk=talk,
        md=mdwrite,
        sections=talk.sections_in(FAMILY),
        front_matter=front_matter(talk) if ctx.options.get("front_matter") else "",
        tags=talk.article_tags,
        images={s.index: image_ref(s.image, out_dir) for s in talk.sections if s.image},
        charts={s.index: chart_ref(talk, s) for s in charted},
        chart_alts={s.index: words.alt(s.chart, ctx.templates) for s in charted},
        chart_items={s.index: words.items(s.chart, ctx.templates) for s in charted},
        cells=row_cells,
    )
    # The template is written for readability; blank-line runs from skipped blocks are
    # folded here (one blank line between blocks is all Markdown needs, and markdownlint
    # MD012 asks for it). Trailing spaces are kept: two of them are a hard line break.
    return (fold_blanks(text).strip("\n") + "\n").encode("utf-8")


def strip_front_matter(text: str) -> str:
    """``text`` without a leading ``---`` ... ``---`` block, if it has one."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5:]
    return text


def read_text(path: Path) -> str:
    """What a reader of the article sees: the file re-parsed by stock Python-Markdown with
    fenced code (not triptych's narrowed parser, and not ``mdwrite``), front matter removed,
    reduced to the page's text with one line per block."""
    return read_text_of(Path(path).read_text(encoding="utf-8"))


def read_text_of(source: str) -> str:
    """``read_text`` for Markdown already in memory."""
    import markdown
    from markdown.extensions.fenced_code import FencedCodeExtension

    # With fenced code, as MkDocs and Pelican read Markdown (and every CommonMark reader
    # does); given as its class, which spares a search of every installed distribution's
    # entry points (see ``mdparse``).
    return html_text(markdown.markdown(strip_front_matter(source), extensions=[FencedCodeExtension()]))
