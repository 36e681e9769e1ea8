"""Text on slides: the laid-out paragraphs as python-pptx runs.

Nothing is left to autofit. Each ``fit.Para`` carries its size, indent and spacing (as
``triptych.slides.layout`` measured it with the theme's fonts); ``fill`` writes exactly that: an
explicit line spacing, a hanging indent for bullets, and runs with their face, bold,
italic, colour, link and the talk's language, in the case they were typed (a layout's
capitals are switched off: the text was measured as typed). Colours are written only in the built-in
look (``Style.branded``), except a link's, so a user's master keeps its own. A link is
drawn in its run's colour, not the theme's hyperlink colour (``ooxml.link_in_run_colour``),
so it keeps its contrast on every background. A paragraph that runs right to left
(``fit.Para.runs``: its first strong character, else the talk's language) is marked so,
set from the right and bulleted on the right; PowerPoint and LibreOffice order its
mixed runs ("(Transformer)" inside Arabic) themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Pt

from ... import bidi, fit, masterscheme
from ...slides import shapes
from .. import Context
from . import ooxml
from .geometry import emu

#: ``slides.shapes.Text``'s alignments and anchors as python-pptx's.
ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT, None: None}
ANCHOR = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}


@dataclass
class Style:
    """Everything writing runs needs: the theme, its fonts, the talk's language."""

    ctx: Context
    book: fit.FontBook
    lang: str
    branded: bool  # True for the built-in look: colours and decorations are ours to set

    def color(self, name: str) -> RGBColor:
        return RGBColor.from_string(self.hex(name))

    def hex(self, name: str) -> str:
        """The theme colour ``name`` as RRGGBB ("link" is a link's colour: the accent). On a
        user's master each name takes the master's colour for that role (dark 1 for text,
        accent 1 for table headers and bullets, hyperlink for links: ``masterscheme.ROLES``)."""
        theme = self.ctx.theme
        if theme.master is not None and theme.master_colors:
            return masterscheme.roles(theme.master_colors)[name]
        return theme.colors["accent" if name == "link" else name]

    def size(self, name: str) -> float:
        return self.ctx.theme.sizes[name]

    @property
    def direction(self) -> str:
        """The talk's direction, "rtl" or "ltr" (``bidi.lang_direction``)."""
        return bidi.lang_direction(self.lang)


def _set_bullet(paragraph, para: fit.Para, style: Style, bullet: str, color: str) -> None:
    if bullet == "none" or para.continued:
        ooxml.set_bullet(paragraph, "none", int(emu(para.indent)))
        return
    # A hanging indent: the bullet sits at the left of the gap, the text (and its wrapped
    # lines) at ``para.indent``, which is where ``fit`` measured the text from.
    ooxml.set_bullet(paragraph, bullet, int(emu(para.indent)), int(emu(shapes.hanging(para))), style.hex(color),
                     shapes.bullet_char(para), start=shapes.ordinal(para))


def _write_para(paragraph, para: fit.Para, style: Style, color: str | None,
                align=None, bullet: str = "none", bullet_color: str = "accent") -> None:
    """Fill a python-pptx paragraph with ``para``'s runs at its measured size and spacing."""
    ooxml.set_spacing(paragraph, Pt(para.size * fit.LINE), Pt(para.space_before), Pt(0))
    if para.runs(style.direction) == bidi.RTL:
        # Set from the start of the line, which is the right; a centred or right-set box
        # (the slide number) keeps its alignment.
        ooxml.set_right_to_left(paragraph)
        align = PP_ALIGN.RIGHT if align in (None, PP_ALIGN.LEFT) else align
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
            face = style.book.span_face(span, para.role, para.bold, para.italic).written
            ink = style.hex("link" if span.href and color == "text" else color) \
                if color and (style.branded or span.href) else None
            look = (face, para.size, para.bold or span.bold or None, para.italic or span.italic or None, ink,
                    style.lang)
            if not span.href:
                ooxml.add_run(paragraph, piece, look, lambda run: _set_look(run, *look))
                continue
            run = paragraph.add_run()
            run.text = piece
            _set_look(run, *look)
            run.hyperlink.address = span.href
            if color:
                ooxml.link_in_run_colour(run)


def _set_look(run, face: str, size: float, bold: bool | None, italic: bool | None, ink: str | None,
              lang: str) -> None:
    """A run's face, size, weight, slant, colour (RRGGBB; None keeps the master's) and
    language, shown in the case it was typed."""
    font = run.font
    font.name = face
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    if ink is not None:
        font.color.rgb = RGBColor.from_string(ink)
    ooxml.set_language(run, lang)
    ooxml.set_as_typed(run)


def fill_code(text_frame, code: shapes.CodeText, style: Style) -> None:
    """``text_frame`` holding a listing's rows, one paragraph each, every run in the code
    font at the row's size and in its own colour (``code.colors``), left-aligned, not
    spell-checked. The rows were measured not to wrap, so the frame only sets them."""
    prepare_frame(text_frame, MSO_ANCHOR.TOP)
    text_frame.clear()
    for number, (para, colors) in enumerate(zip(code.paras, code.colors)):
        paragraph = text_frame.paragraphs[0] if number == 0 else text_frame.add_paragraph()
        ooxml.set_spacing(paragraph, Pt(para.size * fit.LINE), Pt(0), Pt(0))
        paragraph.alignment = PP_ALIGN.LEFT
        ooxml.set_bullet(paragraph, "none", 0)
        for span, color in zip(para.spans, colors):
            run = paragraph.add_run()
            run.text = span.text
            font = run.font
            font.name = style.book.span_face(span, para.role).written
            font.size = Pt(para.size)
            font.color.rgb = RGBColor.from_string(color)
            ooxml.set_language(run, style.lang)
            ooxml.set_as_typed(run)
            ooxml.set_no_proofing(run)
        if not para.spans:  # an empty row keeps its height (the size of its end mark)
            paragraph.font.size = Pt(para.size)


def prepare_frame(text_frame, anchor=MSO_ANCHOR.TOP, inset: float = 0.0) -> None:
    """Wrap words, never autofit, anchor at ``anchor``, inner margins ``inset`` points."""
    text_frame.word_wrap = True
    text_frame.auto_size = MSO_AUTO_SIZE.NONE
    text_frame.vertical_anchor = anchor
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(text_frame, side, emu(inset))


def fill(text_frame, paras: Sequence[fit.Para], style: Style, color: str | None, align=None,
         bullets: Sequence[str] = ()) -> None:
    """Replace the text of ``text_frame`` with ``paras`` (an empty list leaves one empty
    paragraph), bulleted as ``bullets`` says per paragraph ("none" where it is short).
    The first paragraph's space before is dropped: the frame's top is the gap."""
    text_frame.clear()
    for number, para in enumerate(paras):
        paragraph = text_frame.paragraphs[0] if number == 0 else text_frame.add_paragraph()
        _write_para(paragraph, replace(para, space_before=0.0) if number == 0 else para,
                    style, color, align, bullets[number] if number < len(bullets) else "none")


def fill_text(text_frame, text: shapes.Text, style: Style) -> None:
    """``text_frame`` set up and filled as the laid-out ``text`` says (no inner margins)."""
    prepare_frame(text_frame, ANCHOR[text.anchor])
    fill(text_frame, text.paras, replace(style, branded=True) if text.branded else style, text.color,
         ALIGN[text.align], text.bullets)


def textbox(slide, text: shapes.Text, style: Style):
    """A new text box at ``text.box``, named ``text.name``, holding ``text``."""
    box = text.box
    shape = slide.shapes.add_textbox(emu(box.x), emu(box.y), emu(box.w), emu(box.h))
    shape.name = text.name
    fill_text(shape.text_frame, text, style)
    return shape
