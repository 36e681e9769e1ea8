"""Points that appear on click (``reveal: true`` on a section, ``deck: {reveal: true}`` in
the theme): the slide's timing XML as PowerPoint writes it for "Appear, On Click, by
paragraph", read back with python-pptx and converted by LibreOffice."""

from __future__ import annotations

import subprocess
import textwrap
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from triptych.loader import load
from triptych.theme import load_theme
from triptych.writers import Context, deck
from tests.conftest import TEMPLATES, require_tool

TALK = """
title: A talk that reveals
author: Ada
sections:
  - title: Revealed
    reveal: true
    points:
      - First point
      - text: Second point
        points: [Its first sub-point, Its second sub-point]
      - Third point
  - title: All at once
    points: [One, Two]
  - title: A table
    table: {columns: [A, B], rows: [[one, two]]}
"""


def render(tmp_path: Path, text: str = TALK, theme: str = "") -> Path:
    content = tmp_path / "talk.yaml"
    content.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    theme_file = TEMPLATES / "theme.yaml"
    if theme:
        theme_file = tmp_path / "theme.yaml"
        theme_file.write_text(textwrap.dedent(theme).lstrip(), encoding="utf-8")
    out = tmp_path / "talk.pptx"
    out.write_bytes(deck.render(load(content), Context(TEMPLATES, load_theme(theme_file), {}, lambda m: None)))
    return out


def clicks(slide) -> list[list[tuple[str, int, int]]]:
    """The slide's main sequence: per click, each effect's (node type, shape id, paragraph)."""
    timing = slide._element.find(qn("p:timing"))
    if timing is None:
        return []
    main = next(c for c in timing.iter(qn("p:cTn")) if c.get("nodeType") == "mainSeq")
    steps = []
    for step in main.find(qn("p:childTnLst")):
        effects = [c for c in step.iter(qn("p:cTn")) if c.get("presetClass") == "entr"]
        steps.append([(c.get("nodeType"), int(c.find(".//" + qn("p:spTgt")).get("spid")),
                       int(c.find(".//" + qn("p:pRg")).get("st"))) for c in effects])
    return steps


def content_shape(slide):
    return next(s for s in slide.shapes if s.has_text_frame and "First point" in s.text_frame.text
                or s.has_text_frame and s.text_frame.text.startswith("One"))


def test_each_point_with_its_sub_points_appears_on_one_click(tmp_path):
    prs = Presentation(str(render(tmp_path)))
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text == "Revealed")
    spid = content_shape(slide).shape_id
    assert clicks(slide) == [
        [("clickEffect", spid, 0)],
        [("clickEffect", spid, 1), ("withEffect", spid, 2), ("withEffect", spid, 3)],
        [("clickEffect", spid, 4)],
    ]
    timing = slide._element.find(qn("p:timing"))
    (build,) = timing.iter(qn("p:bldP"))
    assert (build.get("spid"), build.get("build"), build.get("grpId")) == (str(spid), "p", "0")
    # Each effect makes its paragraph visible: PowerPoint's "Appear".
    assert {c.get("presetID") for c in timing.iter(qn("p:cTn")) if c.get("presetClass")} == {"1"}
    assert [a.text for a in timing.iter(qn("p:attrName"))] == ["style.visibility"] * 5
    # Timing sits after the colour map, where the schema puts it.
    assert [child.tag for child in slide._element][-2:] == [qn("p:clrMapOvr"), qn("p:timing")]


def test_other_slides_show_everything_at_once(tmp_path):
    prs = Presentation(str(render(tmp_path)))
    others = [s for s in prs.slides if s.shapes.title.text_frame.text != "Revealed"]
    assert others and all(s._element.find(qn("p:timing")) is None for s in others)


def test_the_theme_reveals_every_points_slide_and_a_section_can_opt_out(tmp_path):
    talk = TALK.replace("    reveal: true\n", "    reveal: false\n")
    prs = Presentation(str(render(tmp_path, talk, theme="extends: navy\ndeck: {reveal: true}\n")))
    by_title = {s.shapes.title.text_frame.text: s for s in prs.slides}
    assert clicks(by_title["Revealed"]) == []
    spid = content_shape(by_title["All at once"]).shape_id
    assert clicks(by_title["All at once"]) == [[("clickEffect", spid, 0)], [("clickEffect", spid, 1)]]
    assert all(clicks(by_title[t]) == [] for t in by_title if t not in ("Revealed", "All at once"))


def test_continuation_slides_reveal_their_own_points(tmp_path):
    points = "".join(f"      - Point number {n} says something long enough to take a line or two of the slide\n"
                     for n in range(14))
    talk = f"title: T\nauthor: A\nsections:\n  - title: Many\n    reveal: true\n    points:\n{points}"
    prs = Presentation(str(render(tmp_path, talk)))
    many = [s for s in prs.slides if s.shapes.title.text_frame.text.startswith("Many")]
    assert len(many) >= 2
    counts = [len(clicks(s)) for s in many]
    assert sum(counts) == 14 and all(counts)
    for slide, count in zip(many, counts):
        spid = next(s for s in slide.shapes if s.has_text_frame and "Point number" in s.text_frame.text).shape_id
        assert clicks(slide) == [[("clickEffect", spid, n)] for n in range(count)]


def test_libreoffice_opens_the_deck_and_keeps_the_clicks(tmp_path):
    soffice = require_tool("soffice")
    pptx = render(tmp_path)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "odp", "--outdir", str(tmp_path), str(pptx)],
                   check=True, capture_output=True, timeout=240)
    content = zipfile.ZipFile(tmp_path / "talk.odp").read("content.xml").decode()
    assert content.count('presentation:node-type="on-click"') == 3
    assert content.count('presentation:node-type="with-previous"') == 2
    assert content.count('presentation:preset-id="ooo-entrance-appear"') == 5


def test_reveal_must_be_true_or_false(tmp_path):
    from triptych.errors import ContentError

    path = tmp_path / "talk.yaml"
    path.write_text(textwrap.dedent(TALK).lstrip().replace("reveal: true", "reveal: yes"), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load(path)
    assert [f"{p.line}: {p.field}: {p.message}" for p in err.value.problems] == [
        "5: sections[0].reveal: must be true or false"]
