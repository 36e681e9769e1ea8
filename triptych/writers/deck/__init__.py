"""The deck: a native, editable .pptx with speaker notes, drawn from the slide plan.

How a deck is made, and the module that owns each step:

1. **Plan** (``triptych.slides.plan``). ``templates/deck.yaml.j2`` renders the slide plan
   (which slides, which layout, which parts of which section) as YAML; it is read back
   with the strict YAML reader and checked (a section's own ``layout:`` was checked by the
   loader, with the content's other problems).
2. **Master** (``package``, ``geometry``). The built-in look starts from python-pptx's
   template (its layouts carry the standard PowerPoint names), set to the theme's slide
   size, with every position, colour, font and decoration drawn from ``ctx.theme``. With
   ``theme.master`` (theme.yaml ``master:`` or ``--master``) the user's .pptx/.potx is used
   instead: layouts are found by name (``slides.plan.LAYOUTS``), their title, subtitle and body
   placeholders are filled where the master put them, and nothing is drawn over the
   designer's work except the footer.
3. **Lay out** (``triptych.slides.layout``, shared with the slides PDF and the handout's
   slide cards). Nothing is left to autofit: every paragraph has an explicit size and
   line spacing, measured with the theme's font files (``triptych.fit``). Points that do
   not fit continue on slides titled "<title> (2/2)"; a tall table splits between rows
   with its header repeated; a long title is set smaller; long words and URLs wrap.
4. **Draw** (``slides``, ``chrome``, ``canvas``, ``text``, ``ooxml``): each laid-out
   shape becomes a python-pptx shape. Runs carry bold, italic, code (code font) and
   links from ``markup.to_spans`` and the talk's language. Whatever python-pptx has no API for is written by ``ooxml``, the
   only module that touches the XML.
5. **Package** (``package``). The core properties come from the content; the zip is
   rewritten with fixed timestamps and order, so the same inputs give the same bytes.
"""

from __future__ import annotations

from ... import fit
from ...model import Talk
from ...slides.layout import lay_out as lay_out_plan
from ...slides.setting import Setting
from ...slides.plan import LAYOUTS, read_plan
from ...slides.shapes import Slide
from .. import Context, output
from .package import open_master, read_text, save, set_core_properties
from .slides import SlideBuilder
from .text import Style

#: Which ``only:`` name governs its sections: its record's family.
FAMILY = output("deck").family
PLAN_TEMPLATE = "deck.yaml.j2"

__all__ = ["FAMILY", "LAYOUTS", "PLAN_TEMPLATE", "lay_out", "read_text", "render", "slide_size"]


def _laid_out(talk: Talk, ctx: Context) -> tuple[SlideBuilder, list[Slide]]:
    plan = read_plan(talk, ctx, FAMILY, PLAN_TEMPLATE)
    prs, master = open_master(ctx.theme)
    style = Style(ctx, fit.FontBook(ctx.theme), talk.lang or "en", branded=not master)
    builder = SlideBuilder(prs, style, master)
    builder.check_layouts(planned.layout for planned in plan)
    setting = Setting(talk, ctx.templates, ctx.theme, style.book, not master, builder.frame, ctx.warn)
    return builder, lay_out_plan(plan, setting)


def lay_out(talk: Talk, ctx: Context) -> list[Slide]:
    """The deck's slides as laid out, with the frames of the theme's master when it names
    one (``slides.layout.lay_out_talk`` gives the built-in look's without python-pptx)."""
    return _laid_out(talk, ctx)[1]


def slide_size(ctx: Context) -> tuple[float, float]:
    """The deck's slide size in points: its master's (the theme's on the built-in master)."""
    prs, _ = open_master(ctx.theme)
    return prs.slide_width / 12700, prs.slide_height / 12700


def render(talk: Talk, ctx: Context) -> bytes:
    """The deck for ``talk`` as .pptx bytes: the same talk, templates and theme give the same bytes.

    Raises ``ContentError`` for plan template mistakes (all at once), or a master that
    cannot be opened or lacks layouts the plan needs (every one named)."""
    from ...charts.words import warnings

    for message in warnings(talk):
        ctx.warn(message)
    builder, slides = _laid_out(talk, ctx)
    for slide in slides:
        builder.build(slide)
    set_core_properties(builder.prs, talk)
    return save(builder.prs)
