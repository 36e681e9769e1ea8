"""The model's own behaviour: line lookup for field paths and `only:` filtering."""

from __future__ import annotations

from pathlib import Path

from triptych.errors import ContentError, Problem
from triptych.model import Author, Section, Talk


def talk(**kw) -> Talk:
    sections = (Section(0, "A", "a", body="Prose."), Section(1, "B", "b", only=frozenset({"deck"})))
    return Talk(path="c.yaml", base_dir=Path("."), slug="c", title="T", author=Author("N"), sections=sections, **kw)


def test_line_falls_back_to_the_nearest_recorded_parent():
    t = talk(lines={"sections": 3, "sections[1]": 9, "sections[1].table": 12})
    assert t.line("sections[1].table.rows[2][1]") == 12
    assert t.line("sections[1].points[0]") == 9
    assert t.line("sections[4].title") == 3
    assert t.line("summary") == 0


def test_sections_in_follows_only():
    t = talk()
    assert [s.id for s in t.sections_in("deck")] == ["a", "b"]
    assert [s.id for s in t.sections_in("article")] == ["a"]


def test_a_section_with_nothing_for_readers_is_not_in_the_articles_outputs():
    notes = Section(0, "A pause", "a", notes="Breathe.")
    assert [notes.shown_in(family) for family in ("deck", "article", "handout", "carousel")] == [True, False, True, True]
    assert Section(0, "A", "a", notes="Say it.", points=()).for_readers is False
    assert Section(0, "A", "a", body="Prose.").for_readers


def test_problems_render_as_path_line_field_message_sorted_by_line():
    err = ContentError([Problem("c.yaml", 9, "title", "late"), Problem("c.yaml", 2, "", "early"),
                        Problem("c.yaml", 0, "", "whole file")])
    assert str(err).splitlines() == ["c.yaml: whole file", "c.yaml:2: early", "c.yaml:9: title: late"]
    assert err.exit_status == 2
