"""The deck's slide plan is read through the same schema as the content: a customised
plan template with mistakes gets every one of them at once, each at its line, an unknown
key or name with a did-you-mean."""

from __future__ import annotations

import shutil

import pytest

from triptych.errors import ContentError
from triptych.loader import loads
from triptych.model import LAYOUTS
from triptych.theme import load_theme
from triptych.writers import Context
from triptych.slides import plan as deck_plan

from tests.conftest import MINIMAL, TEMPLATES

TALK = loads(MINIMAL + "  - title: Second\n    quote: {text: Wise words}\n", "c.yaml", TEMPLATES, "c")


def read(tmp_path, plan_text: str):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "plan.yaml.j2").write_text(plan_text, encoding="utf-8")
    ctx = Context(templates, load_theme(templates / "theme.yaml"), {})
    return deck_plan.read_plan(TALK, ctx, "deck", "plan.yaml.j2"), str(templates / "plan.yaml.j2")


def test_the_layouts_a_section_can_name_are_the_ones_the_deck_draws():
    assert tuple(deck_plan.LAYOUTS) == LAYOUTS


def test_a_good_plan_reads_into_slides(tmp_path):
    slides, _ = read(tmp_path, "slides:\n  - {layout: bullets, section: 0, parts: [points]}\n"
                               "  - {layout: closing, title: Bye, lines: [a, b]}\n")
    assert [(s.layout, s.title, s.parts, s.lines) for s in slides] == [
        ("bullets", "First things", ("points",), ()), ("closing", "Bye", (), ("a", "b"))]
    assert slides[0].section is TALK.sections[0]


def test_every_mistake_in_a_plan_is_reported_at_once(tmp_path):
    text = ("slides:\n"
            "  - {layuot: bullets, section: 0}\n"
            "  - {layout: bulets, section: 0, parts: [pionts]}\n"
            "  - {layout: quote, section: 7}\n"
            "  - {layout: quote, section: 0, parts: [quote]}\n"
            "  - {layout: closing, items: {a: b}}\n")
    with pytest.raises(ContentError) as err:
        read(tmp_path, text)
    where = str(tmp_path / "templates" / "plan.yaml.j2")
    assert [str(p) for p in err.value.problems] == [f"{where}:{line}" for line in (
        "2: slides[0].layuot: rendered plan: unknown key 'layuot'; did you mean 'layout'?",
        "3: slides[1].layout: rendered plan: unknown layout 'bulets'; did you mean 'bullets'?",
        "3: slides[1].parts[0]: rendered plan: unknown part 'pionts'; did you mean 'points'?",
        "4: slides[2].section: rendered plan: no section '7'",
        "5: slides[3].parts[0]: rendered plan: 'quote' is not a part of this slide's section",
        "6: slides[4].items: rendered plan: expected a list, found a mapping (key: value lines)",
    )]


def test_a_plan_that_is_not_yaml_names_its_line(tmp_path):
    with pytest.raises(ContentError) as err:
        read(tmp_path, "slides:\n  - {layout: [bullets}\n")
    assert str(err.value).startswith(str(tmp_path / "templates" / "plan.yaml.j2") + ":2: slides: rendered plan: YAML")


def test_code_in_notes_keeps_its_lines_in_the_code_font():
    from triptych.slides.shapes import block_paras
    paras = block_paras("Say this.\nthen this.\n\n```python\nif x:\n    go()\n```", 12.0, 6.0)
    assert [p.text for p in paras] == ["Say this. then this.", "if x:\n    go()"]
    assert all(s.code for s in paras[1].spans)


def test_tabs_in_notes_code_show_as_four_columns():
    from triptych.slides.shapes import block_paras
    paras = block_paras("```go\nif x {\n\treturn\n}\n```", 12.0, 6.0)
    assert paras[0].text == "if x {\n    return\n}"


def test_characters_beyond_the_basic_plane_survive_the_plan():
    # tojson writes U+1F680 as "\ud83d\ude80", a surrogate pair YAML refuses to read.
    talk = loads(MINIMAL.replace("A small talk", "Launch \U0001F680 day \U00010000"), "c.yaml", TEMPLATES, "c")
    ctx = Context(TEMPLATES, load_theme(TEMPLATES / "theme.yaml"), {})
    plan = deck_plan.read_plan(talk, ctx, "deck", "deck.yaml.j2")
    assert plan[0].title.endswith("Launch \U0001F680 day \U00010000")


def test_a_mistake_is_reported_at_the_templates_own_line_or_with_the_rendered_line(tmp_path):
    # The rendered plan's line numbers were given as the template's: a plan template opens
    # with a comment and loops over sections, so "carousel.yaml.j2:2" named a comment line.
    text = ("{#- What this plan does,\n    over three lines\n    of comment. -#}\n"
            "slides:\n"
            "{% for section in sections %}\n"
            "  - {layout: bulets{{ '' }}, section: {{ section.index }}}\n"
            "{% endfor %}\n"
            "  - {layuot: closing, title: Bye}\n")
    with pytest.raises(ContentError) as err:
        read(tmp_path, text)
    where = str(tmp_path / "templates" / "plan.yaml.j2")
    assert [str(p) for p in err.value.problems] == [
        f"{where}: slides[0].layout: line 2 of the rendered plan ('- {{layout: bulets, section: 0}}'): "
        "unknown layout 'bulets'; did you mean 'bullets'?",
        f"{where}: slides[1].layout: line 3 of the rendered plan ('- {{layout: bulets, section: 1}}'): "
        "unknown layout 'bulets'; did you mean 'bullets'?",
        f"{where}:8: slides[2].layuot: rendered plan: unknown key 'layuot'; did you mean 'layout'?",
    ]
