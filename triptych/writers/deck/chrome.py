"""What every slide carries around its content: background, title, notes, and the removal
of placeholders left empty.

The background is the built-in look's only (``Slide.background``): on a user's master the
designer's stays. The title goes in the layout's title placeholder, so the outline and
screen readers know it. Bands, rules, footer and slide number are laid-out shapes
(``triptych.slides``) drawn like any other (``canvas``).
"""

from __future__ import annotations

from dataclasses import replace

from pptx.enum.shapes import PP_PLACEHOLDER

from ... import fit
from ...slides.shapes import Text
from . import ooxml
from .canvas import SlideState
from .geometry import BODY_TYPES, TITLE_TYPES, emu
from .text import Style, fill, fill_text


def background(state: SlideState, style: Style, color: str | None) -> None:
    """Fill the slide's background with theme colour ``color`` (None: the master's)."""
    if color is None:
        return
    state.slide.background.fill.solid()
    state.slide.background.fill.fore_color.rgb = style.color(color)


def title(state: SlideState, style: Style, text: Text, place: bool) -> None:
    """The title in the layout's title placeholder (a text box, with a warning, when the
    master layout has none), moved to the laid-out box when ``place`` (the built-in look;
    a master's placeholders stay where the designer put them, which is where the layout
    measured them). Records the slide's body placeholders as free for the content."""
    slide = state.slide
    holder = next((s for s in slide.placeholders if s.placeholder_format.type in TITLE_TYPES), None)
    if holder is None:
        holder = slide.shapes.add_textbox(0, 0, 0, 0)
        style.ctx.warn(f"master layout {slide.slide_layout.name!r} has no title placeholder; "
                       "the slide title is a text box, which screen readers do not announce as a title")
    if place:
        box = text.box
        holder.left, holder.top = emu(box.x), emu(box.y)
        holder.width, holder.height = emu(box.w), emu(box.h)
    fill_text(holder.text_frame, text, style)
    ooxml.move_in_reading_order(slide, holder, state.decorations)  # first after the decorations
    state.free_bodies = [s for s in slide.placeholders
                         if s.placeholder_format.type in (*BODY_TYPES, PP_PLACEHOLDER.SUBTITLE)]


def drop_unused(slide) -> None:
    """Remove placeholders nothing was put in, so no "Click to add text" shows."""
    for shape in list(slide.placeholders):
        if shape.placeholder_format.type in TITLE_TYPES:
            continue
        if not shape.has_text_frame or not shape.text_frame.text.strip():
            ooxml.remove_shape(shape)


def notes(slide, style: Style, paras: tuple[fit.Para, ...]) -> None:
    """The speaker notes page: ``paras`` (nothing at all when there are none), list items
    bulleted, in the master's colours."""
    if not paras:
        return
    fill(slide.notes_slide.notes_text_frame, paras, replace(style, branded=False), None,
         bullets=tuple("bullet" if p.level else "none" for p in paras))
