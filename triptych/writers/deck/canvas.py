"""One slide while it is drawn: the python-pptx slide, and each laid-out shape drawn on it.

``triptych.slides.layout`` has placed everything; this module only turns its shapes into
python-pptx shapes, in the layout's order. Decorations (bands, rules, cards) go to the
back of the z-order and first in the reading order, where a screen reader passes over
them; the title comes right after them. Body placeholders of a master layout are filled
by the first text that asks for one (``Text.body``), in order; text beyond them gets
text boxes. ``SlideState`` counts the one and holds the other, so nothing is stored on
python-pptx's objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

from ... import bidi, fit
from ...slides.shapes import CodeText, Picture, Plot, Rect, Shape, SlideNumber, Table, Text
from . import ooxml
from .geometry import emu
from .text import Style, fill, fill_code, fill_text, textbox


@dataclass
class SlideState:
    """A slide being drawn: how many decorations it has, and its body placeholders not yet used."""

    slide: object
    decorations: int = 0
    free_bodies: list = field(default_factory=list)
    #: (shape id, paragraph groups) of each text shown one click at a time, in order.
    reveals: list = field(default_factory=list)

    def take_body(self):
        """The slide's next unused body placeholder (no longer free), or None."""
        return self.free_bodies.pop(0) if self.free_bodies else None


def draw(state: SlideState, style: Style, shape: Shape) -> None:
    """Draw one laid-out shape on the slide (a text that reveals its points on click is
    remembered in ``state.reveals``)."""
    if isinstance(shape, Rect):
        rect(state, style, shape)
    elif isinstance(shape, Text):
        drawn = text_into(state, style, shape)
        if shape.reveal:
            state.reveals.append((drawn.shape_id, groups(shape)))
    elif isinstance(shape, Table):
        table(state, style, shape)
    elif isinstance(shape, Picture):
        picture(state, shape)
    elif isinstance(shape, Plot):
        from . import chart  # python-pptx's chart API: only for a talk with a chart

        chart.draw(state.slide, style, shape)
    elif isinstance(shape, CodeText):
        code(state, style, shape)
    elif isinstance(shape, SlideNumber):
        slide_number(state, style, shape)
    else:  # pragma: no cover - a new shape kind must be drawn here
        raise TypeError(f"cannot draw {shape!r}")


def rect(state: SlideState, style: Style, shape: Rect):
    """A borderless rectangle of its theme colour, added as a decoration."""
    box = shape.box
    drawn = state.slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, emu(box.x), emu(box.y), emu(box.w), emu(box.h))
    drawn.name = shape.name
    drawn.fill.solid()
    drawn.fill.fore_color.rgb = style.color(shape.color)
    drawn.line.fill.background()
    drawn.shadow.inherit = False
    ooxml.move_in_reading_order(state.slide, drawn, state.decorations)
    state.decorations += 1
    return drawn


def text_into(state: SlideState, style: Style, text: Text):
    """``text`` at its box: body text in the slide's next free body placeholder (moved
    there), else in a new text box named ``text.name``. Returns the shape it is in."""
    body = state.take_body() if text.body else None
    if body is not None:
        box = text.box
        body.left, body.top, body.width, body.height = (emu(box.x), emu(box.y), emu(box.w), emu(box.h))
        fill_text(body.text_frame, text, style)
        return body
    return textbox(state.slide, text, style)


def groups(text: Text) -> list[list[int]]:
    """``text``'s paragraph numbers, one list per click: a point and its sub-points (the
    paragraphs of one ``fit.Para.group``, which follow each other) appear together."""
    out: list[list[int]] = []
    for number, para in enumerate(text.paras):
        if out and para.group == text.paras[number - 1].group:
            out[-1].append(number)
        else:
            out.append([number])
    return out


def table(state: SlideState, style: Style, shape: Table) -> None:
    """A native table, its cells filled by us (no table style): header in the primary
    colour, body rows banded, each cell's text at the layout's size."""
    box = shape.box
    drawn = state.slide.shapes.add_table(len(shape.heights), len(shape.widths), emu(box.x), emu(box.y),
                                         emu(box.w), emu(box.h))
    drawn.name = "Table"
    tbl = drawn.table
    tbl.first_row = True
    tbl.horz_banding = True
    ooxml.set_table_style(drawn, ooxml.NO_TABLE_STYLE)
    if shape.runs(style.direction) == bidi.RTL:
        ooxml.set_table_right_to_left(drawn)
    for c, width in enumerate(shape.widths):
        tbl.columns[c].width = emu(width)
    for r, (row, row_height) in enumerate(zip(shape.cells, shape.heights)):
        tbl.rows[r].height = emu(row_height)
        for c, cell_spans in enumerate(row):
            cell = tbl.cell(r, c)
            cell.margin_left = cell.margin_right = emu(fit.CELL_X)
            cell.margin_top = cell.margin_bottom = emu(fit.CELL_Y)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE if r == 0 else MSO_ANCHOR.TOP
            cell.fill.solid()
            cell.fill.fore_color.rgb = style.color(shape.fill(r))
            cell.text_frame.word_wrap = True
            fill(cell.text_frame, [shape.para(r, c)], replace(style, branded=True), shape.ink(r))


def picture(state: SlideState, shape: Picture) -> None:
    box = shape.box
    drawn = state.slide.shapes.add_picture(str(shape.path), emu(box.x), emu(box.y), emu(box.w), emu(box.h))
    ooxml.name_picture(drawn, "Picture", shape.alt)


def code(state: SlideState, style: Style, shape: CodeText) -> None:
    """A listing's rows in a text box named "Code" (still editable text, each token a run)."""
    box = shape.box
    drawn = state.slide.shapes.add_textbox(emu(box.x), emu(box.y), emu(box.w), emu(box.h))
    drawn.name = "Code"
    fill_code(drawn.text_frame, shape, style)


def slide_number(state: SlideState, style: Style, shape: SlideNumber) -> None:
    """PowerPoint's slide-number field (showing ``shape.number`` until it updates)."""
    box = textbox(state.slide, Text(shape.box, (), shape.color, "Slide number", "right", "middle"), style)
    paragraph = box.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT
    ooxml.add_slide_number(paragraph, style.lang, shape.size, style.hex(shape.color) if style.branded else None,
                           str(shape.number))

