"""Points and EMU, and the frames of a user's master.

The layout works in points (1/72 inch) like ``triptych.fit``; python-pptx takes EMU
(1/12700 point), converted only at the boundary with ``emu``. A frame is the title,
content, footer and slide-number boxes of a layout (``triptych.slides.shapes.Frame``):
the built-in look's come from ``shapes.builtin_frame``, a master's from the
placeholders of its layouts (``master_frame``).
"""

from __future__ import annotations

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu

from ...slides.shapes import Box, Frame, builtin_frame
from .backdrop import backdrop

TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)


def emu(points: float) -> Emu:
    return Emu(int(round(points * 12700)))


def pt(length: int) -> float:
    return length / 12700


def _placeholder_box(shape) -> Box:
    return Box(pt(shape.left), pt(shape.top), pt(shape.width), pt(shape.height))


def master_frame(slide_layout, layout: str, width: float, height: float) -> Frame:
    """The frame from the user's master layout: its placeholders' positions where it has
    them, the built-in frame's elsewhere; a layout without a body gets the room under its
    title. Never dark: the master's colours are the designer's; its background is the
    frame's ``backdrop`` (for the slides drawn as HTML)."""
    base = builtin_frame(layout, width, height)
    title = body = footer = number = None
    for shape in slide_layout.placeholders:
        kind = shape.placeholder_format.type
        if kind in TITLE_TYPES and title is None:
            title = _placeholder_box(shape)
        elif kind in (*BODY_TYPES, PP_PLACEHOLDER.SUBTITLE) and body is None:
            body = _placeholder_box(shape)
        elif kind == PP_PLACEHOLDER.FOOTER:
            footer = _placeholder_box(shape)
        elif kind == PP_PLACEHOLDER.SLIDE_NUMBER:
            number = _placeholder_box(shape)
    title = title or base.title
    if body is None:
        top = title.bottom + height * 0.04
        body = Box(title.x, top, title.w, max(height * 0.2, height - 48 - top))
    return Frame(title, body, footer or base.footer, number or base.number, False, backdrop(slide_layout))
