"""What every slide carries around its content: background and bands, title, footer,
slide number and notes, and the removal of placeholders left empty.

Backgrounds and bands are the built-in look's only: on a user's master the designer's
background stays and nothing is drawn. The footer (the talk's title and author) is one
line, set smaller rather than wrapped; the slide number is PowerPoint's field, so it
stays right when slides are moved.
"""

from __future__ import annotations

from dataclasses import replace

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

from ... import fit, markup
from ...render import say
from . import ooxml
from .canvas import SlideState, rect
from .geometry import BODY_TYPES, DARK, TITLE_TYPES, Box, Frame, emu
from .text import Style, block_paras, fill, prepare_frame, spans, textbox

_NOTES_SIZE = 12.0


def nested_bullets(para: fit.Para) -> str:
    """A bullet for list items (level 1 and up), none for plain paragraphs."""
    return "bullet" if para.level else "none"


def decorate(state: SlideState, style: Style, layout: str, frame: Frame, width: float, height: float) -> None:
    """The built-in look's background and bands for ``layout`` (nothing on a user's master)."""
    if not style.branded:
        return
    slide = state.slide
    slide.background.fill.solid()
    if layout in DARK:
        slide.background.fill.fore_color.rgb = style.color("primary")
        if layout == "title":
            rect(state, style, Box(0, 0, 14, height), "accent", "Accent band")
            rect(state, style, Box(frame.title.x, frame.title.bottom + 14, 72, 5), "accent", "Accent rule")
        else:
            rect(state, style, Box(frame.title.x, frame.title.bottom + 4, 56, 4), "accent", "Accent rule")
    elif layout == "section":
        slide.background.fill.fore_color.rgb = style.color("light")
        rect(state, style, Box(frame.title.x, frame.title.bottom + 12, 72, 5), "accent", "Accent rule")
    else:
        slide.background.fill.fore_color.rgb = style.color("background")
        rect(state, style, Box(0, 0, width, 6), "primary", "Top band")
        rect(state, style, Box(frame.title.x, frame.title.bottom + 4, 56, 4), "accent", "Accent rule")


def title(state: SlideState, style: Style, layout: str, frame: Frame, text: str, dark: bool, place: bool) -> None:
    """The title, set to fit its box (down to 14 pt), in the layout's title placeholder
    (a text box, with a warning, when the master layout has none), moved to the frame's
    title box when ``place`` (the built-in look; a master's placeholders stay where the
    designer put them). Records the slide's body placeholders as free for the parts."""
    slide = state.slide
    size = style.size("title") if layout in ("title", "section") else style.size("heading")
    para = fit.Para(spans(text), size, role="heading", bold=True)
    fitted = fit.fit_size([para], frame.title.w, frame.title.h * 0.96, style.book, min(14.0, size))
    para = replace(para, size=fitted)
    holder = next((s for s in slide.placeholders if s.placeholder_format.type in TITLE_TYPES), None)
    if holder is None:
        holder = slide.shapes.add_textbox(0, 0, 0, 0)
        style.ctx.warn(f"master layout {slide.slide_layout.name!r} has no title placeholder; "
                       "the slide title is a text box, which screen readers do not announce as a title")
    if place:
        holder.left, holder.top = emu(frame.title.x), emu(frame.title.y)
        holder.width, holder.height = emu(frame.title.w), emu(frame.title.h)
    anchor = MSO_ANCHOR.BOTTOM  # titles sit on their accent rule, however many lines they take
    prepare_frame(holder.text_frame, anchor)
    fill(holder.text_frame, [para], style, "on_primary" if dark else "primary", align=PP_ALIGN.LEFT)
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


def footer(slide, style: Style, frame: Frame, dark: bool, words: str, number: int) -> None:
    """``words`` (the talk's title and author) in the footer box, and the slide number
    (``number`` until PowerPoint updates the field) in its box."""
    size = style.size("small")
    color = "on_primary" if dark else "muted"
    para = fit.Para((markup.Span(words),), size)
    # The footer is one line: shrink it rather than let it wrap below the slide.
    fitted = fit.fit_size([para], frame.footer.w, size * fit.LINE * 1.05, style.book, 6.0)
    textbox(slide, frame.footer, [replace(para, size=fitted)], style, color, "Footer", anchor=MSO_ANCHOR.MIDDLE)
    shape = textbox(slide, frame.number, [], style, color, "Slide number", align=PP_ALIGN.RIGHT,
                    anchor=MSO_ANCHOR.MIDDLE)
    paragraph = shape.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT
    ooxml.add_slide_number(paragraph, style.lang, size, style.hex(color) if style.branded else None, str(number))


def notes(slide, style: Style, text: str, number: int, count: int) -> None:
    """The section's notes ``text`` on the first of ``count`` slides (``number`` counts from
    0); when the content continues, each slide's notes say which part it is."""
    if not text and count == 1:
        return
    paras = block_paras(text, _NOTES_SIZE, 6.0) if number == 0 else []
    if count > 1:
        line = say(style.ctx.templates, "continued_note", number + 1, count)
        paras.append(fit.Para((markup.Span(line, italic=True),), _NOTES_SIZE, space_before=6.0))
    fill(slide.notes_slide.notes_text_frame, paras, replace(style, branded=False), None, bullets=nested_bullets)
