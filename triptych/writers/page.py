"""The article as a page: ``output/<slug>.html``, standalone and themed.

For previewing the article and for copying it as rich text into the LinkedIn and Medium
editors, which take pasted formatting but not Markdown. Rendered from
``templates/page.html.j2`` (autoescaped; content Markdown only through the ``inline``
and ``block`` filters of ``triptych.render``, i.e. ``markup.to_html``).

It has the article's structure, not a web page's: the same headings, tables as one list
item per row (a real table would not survive the paste into Medium), the same credit
and hashtags. Semantic HTML, ``lang`` set, no scripts, no external requests: the CSS
comes from the theme's colours and fonts and sits in the page, and the image is embedded
as a ``data:`` URL so the page is one file that can be moved or mailed. A chart is inline
SVG (its text selectable), followed by its numbers as a list, as in the article: the list
is what survives a paste into an editor that takes no SVG.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from markupsafe import Markup, escape

from .. import bidi, markup
from ..charts import words
from ..htmltext import html_text
from ..model import Image, Talk
from ..render import render as render_template
from . import output

#: Which ``only:`` name governs its sections: its record's family.
FAMILY = output("page").family
TEMPLATE = "page.html.j2"

_MIME = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF8": "image/gif"}


def data_url(image: Image) -> str:
    """``image`` as a ``data:`` URL (the loader has checked it is a PNG, JPEG or GIF inside
    the content folder, under its size limit)."""
    raw = image.path.read_bytes()
    mime = next((m for magic, m in _MIME.items() if raw.startswith(magic)), "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"


_HEADING = re.compile(r"<(/?)h[1-6]>")


def body_html(text: str) -> Markup:
    """Block Markdown as HTML with every heading an ``<h3>``, as in the article: a body's
    ``# x`` must not compete with the title or the section headings. Safe to rewrite with a
    pattern because markup's HTML escapes every ``<`` of the text itself."""
    return Markup(_HEADING.sub(r"<\1h3>", markup.to_html(text, direction=bidi.document())))


def pairs(columns: tuple[str, ...], row: tuple[str, ...]) -> list[tuple[str, str]]:
    """(column, cell) for each non-empty cell of a table row."""
    return [(column, cell) for column, cell in zip(columns, row) if cell.strip()]


def chart_svg(section, ctx) -> Markup:
    """A section's chart as inline SVG (text kept as text, so it can be selected and
    copied), labelled with its alt text for screen readers."""
    from ..charts import draw

    svg = draw.svg(section.chart, ctx.theme, 640.0, 360.0, 12.0, f"{section.id}-")
    label = escape(words.alt(section.chart, ctx.templates))
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))


def render(talk: Talk, ctx) -> bytes:
    """The page as UTF-8 HTML. Deterministic: no build time, no absolute paths."""
    theme = ctx.theme
    for message in words.warnings(talk):
        ctx.warn(message)
    shown = talk.sections_in(FAMILY)
    html = render_template(
        ctx.templates, TEMPLATE,
        talk=talk,
        theme=theme,
        colors=theme.colors,
        fonts={role: Markup(theme.css_family(role)) for role in theme.fonts},  # escaped for <style> there
        sections=talk.sections_in(FAMILY),
        tags=talk.article_tags,
        images={s.index: data_url(s.image) for s in shown if s.image},
        charts={s.index: chart_svg(s, ctx) for s in shown if s.chart},
        chart_items={s.index: words.items(s.chart, ctx.templates) for s in shown if s.chart},
        body=body_html,
        pairs=pairs,
    )
    return html.encode("utf-8")


def read_text(path: Path) -> str:
    """The page's visible text, read back with the standard library's HTML parser
    (``htmltext.html_text``)."""
    return html_text(Path(path).read_text(encoding="utf-8"))
