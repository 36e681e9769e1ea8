"""The slide plan: which slides a talk gets, in which layout, showing which parts.

The plan is a template (``templates/deck.yaml.j2``) that renders YAML, so a user can
reorder, drop or add slides without Python. It is read back with the strict YAML reader
and checked here: every slide names a known layout, every ``section`` index exists and
every ``parts`` entry is a part that section has. A section's ``layout:`` that no layout
has is a ``ContentError`` at that line of the content, listing the layouts; a mistake in
the rendered plan is reported at the template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ... import dates
from ...errors import ContentError
from ...model import Section, Talk
from ...render import render as render_template
from ...yamldata import parse
from .. import Context

#: Triptych layout -> the master layout names looked for, in order (case-insensitive).
#: A master may name a layout after triptych's own name ("bullets") or use PowerPoint's.
LAYOUTS: dict[str, tuple[str, ...]] = {
    "title": ("title", "Title Slide"),
    "agenda": ("agenda", "Title and Content", "bullets"),
    "section": ("section", "Section Header", "Title Only"),
    "bullets": ("bullets", "Title and Content"),
    "table": ("table", "Title Only"),
    "compare": ("compare", "Title Only"),
    "quote": ("quote", "Title Only"),
    "image": ("image", "Title Only"),
    "closing": ("closing", "Title Only"),
}
#: The parts of a section a slide can show, each a field of ``Section``.
PARTS = ("points", "table", "compare", "quote", "image")


@dataclass(frozen=True)
class PlannedSlide:
    """One entry of the slide plan (see templates/deck.yaml.j2 for the fields)."""

    layout: str
    title: str = ""
    section: Section | None = None
    parts: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    text: str = ""
    lines: tuple[str, ...] = ()


def literal(text: str) -> str:
    """``text`` escaped so that inline Markdown shows it as written (names, titles, tags)."""
    return re.sub(r"([\\`*_{}\[\]()>#+\-.!<])", r"\\\1", text or "")


def read_plan(talk: Talk, ctx: Context, family: str, template: str) -> list[PlannedSlide]:
    """The checked plan for ``talk``'s sections of ``family``, rendered from ``template``."""
    sections = talk.sections_in(family)
    for section in sections:
        if section.layout and section.layout not in LAYOUTS:
            field_path = f"{section.field}.layout"
            raise ContentError.one(talk.path, talk.line(field_path), field_path,
                                   f"unknown layout '{section.layout}'; the layouts are: {', '.join(LAYOUTS)}")
    text = render_template(ctx.templates, template, talk=talk, sections=sections, literal=literal,
                           date_text=dates.display(talk.date, talk.lang))
    where = str(ctx.templates / template)
    root, problems = parse(text)
    if problems or root is None or root.kind != "map":
        detail = problems[0].message if problems else "the plan must be a mapping with 'slides:'"
        raise ContentError.one(where, problems[0].line if problems else 0, "slides", f"rendered plan: {detail}")
    top = {k.value: v for k, v in root.items}
    slides_node = top.get("slides")
    if slides_node is None or slides_node.kind != "seq":
        raise ContentError.one(where, root.line, "slides", "rendered plan: 'slides:' must be a list")
    by_index = {s.index: s for s in talk.sections}
    return [_planned(node, f"slides[{number}]", where, by_index) for number, node in enumerate(slides_node.items)]


def _planned(node, here: str, where: str, by_index: dict[int, Section]) -> PlannedSlide:
    if node.kind != "map":
        raise ContentError.one(where, node.line, here, "rendered plan: each slide must be a mapping")
    values = {k.value: v for k, v in node.items}

    def text_of(key: str) -> str:
        value = values.get(key)
        return value.value if value is not None and value.kind == "scalar" else ""

    def list_of(key: str) -> tuple[str, ...]:
        value = values.get(key)
        return tuple(v.value for v in value.items if v.kind == "scalar") if value is not None and value.kind == "seq" else ()

    layout = text_of("layout")
    if layout not in LAYOUTS:
        raise ContentError.one(where, node.line, f"{here}.layout",
                               f"rendered plan: unknown layout '{layout}'; the layouts are: {', '.join(LAYOUTS)}")
    section = None
    if "section" in values:
        try:
            section = by_index[int(text_of("section"))]
        except (ValueError, KeyError):
            raise ContentError.one(where, node.line, f"{here}.section",
                                   f"rendered plan: no section {text_of('section')!r}") from None
    parts = list_of("parts")
    for part in parts:
        if part not in PARTS or section is None or not getattr(section, part):
            raise ContentError.one(where, node.line, f"{here}.parts",
                                   f"rendered plan: '{part}' is not a part of this slide's section")
    return PlannedSlide(layout, text_of("title") or (section.title if section else ""), section,
                        parts, list_of("items"), text_of("text"), list_of("lines"))
