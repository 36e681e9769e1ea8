"""The deck's colours where it sets them itself: links (drawn in their run's colour, the
theme's hyperlink colour the accent), and on a user's master the master's scheme colours
for table cells, bullets and links, checked for contrast."""

from __future__ import annotations

import io
import re
import subprocess
import textwrap
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from triptych import contrast
from triptych.loader import load
from triptych.masterscheme import read_scheme
from triptych.theme import builtin_themes, contrast_problems, load_theme
from triptych.writers import Context, deck
from tests.conftest import TEMPLATES, require_tool

TALK = """
title: Links everywhere
author: {name: Ada, url: "https://example.org/ada"}
summary: One sentence.
sections:
  - title: Links on a slide
    points: ["Read [the documentation](https://example.org/docs) today"]
  - title: A table
    table: {columns: [Site, Why], rows: [["[Example](https://example.org)", "It is an example"]]}
"""
AHYP = "{http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor}hlinkClr"


def render(tmp_path: Path, theme: Path = TEMPLATES / "theme.yaml", master: Path | None = None) -> Path:
    content = tmp_path / "talk.yaml"
    content.write_text(textwrap.dedent(TALK).lstrip(), encoding="utf-8")
    out = tmp_path / f"talk-{theme.stem}.pptx"
    ctx = Context(TEMPLATES, load_theme(theme, master=master), {}, lambda m: None)
    out.write_bytes(deck.render(load(content), ctx))
    return out


def link_runs(prs):
    """(slide, run element) of every run that is a link."""
    for slide in prs.slides:
        for r in slide._element.iter(qn("a:r")):
            if r.find(f"{qn('a:rPr')}/{qn('a:hlinkClick')}") is not None:
                yield slide, r


def run_colour(r) -> str:
    return r.find(f"{qn('a:rPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}").get("val")


@pytest.mark.parametrize("name", sorted(builtin_themes()))
def test_links_are_drawn_in_their_runs_colour_with_contrast_and_the_theme_hyperlink_is_the_accent(tmp_path, name):
    path = builtin_themes()[name]
    theme = load_theme(path)
    prs = Presentation(str(render(tmp_path, path)))
    runs = list(link_runs(prs))
    assert len(runs) == 3  # the point, the table cell and the author's URL on the closing slide
    for slide, r in runs:
        assert r.find(f".//{AHYP}").get("val") == "tx"
        fill = slide.background.fill
        behind = str(fill.fore_color.rgb) if fill.type is not None else theme.colors["background"]
        cell = r.getparent().getparent().getparent()
        if cell.tag == qn("a:tc"):
            behind = cell.find(f"{qn('a:tcPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}").get("val")
        assert contrast.ratio(run_colour(r), behind) >= contrast.AA_TEXT, (name, run_colour(r), behind)
    scheme = zipfile.ZipFile(render(tmp_path, path)).read("ppt/theme/theme1.xml").decode()
    for element in ("hlink", "folHlink"):
        assert re.search(f'<a:{element}><a:srgbClr val="{theme.colors["accent"]}"/></a:{element}>', scheme)


def test_libreoffice_draws_every_link_readably(tmp_path):
    """On the rendered page, the link's darkest (or lightest) ink against the colour most
    of its box has: at least 4.5:1, on a white slide and on the dark closing slide."""
    soffice, pdftotext, pdftoppm = require_tool("soffice"), require_tool("pdftotext"), require_tool("pdftoppm")
    from PIL import Image

    pptx = render(tmp_path)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(pptx)],
                   check=True, capture_output=True, timeout=240)
    pdf = pptx.with_suffix(".pdf")
    html = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    subprocess.run([pdftoppm, "-png", "-r", "144", str(pdf), str(tmp_path / "page")], check=True)
    pages = re.findall(r"<page [^>]*>(.*?)</page>", html, re.S)
    checked = 0
    for number, body in enumerate(pages, 1):
        image = Image.open(next(tmp_path.glob(f"page-*{number}.png"))).convert("RGB")
        for x0, y0, x1, y1, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', body):
            if word not in ("documentation", "https://example.org/ada", "Example"):
                continue
            box = image.crop(tuple(round(float(v) * 2) for v in (x0, y0, x1, y1)))
            colours = [c for _, c in sorted(box.getcolors(1 << 20), reverse=True)]
            ground = "%02X%02X%02X" % colours[0]
            ink = max(("%02X%02X%02X" % c for c in colours[1:]), key=lambda c: contrast.ratio(c, ground))
            assert contrast.ratio(ink, ground) >= contrast.AA_TEXT, (word, ink, ground)
            checked += 1
    assert checked == 3


# -- a user's master ----------------------------------------------------------------------

def master_with(tmp_path: Path, **scheme: str) -> Path:
    """python-pptx's template as a user's master, with scheme colours replaced."""
    buffer = io.BytesIO()
    Presentation().save(buffer)
    source, out = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "ppt/theme/theme1.xml":
                for element, value in scheme.items():
                    data = re.sub(rf"<a:{element}>.*?</a:{element}>".encode(),
                                  f'<a:{element}><a:srgbClr val="{value}"/></a:{element}>'.encode(), data)
            target.writestr(name, data)
    path = tmp_path / "brand.pptx"
    path.write_bytes(out.getvalue())
    return path


BRAND = {"dk1": "202020", "lt1": "FFFFFF", "dk2": "3A3A3A", "lt2": "F0F0F0", "accent1": "7A1F4B", "hlink": "1F4E9A"}


def test_the_master_scheme_is_read_from_its_theme_part(tmp_path):
    scheme = read_scheme(master_with(tmp_path, **BRAND))
    assert {name: scheme[name] for name in BRAND} == BRAND
    (tmp_path / "nope.pptx").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="cannot read its colours"):
        read_scheme(tmp_path / "nope.pptx")


def test_on_a_users_master_tables_bullets_and_links_take_the_masters_colours(tmp_path):
    prs = Presentation(str(render(tmp_path, master=master_with(tmp_path, **BRAND))))
    table = next(shape.table for slide in prs.slides for shape in slide.shapes if shape.has_table)
    assert str(table.cell(0, 0).fill.fore_color.rgb) == BRAND["accent1"]
    assert str(table.cell(0, 0).text_frame.paragraphs[0].runs[0].font.color.rgb) == BRAND["lt1"]
    assert str(table.cell(1, 1).fill.fore_color.rgb) == BRAND["lt1"]  # body rows: light 1, then light 2
    assert str(table.cell(1, 1).text_frame.paragraphs[0].runs[0].font.color.rgb) == BRAND["dk1"]
    bullets = {b.get("val") for slide in prs.slides for b in slide._element.iter(qn("a:buClr"))
               for b in b.iter(qn("a:srgbClr"))}
    assert bullets == {BRAND["accent1"]}
    assert {run_colour(r) for _, r in link_runs(prs)} == {BRAND["hlink"]}


def test_a_masters_low_contrast_pairs_are_named(tmp_path):
    master = master_with(tmp_path, **{**BRAND, "hlink": "9DB7E0", "accent1": "E0A0C0"})
    problems = [str(p) for p in contrast_problems(load_theme(TEMPLATES / "theme.yaml", master=master))]
    assert problems == [
        f"{master}: master: the master's lt1 #FFFFFF on accent1 #E0A0C0 has contrast 2.1:1, below the 4.5:1 "
        "WCAG 2.2 AA asks for text; seen in table headers (deck)",
        f"{master}: master: the master's hlink #9DB7E0 on lt1 #FFFFFF has contrast 2:1, below the 4.5:1 "
        "WCAG 2.2 AA asks for text; seen in links (deck)"]
    assert contrast_problems(load_theme(TEMPLATES / "theme.yaml", master=master_with(tmp_path, **BRAND))) == []
