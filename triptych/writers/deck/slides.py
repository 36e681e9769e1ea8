"""Slides from the plan: one planned slide becomes one slide, or several when it continues.

For each planned slide: find its master layout (by name, ``plan.LAYOUTS``) and frame,
lay out its parts into pages (``parts``), then add as many slides as the longest part
needs. Each slide gets, in this order, its decorations (built-in look only), its title
(set smaller to fit, in the title placeholder, first in reading order after the
decorations; "(2/3)" when it continues), its pages, the footer and slide number (not on
the title slide) and its notes; placeholders left empty are removed so no "Click to add
text" shows (``chrome``).
"""

from __future__ import annotations

from dataclasses import replace

from pptx.enum.text import PP_ALIGN

from ... import fit
from ...errors import ContentError
from ...model import Talk
from ...render import say
from . import chrome
from .canvas import SlideState
from .geometry import Frame, builtin_frame, master_frame, pt
from .parts import PAGERS, Page, all_bullets, text_pages
from .plan import LAYOUTS, PlannedSlide
from .text import Style, block_paras, point_paras, spans


def _numbered(para: fit.Para) -> str:
    return "number"


class SlideBuilder:
    """Draws the slides of one planned slide (more than one when its content continues)."""

    def __init__(self, prs, style: Style, talk: Talk, master: bool):
        self.prs = prs
        self.style = style
        self.talk = talk
        self.master = master
        self.width = pt(prs.slide_width)
        self.height = pt(prs.slide_height)
        self._layouts = {layout.name.lower(): layout for layout in prs.slide_layouts}
        self.footer = say(style.ctx.templates, "deck_footer", talk.author.name, title=talk.title,
                          author=talk.author.name)

    # -- layouts
    def layout_for(self, name: str):
        """The master layout for triptych layout ``name``; a ``ContentError`` naming the
        layouts the master has when none of the wanted names is among them."""
        for wanted in LAYOUTS[name]:
            found = self._layouts.get(wanted.lower())
            if found is not None:
                return found
        source = str(self.style.ctx.theme.master or "the built-in master")
        has = [layout.name for layout in self.prs.slide_layouts]
        raise ContentError.one(source, 0, "master",
                               f"layout '{name}' needs a layout named {' or '.join(repr(n) for n in LAYOUTS[name])}; "
                               f"this master has: {', '.join(repr(n) for n in has)}")

    def frame(self, name: str, slide_layout) -> Frame:
        if self.master:
            return master_frame(slide_layout, name, self.width, self.height)
        return builtin_frame(name, self.width, self.height)

    # -- one planned slide
    def build(self, planned: PlannedSlide, notes: str) -> None:
        style = self.style
        slide_layout = self.layout_for(planned.layout)
        frame = self.frame(planned.layout, slide_layout)
        dark = frame.dark and style.branded
        text_color = "on_primary" if dark else "text"
        parts = self.pages_of(planned, frame, dark, text_color)
        count = max((len(p) for p in parts), default=1) or 1
        for number in range(count):
            state = SlideState(self.prs.slides.add_slide(slide_layout))
            chrome.decorate(state, style, planned.layout, frame, self.width, self.height)
            title = planned.title if count == 1 else say(style.ctx.templates, "continued_title", number + 1, count,
                                                         title=planned.title)
            chrome.title(state, style, planned.layout, frame, title, dark, place=not self.master)
            areas = frame.content.columns(len(parts)) if len(parts) > 1 else [frame.content]
            for pages, area in zip(parts, areas):
                if number < len(pages):
                    pages[number].draw(state, style, area)
            chrome.drop_unused(state.slide)
            if planned.layout != "title":
                chrome.footer(state.slide, style, frame, dark, self.footer, len(self.prs.slides))
            chrome.notes(state.slide, style, notes, number, count)

    def pages_of(self, planned: PlannedSlide, frame: Frame, dark: bool, text_color: str) -> list[list[Page]]:
        """Each part of ``planned`` as its pages: the slide's own text first (title, agenda
        and closing slides), then the section's parts side by side."""
        style = self.style
        section = planned.section
        parts: list[list[Page]] = []
        count = len(planned.parts)
        areas = frame.content.columns(count) if count > 1 else [frame.content]
        if planned.layout in ("title", "closing") or planned.items or planned.text or planned.lines:
            paras = self.slide_text(planned)
            if paras and planned.layout == "agenda":
                # A long agenda is better a little smaller than split over two slides.
                size = fit.fit_size(paras, frame.content.w, frame.content.h * 0.98, style.book,
                                    round(style.size("body") * 0.75))
                scale = size / paras[0].size
                paras = [replace(p, size=size, indent=p.indent * scale, space_before=p.space_before * scale)
                         for p in paras]
            if paras:
                bullets = _numbered if planned.layout == "agenda" else chrome.nested_bullets
                parts.append(text_pages(paras, frame.content, style, text_color, bullets, align=PP_ALIGN.LEFT))
        for part, area in zip(planned.parts, areas):
            if part == "points":
                paras = point_paras(section.points, style.size("body"))
                parts.append(text_pages(paras, area, style, text_color, all_bullets))
            else:
                parts.append(PAGERS[part](section, area, dark, style, self.talk))
        return parts

    def slide_text(self, planned: PlannedSlide) -> list[fit.Para]:
        """The text of title, agenda and closing slides: ``text``, ``items``, ``lines``."""
        body = self.style.size("body")
        paras: list[fit.Para] = []
        if planned.text:
            paras += block_paras(planned.text, body, body * 0.5)
        for group, item in enumerate(planned.items):
            paras.append(fit.Para(spans(item), body, level=1, indent=body * 1.6, space_before=body * 0.45,
                                  group=group + 1))
        for number, line in enumerate(planned.lines):
            big = planned.layout == "title" and number == 0
            size = body * 1.25 if big else body * 0.9
            gap = body * 1.2 if number == 0 and paras else body * 0.2
            paras.append(fit.Para(spans(line), size, space_before=gap, bold=number == 0 and planned.layout == "closing",
                                  group=10_000 + number))
        return paras
