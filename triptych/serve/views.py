"""The live preview's views: each one a complete HTML document of the current rendering.

- ``slides``: every slide from the shared slide renderer (``triptych.slides.html``: the
  deck's own plan and measured layout, every line ending where it ends in the .pptx), its
  speaker notes under it, and a presenter's outline (slide numbers and titles);
- ``article``: the page output (``output/<slug>.html``) exactly as written, so content is
  escaped exactly as there;
- ``post``: the LinkedIn post with its length against LinkedIn's limit and the place the
  feed's "see more" cuts it marked;
- ``handout``: the handout PDF's own pages as pictures (PDFium), so what shows is what
  prints, page breaks included (``triptych.serve.pages``);
- ``carousel``: the carousel's pages from its own layout, drawn by the shared renderer.

A view is rendered without the preview's chrome (the bar, the problems overlay, the live
script): ``decorate`` adds it when a view is served, so the last good rendering can be
served under the current problems. Every word is in a template (``preview-*.html.j2``,
autoescaped); content text is escaped there or by the slide renderer.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Sequence

from markupsafe import Markup

from ..errors import Problem
from ..markup import Span
from ..model import Talk
from ..project import DEFAULT_TEMPLATES
from ..render import render as render_template
from ..slides import carousel as carousel_layout
from ..slides.html import render_slides, span_html
from ..writers import Context, output, writer

#: The views of one talk, in the order the preview's bar lists them.
VIEWS = ("slides", "article", "post", "handout", "carousel")
#: Slide points to CSS points: a 960 x 540 pt slide shows 960 px wide.
SLIDE_SCALE = 0.75
#: Carousel points to CSS points: a 1080 x 1350 px page shows at 540 x 675 px, a phone's width.
CAROUSEL_SCALE = 0.5
#: What LinkedIn's feed shows of a post before "...see more": about three lines, and about
#: 210 characters on a wide screen (fewer on a phone), whichever comes first.
SEE_MORE_LINES = 3
SEE_MORE_CHARS = 210

#: Picture path -> its URL in the preview (served by the preview's server).
MediaUrl = Callable[[Path], str]


def preview_templates(templates: Path) -> Path:
    """The folder the preview's own templates come from: ``templates`` when it has them,
    else the built-in ones (a project whose templates were copied before the preview
    existed still previews; its outputs' templates are still its own)."""
    return templates if (templates / "preview.html.j2").is_file() else DEFAULT_TEMPLATES


def _page(ctx: Context, name: str, **values) -> str:
    return render_template(preview_templates(ctx.templates), name, **values)


def spans_html(spans: Sequence[Span]) -> Markup:
    """Styled runs (a notes paragraph) as escaped inline HTML, as the slides draw them."""
    return Markup("".join(span_html(span) for span in spans))


def slides(talk: Talk, ctx: Context, media: MediaUrl) -> str:
    """Every slide of the deck at ``SLIDE_SCALE``, each with its notes, and the outline."""
    slides_pdf = writer("slides")
    # A master's slide size (4:3, say), as the deck and the slides PDF have it.
    rendered = render_slides(talk, ctx, slides_pdf.lay_out(talk, ctx), scale=SLIDE_SCALE, image_url=media,
                             size=slides_pdf.size(ctx))
    items = []
    for html, laid in zip(rendered.slides, rendered.laid):
        items.append({
            "number": laid.number,
            "title": " ".join(p.text for p in laid.title.paras).strip(),
            "html": html,
            "notes": [spans_html(p.spans) for p in laid.notes if p.text.strip()],
        })
    return _page(ctx, "preview-slides.html.j2", talk=talk, view="slides", css=Markup(rendered.css),
                 slides=items, width=rendered.width, height=rendered.height)


def article(talk: Talk, ctx: Context, media: MediaUrl) -> str:
    """The page output, byte for byte what ``output/<slug>.html`` holds."""
    return writer("page").render(talk, ctx).decode("utf-8")


def see_more(text: str) -> int:
    """Where LinkedIn's feed cuts ``text`` with "...see more": after ``SEE_MORE_LINES``
    lines (a blank line is a line there too) or ``SEE_MORE_CHARS`` characters, whichever
    comes first. A cut inside a line falls at the last space before it. ``len(text)``
    when the whole post shows."""
    at = 0
    for _ in range(SEE_MORE_LINES):
        end = text.find("\n", at)
        if end < 0:
            break
        at = end + 1
    else:
        if at - 1 <= SEE_MORE_CHARS:
            return at - 1
    if len(text) <= SEE_MORE_CHARS:
        return len(text)
    space = max(text.rfind(" ", 0, SEE_MORE_CHARS + 1), text.rfind("\n", 0, SEE_MORE_CHARS + 1))
    return space if space > 0 else SEE_MORE_CHARS


def post(talk: Talk, ctx: Context, media: MediaUrl) -> str:
    """The post as LinkedIn shows it, with its length and the "see more" cut marked."""
    post_writer = writer("post")
    text = post_writer.render(talk, ctx).decode("utf-8").rstrip("\n")
    cut = see_more(text)
    return _page(ctx, "preview-post.html.j2", talk=talk, view="post", shown=text[:cut].rstrip(),
                 hidden=text[cut:].lstrip(" "), length=len(text), limit=post_writer.POST_MAX,
                 file=output("post").suffix)


def carousel(talk: Talk, ctx: Context, media: MediaUrl) -> str:
    """The carousel's pages, from its own plan and layout, at ``CAROUSEL_SCALE``."""
    laid = carousel_layout.lay_out(talk, ctx)
    rendered = render_slides(talk, ctx, laid, scale=CAROUSEL_SCALE, image_url=media,
                             size=carousel_layout.page_size(ctx))
    return _page(ctx, "preview-carousel.html.j2", talk=talk, view="carousel", css=Markup(rendered.css),
                 pages=rendered.slides, width=rendered.width, height=rendered.height)


def handout(talk: Talk, ctx: Context, pages, state: str) -> str:
    """The handout's pages (``pages.Page`` items: picture URL, size, text), or what
    ``state`` says instead: "building" (not written yet) or "off" (not built this session)."""
    return _page(ctx, "preview-handout.html.j2", talk=talk, view="handout", pages=pages or [], state=state,
                 file=output("handout").suffix)


#: The views rendered from the talk in this process, by name (the handout comes from its PDF).
RENDERERS: dict[str, Callable[[Talk, Context, MediaUrl], str]] = {
    "slides": slides, "article": article, "post": post, "carousel": carousel,
}


def index(ctx_templates: Path, talks: Sequence[dict], out_dir: str) -> str:
    """The list of talks: each with its title (or its file when it never loaded), its
    problems and links to its views."""
    return render_template(preview_templates(ctx_templates), "preview-index.html.j2", talk=None, talks=talks,
                           views=VIEWS, out_dir=out_dir, view="index")


def empty(templates: Path, source: str, view: str) -> str:
    """What a view shows before it ever rendered (its talk never loaded cleanly)."""
    return render_template(preview_templates(templates), "preview-empty.html.j2", talk=None, source=source, view=view)


def chrome(templates: Path, slug: str, view: str, version: int, problems: Sequence[Problem],
           shown: bool = True) -> tuple[str, str]:
    """The preview's additions to a view: what goes at the end of its ``<head>`` (the live
    script) and at the start of its ``<body>`` (the bar and, when there are problems, the
    overlay listing each as ``path:line: field: message``; ``shown`` says whether a last
    good version is under it, so that the overlay does not promise one that is not there)."""
    folder = preview_templates(templates)
    values = dict(slug=slug, view=view, views=VIEWS, version=version, problems=[str(p) for p in problems],
                  shown=shown)
    return (render_template(folder, "preview-chrome.html.j2", part="head", **values),
            render_template(folder, "preview-chrome.html.j2", part="body", **values))


def decorate(document: str, head: str, body: str) -> str:
    """``document`` with ``head`` inserted before its ``</head>`` and ``body`` right after
    its ``<body ...>`` tag (at its start and its end when a customised template lacks
    them). Content cannot fake either tag: every ``<`` of content text is escaped."""
    opening = _BODY.search(document)
    if opening:
        document = document[:opening.end()] + body + document[opening.end():]
    else:
        document += body
    at = document.lower().find("</head>")
    return document[:at] + head + document[at:] if at >= 0 else head + document


_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


__all__ = ["VIEWS", "RENDERERS", "chrome", "decorate", "empty", "index", "see_more", "preview_templates"]
