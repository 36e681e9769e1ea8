"""Slides from the layout: each laid-out slide (``triptych.slides.layout``) drawn with python-pptx.

For each slide: its master layout (found by name, ``slides.plan.LAYOUTS``), then, in this
order, its background (built-in look only), its decorations, its title (in the title
placeholder, first in reading order after the decorations), its content, footer and slide
number as laid out, and its notes; placeholders left empty are removed so no "Click to
add text" shows (``chrome``). With a user's master, each layout's frame is read from the
master's placeholders (``geometry.master_frame``) before the slides are laid out.
"""

from __future__ import annotations

from ...errors import ContentError, Problem
from ...slides.plan import LAYOUTS
from ...slides.shapes import Frame, Rect, Slide, builtin_frame, is_footer
from . import chrome, ooxml
from .canvas import SlideState, draw
from .geometry import master_frame, pt
from .text import Style


class SlideBuilder:
    """Draws laid-out slides into a presentation (the built-in look's, or a user's master)."""

    def __init__(self, prs, style: Style, master: bool):
        self.prs = prs
        self.style = style
        self.master = master
        self.width = pt(prs.slide_width)
        self.height = pt(prs.slide_height)
        self._layouts = {layout.name.lower(): layout for layout in prs.slide_layouts}

    # -- layouts
    def layout_for(self, name: str):
        """The master layout for triptych layout ``name``; a ``ContentError`` naming the
        layouts the master has when none of the wanted names is among them."""
        found = self._find(name)
        if found is None:
            raise ContentError([self._lacking(name)])
        return found

    def check_layouts(self, names) -> None:
        """One ``ContentError`` naming every layout of ``names`` the master lacks (checked
        before any slide is laid out, so every missing layout is reported at once)."""
        lacking = [self._lacking(name) for name in dict.fromkeys(names) if self._find(name) is None]
        if lacking:
            raise ContentError(lacking)

    def _find(self, name: str):
        for wanted in LAYOUTS[name]:
            found = self._layouts.get(wanted.lower())
            if found is not None:
                return found
        return None

    def _lacking(self, name: str) -> Problem:
        source = str(self.style.ctx.theme.master or "the built-in master")
        has = [layout.name for layout in self.prs.slide_layouts]
        return Problem(source, 0, "master", f"layout '{name}' needs a layout named "
                       f"{' or '.join(repr(n) for n in LAYOUTS[name])}; this master has: {', '.join(repr(n) for n in has)}")

    def frame(self, name: str) -> Frame:
        """The frame of triptych layout ``name`` (raises when the master lacks the layout)."""
        slide_layout = self.layout_for(name)
        if self.master:
            return master_frame(slide_layout, name, self.width, self.height)
        return builtin_frame(name, self.width, self.height)

    # -- one slide
    def build(self, slide: Slide) -> None:
        state = SlideState(self.prs.slides.add_slide(self.layout_for(slide.layout)))
        chrome.background(state, self.style, slide.background)
        shapes = list(slide.shapes)
        # The decorations that open the slide come first, then the title over them, the
        # content, and (once unused placeholders are gone) the footer and slide number.
        lead = next((i for i, shape in enumerate(shapes) if not isinstance(shape, Rect)), len(shapes))
        tail = next((i for i, shape in enumerate(shapes) if is_footer(shape)), len(shapes))
        for shape in shapes[:lead]:
            draw(state, self.style, shape)
        chrome.title(state, self.style, slide.title, place=not self.master)
        for shape in shapes[lead:tail]:
            draw(state, self.style, shape)
        chrome.drop_unused(state.slide)
        for shape in shapes[tail:]:
            draw(state, self.style, shape)
        if state.reveals:
            ooxml.reveal_on_click(state.slide, state.reveals)
        chrome.notes(state.slide, self.style, slide.notes)
