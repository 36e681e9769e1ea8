"""Where things go on a slide: boxes in points, and each layout's frame.

The writer works in points (1/72 inch) like ``triptych.fit``; python-pptx takes EMU
(1/12700 point), converted only at the boundary with ``emu``. A frame is the title,
content, footer and slide-number boxes of a layout: computed from the slide size for the
built-in look, read from the placeholders of the user's master layout otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu

#: Points between side-by-side parts (and the two columns of a comparison).
GUTTER = 24.0
#: Layouts drawn on the primary colour (text in on_primary) in the built-in look.
DARK = ("title", "closing")
TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)


def emu(points: float) -> Emu:
    return Emu(int(round(points * 12700)))


def pt(length: int) -> float:
    return length / 12700


@dataclass(frozen=True)
class Box:
    """A rectangle in points, from the slide's top left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def columns(self, count: int, gutter: float = GUTTER) -> list["Box"]:
        """``count`` boxes side by side filling this one, ``gutter`` points apart."""
        width = (self.w - gutter * (count - 1)) / count
        return [Box(self.x + i * (width + gutter), self.y, width, self.h) for i in range(count)]


@dataclass(frozen=True)
class Frame:
    """Where a slide's pieces go: title, content, footer (points), and whether it is dark."""

    title: Box
    content: Box
    footer: Box
    number: Box
    dark: bool


def builtin_frame(layout: str, width: float, height: float) -> Frame:
    """The built-in look's frame for ``layout`` on a ``width`` x ``height`` point slide."""
    margin = round(width * 0.055)
    footer = Box(margin, height - 36, width * 0.7, 20)
    number = Box(width - margin - 80, height - 36, 80, 20)
    if layout == "title":
        return Frame(Box(margin * 1.5, height * 0.2, width - margin * 3, height * 0.34),
                     Box(margin * 1.5, height * 0.62, width - margin * 3, height * 0.3), footer, number, True)
    if layout == "section":
        return Frame(Box(margin * 1.5, height * 0.22, width - margin * 3, height * 0.3),
                     Box(margin * 1.5, height * 0.6, width - margin * 3, height * 0.27), footer, number, False)
    title = Box(margin, height * 0.055, width - 2 * margin, height * 0.16)
    content_top = title.bottom + height * 0.07
    return Frame(title, Box(margin, content_top, width - 2 * margin, height - 48 - content_top),
                 footer, number, layout in DARK)


def _placeholder_box(shape) -> Box:
    return Box(pt(shape.left), pt(shape.top), pt(shape.width), pt(shape.height))


def master_frame(slide_layout, layout: str, width: float, height: float) -> Frame:
    """The frame from the user's master layout: its placeholders' positions where it has
    them, the built-in frame's elsewhere; a layout without a body gets the room under its
    title. Never dark: the master's colours are the designer's."""
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
    return Frame(title, body, footer or base.footer, number or base.number, False)
