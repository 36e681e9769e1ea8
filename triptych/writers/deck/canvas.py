"""One slide while it is drawn: the python-pptx slide and what the writer knows about it.

Decorations (bands, rules, cards) go to the back of the z-order and first in the reading
order, where a screen reader passes over them; the title comes right after them. Body
placeholders of a master layout are filled by the first parts drawn, in order; parts
beyond them get text boxes. ``SlideState`` counts the one and holds the other, so nothing
is stored on python-pptx's objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pptx.enum.shapes import MSO_SHAPE

from ... import fit
from . import ooxml
from .geometry import Box, emu
from .text import Bullets, Style, fill, prepare_frame, textbox


@dataclass
class SlideState:
    """A slide being drawn: how many decorations it has, and its body placeholders not yet used."""

    slide: object
    decorations: int = 0
    free_bodies: list = field(default_factory=list)

    def take_body(self):
        """The slide's next unused body placeholder (no longer free), or None."""
        return self.free_bodies.pop(0) if self.free_bodies else None


def rect(state: SlideState, style: Style, box: Box, color: str, name: str):
    """A borderless rectangle of theme colour ``color``, added as a decoration."""
    shape = state.slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, emu(box.x), emu(box.y), emu(box.w), emu(box.h))
    shape.name = name
    shape.fill.solid()
    shape.fill.fore_color.rgb = style.color(color)
    shape.line.fill.background()
    shape.shadow.inherit = False
    ooxml.move_in_reading_order(state.slide, shape, state.decorations)
    state.decorations += 1
    return shape


def text_into(state: SlideState, style: Style, area: Box, paras: list[fit.Para], color: str | None,
              bullets: Bullets, name: str = "Content", align=None) -> None:
    """``paras`` at ``area``: in the slide's next free body placeholder (moved there), else
    in a new text box named ``name``."""
    body = state.take_body()
    if body is not None:
        body.left, body.top, body.width, body.height = (emu(area.x), emu(area.y), emu(area.w), emu(area.h))
        prepare_frame(body.text_frame)
        fill(body.text_frame, paras, style, color, align=align, bullets=bullets)
    else:
        textbox(state.slide, area, paras, style, color, name, align=align, bullets=bullets)
