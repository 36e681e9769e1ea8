"""Text on slides: content as measured paragraphs, and those paragraphs as python-pptx runs.

Nothing is left to autofit. Each ``fit.Para`` carries its size, indent and spacing (as
``triptych.fit`` measured it with the theme's fonts); ``fill`` writes exactly that: an
explicit line spacing, a hanging indent for bullets, and runs with their face, bold,
italic, colour, link and the talk's language. Colours are written only in the built-in
look (``Style.branded``), except a link's, so a user's master keeps its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.util import Pt

from ... import fit, markup
from ...model import Point
from .. import Context
from . import ooxml
from .geometry import Box, emu

#: How a paragraph is bulleted: "none", "bullet" or "number" (see ``ooxml.set_bullet``).
Bullets = Callable[[fit.Para], str]


def no_bullets(para: fit.Para) -> str:
    return "none"


@dataclass
class Style:
    """Everything writing runs needs: the theme, its fonts, the talk's language."""

    ctx: Context
    book: fit.FontBook
    lang: str
    branded: bool  # True for the built-in look: colours and decorations are ours to set

    def color(self, name: str) -> RGBColor:
        return RGBColor.from_string(self.ctx.theme.colors[name])

    def hex(self, name: str) -> str:
        """The theme colour ``name`` as RRGGBB."""
        return self.ctx.theme.colors[name]

    def size(self, name: str) -> float:
        return self.ctx.theme.sizes[name]


def _set_bullet(paragraph, para: fit.Para, style: Style, bullet: str, color: str) -> None:
    if bullet == "none" or para.continued:
        ooxml.set_bullet(paragraph, "none", int(emu(para.indent)))
        return
    # A hanging indent: the bullet sits at the left of the gap, the text (and its wrapped
    # lines) at ``para.indent``, which is where ``fit`` measured the text from.
    hanging = para.indent if para.level <= 1 else min(para.indent, para.size * 1.3)
    ooxml.set_bullet(paragraph, bullet, int(emu(para.indent)), int(emu(hanging)), style.hex(color),
                     "\u2022" if para.level <= 1 else "\u2013")


def _write_para(paragraph, para: fit.Para, style: Style, color: str | None,
                align=None, bullet: str = "none", bullet_color: str = "accent") -> None:
    """Fill a python-pptx paragraph with ``para``'s runs at its measured size and spacing."""
    paragraph.line_spacing = Pt(para.size * fit.LINE)
    paragraph.space_before = Pt(para.space_before)
    paragraph.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    _set_bullet(paragraph, para, style, bullet, bullet_color)
    if para.level >= 2:
        # The outline level, for PowerPoint's outline view and screen readers; the look
        # is fixed by the explicit indent and bullet above, whatever the master's levels.
        paragraph.level = para.level - 1
    for span in para.spans:
        pieces = span.text.split("\n")
        for number, piece in enumerate(pieces):
            if number:
                paragraph.add_line_break()
            if not piece:
                continue
            run = paragraph.add_run()
            run.text = piece
            font = run.font
            face = style.book.span_face(span, para.role, para.bold, para.italic)
            font.name = face.written
            font.size = Pt(para.size)
            font.bold = para.bold or span.bold or None
            font.italic = para.italic or span.italic or None
            if color and (style.branded or span.href):
                font.color.rgb = style.color("accent" if span.href and color == "text" else color)
            if span.href:
                run.hyperlink.address = span.href
            ooxml.set_language(run, style.lang)


def prepare_frame(text_frame, anchor=MSO_ANCHOR.TOP, inset: float = 0.0) -> None:
    """Wrap words, never autofit, anchor at ``anchor``, inner margins ``inset`` points."""
    text_frame.word_wrap = True
    text_frame.auto_size = MSO_AUTO_SIZE.NONE
    text_frame.vertical_anchor = anchor
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(text_frame, side, emu(inset))


def fill(text_frame, paras: list[fit.Para], style: Style, color: str | None, align=None,
         bullets: Bullets = no_bullets) -> None:
    """Replace the text of ``text_frame`` with ``paras`` (an empty list leaves one empty
    paragraph). The first paragraph's space before is dropped: the frame's top is the gap."""
    text_frame.clear()
    for number, para in enumerate(paras):
        paragraph = text_frame.paragraphs[0] if number == 0 else text_frame.add_paragraph()
        _write_para(paragraph, replace(para, space_before=0.0) if number == 0 else para,
                    style, color, align, bullets(para))


def textbox(slide, box: Box, paras: list[fit.Para], style: Style, color: str | None, name: str,
            align=None, anchor=MSO_ANCHOR.TOP, bullets: Bullets = no_bullets):
    """A new text box named ``name`` at ``box`` holding ``paras``."""
    shape = slide.shapes.add_textbox(emu(box.x), emu(box.y), emu(box.w), emu(box.h))
    shape.name = name
    prepare_frame(shape.text_frame, anchor)
    fill(shape.text_frame, paras, style, color, align, bullets)
    return shape


# ---------------------------------------------------------------- content as paragraphs

def spans(text: str) -> tuple[markup.Span, ...]:
    """Inline Markdown ``text`` as styled spans."""
    return tuple(markup.to_spans(text))


def point_paras(points: tuple[Point, ...], size: float) -> list[fit.Para]:
    """Points and their sub-points as bulleted paragraphs; a point and its sub-points
    share a ``group`` (pagination keeps them together where it can)."""
    paras = []
    for group, point in enumerate(points):
        paras.append(fit.Para(spans(point.text), size, level=1, indent=size * 1.1,
                              space_before=size * 0.55, group=group))
        for sub in point.points:
            paras.append(fit.Para(spans(sub.text), size * 0.86, level=2, indent=size * 1.1 + size * 1.2,
                                  space_before=size * 0.25, group=group))
    return paras


def block_paras(text: str, size: float, space: float, **kw) -> list[fit.Para]:
    """Block Markdown as paragraphs; list items get a bullet-width indent and level."""
    out = []
    for block in markup.blocks(text):
        level = min(block.level, 2)
        # Source line breaks inside a paragraph are soft: they read as spaces.
        block_spans = tuple(replace(s, text=s.text.replace("\n", " ")) for s in block.spans)
        out.append(fit.Para(block_spans, size, level=level, indent=size * 1.1 * level,
                            space_before=space, **kw))
    return out
