"""The slide plan: which slides a talk gets, in which layout, showing which parts.

One plan makes the deck, the slides PDF, the handout's slide cards and the preview's
slides (``layout`` measures and places it; the deck and ``html`` draw it).

The plan is a template (``templates/deck.yaml.j2``) that renders YAML, so a user can
reorder, drop or add slides without Python. It is read back with the strict YAML reader
and checked here, through ``triptych.schema`` like the content: every slide names a known
layout, every ``section`` index exists and every ``parts`` entry is a part that section
has; an unknown key gets a did-you-mean. Every mistake in the rendered plan is reported at
once, at the template. (A section's own ``layout:`` is checked by the loader, with the
content's other problems.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import markup
from ..context import Context
from ..errors import ContentError
from ..model import Section, Talk
from ..render import render as render_template
from ..schema import Choice, ListOf, Reader, Record, Scalar
from ..yamldata import Node, parse

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
    "chart": ("chart", "Title Only"),
    "code": ("code", "Title Only"),
    "closing": ("closing", "Title Only"),
}
#: The parts of a section a slide can show, each a field of ``Section``.
PARTS = ("points", "table", "compare", "quote", "image", "chart", "code")


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


class _PlanReader(Reader):
    """Reads one rendered plan; knows the talk's sections by index."""

    def __init__(self, path: str, sections: dict[int, Section]):
        super().__init__(path)
        self.sections = sections


def section_of(r: _PlanReader, node: Node, where: str, value: str) -> Section | None:
    """A plan's ``section: N``: the talk's section with index N (a ``Scalar`` check)."""
    try:
        return r.sections[int(value)]
    except (ValueError, KeyError):
        r.error(node, where, f"no section {value!r}")
        return None


def read_rendered(talk: Talk, ctx: Context, template: str, key: str, item: Record, sections: list[Section],
                  **names) -> list:
    """The items under ``key`` of the plan ``template`` renders for ``talk`` (given its
    ``sections``, ``literal`` and ``names``), each read through ``item``. Every mistake in
    the rendered plan is reported at once, at the template's path and the rendered plan's
    line (a customised template is where such a mistake comes from): ``ContentError``."""
    text = render_template(ctx.templates, template, talk=talk, sections=sections, literal=literal, **names)
    r = _PlanReader(str(ctx.templates / template), {s.index: s for s in talk.sections})
    root, problems = parse(text)
    for problem in problems:
        r.error(problem.line, key, problem.message)
    plan = r.read(Record(None, {key: ListOf(item, required=True)}), root, "") if root is not None and not problems else None
    if r.problems or plan is None:
        if not r.problems:
            r.error(0, key, f"the plan must be a mapping with '{key}:'")
        _at_template_lines(r.problems, text, ctx, template)
        raise ContentError(r.problems)
    return list(plan[key])


def _at_template_lines(problems: list, text: str, ctx: Context, template: str) -> None:
    """Point each problem of the rendered plan ``text`` at the template's own line: the
    line of the template that reads exactly as the rendered line, when one does (a line
    with no ``{{ }}``, such as ``  - kind: covr``); otherwise the rendered line is quoted,
    since the template's line numbers do not count the lines its loops write."""
    from ..render import environment

    try:
        source = Path(environment(ctx.templates, "").get_template(template).filename).read_text(encoding="utf-8")
    except (OSError, TypeError, ValueError):
        source = ""
    template_lines = [line.rstrip() for line in source.splitlines()]
    rendered = text.splitlines()

    def mapped(number: int) -> int:
        """The template line that reads as rendered line ``number``, or 0."""
        line = rendered[number - 1].rstrip() if 0 < number <= len(rendered) else ""
        found = [n for n, same in enumerate(template_lines, 1) if same == line] if line.strip() else []
        return found[0] if len(found) == 1 else 0

    for problem in problems:
        line = rendered[problem.line - 1].rstrip() if 0 < problem.line <= len(rendered) else ""
        # Lines a message names ("deeper than 'lines:' on line 4") are the rendered plan's too.
        problem.message = re.sub(r"\bline (\d+)\b", lambda m: f"line {mapped(int(m[1])) or m[1] + ' of the rendered plan'}",
                                 problem.message)
        at = mapped(problem.line)
        if at:
            problem.line = at
            problem.message = f"rendered plan: {problem.message}"
        elif line.strip():
            problem.message = f"line {problem.line} of the rendered plan ({line.strip()!r}): {problem.message}"
            problem.line = 0
        else:
            problem.message = f"rendered plan: {problem.message}"


def _slide(r: Reader, node: Node, where: str, values: dict) -> PlannedSlide | None:
    section = values.get("section")
    for k, part in enumerate(values.get("parts", ())):
        if part and (section is None or not getattr(section, part)):
            here = f"{where}.parts[{k}]"
            r.error(r.lines[here], here, f"'{part}' is not a part of this slide's section")
    if not values["layout"]:
        return None
    return PlannedSlide(**{**values, "title": values.get("title") or (section.title if section else "")})


_AS_IS = Scalar()
#: One slide of the plan: the keys are the fields of ``PlannedSlide``.
SLIDE = Record(PlannedSlide, {
    "layout": Choice("layout", tuple(LAYOUTS), otherwise="the layouts are: {choices}", required=True),
    "title": _AS_IS,
    "section": Scalar(check=section_of),
    "parts": ListOf(Choice("part", PARTS)),
    "items": ListOf(_AS_IS),
    "text": _AS_IS,
    "lines": ListOf(_AS_IS),
}, make=_slide)


def read_plan(talk: Talk, ctx: Context, family: str, template: str = "deck.yaml.j2") -> list[PlannedSlide]:
    """The checked plan for ``talk``'s sections of ``family``, rendered from ``template``
    (mistakes in it as ``read_rendered`` reports them)."""
    return read_rendered(talk, ctx, template, "slides", SLIDE, talk.sections_in(family), lead=markup.lead)
