"""The carousel: a phone-sized PDF for a LinkedIn document post, from its own plan."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from triptych import fit, parity
from triptych.errors import ContentError
from triptych.loader import load
from triptych.slides import carousel as pages
from triptych.slides.shapes import Table, Text
from triptych.theme import load_theme
from triptych.writers import Context, carousel
from tests.conftest import MINIMAL, SAMPLE, TEMPLATES, require_tool

LONG_TALK = Path(__file__).parent / "fixtures" / "slides" / "long-talk.yaml"
OVERFLOW = Path(__file__).parent / "fixtures" / "deck" / "overflow.yaml"


def context(**options) -> Context:
    return Context(TEMPLATES, load_theme(TEMPLATES / "theme.yaml"), options, lambda message: None)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("carousel")
    made = {}
    for name, source in (("sample", SAMPLE), ("long", LONG_TALK)):
        talk = load(source)
        pdf = out / f"{name}.carousel.pdf"
        pdf.write_bytes(carousel.render(talk, context()))
        made[name] = (talk, pdf)
    return made


def texts(slide) -> list[str]:
    return ["".join(s.text for s in p.spans) for shape in (slide.title, *slide.shapes) if isinstance(shape, Text)
            for p in shape.paras]


def test_portrait_1080_by_1350_px_by_default_and_square_on_request(built, tmp_path):
    reader = PdfReader(str(built["sample"][1]))
    assert {(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages} == {(810.0, 1012.5)}
    square = pages.lay_out(load(SAMPLE), context(carousel_size="square"))
    assert pages.page_size(context(carousel_size="square")) == (810.0, 810.0) and len(square) >= len(reader.pages)
    theme = tmp_path / "theme.yaml"
    theme.write_text((TEMPLATES / "theme.yaml").read_text().replace("size: portrait", "size: square"))
    ctx = Context(TEMPLATES, load_theme(theme), {}, lambda m: None)
    assert pages.page_size(ctx) == (810.0, 810.0)


def test_cover_closing_and_page_numbers():
    talk = load(LONG_TALK)
    laid = pages.lay_out(talk, context())
    cover, closing = texts(laid[0]), texts(laid[-1])
    assert cover[0] == talk.title and talk.subtitle in cover and talk.author.name in cover
    assert any("Swipe" in t for t in cover)
    assert closing[0] == "Read the full article" and talk.canonical_url in closing and talk.author.name in closing
    assert any(t.startswith("#RAG") for t in closing)
    total = len(laid)
    for number, slide in enumerate(laid[1:], 2):
        assert f"{number}/{total}" in texts(slide)
    assert not any(re.fullmatch(r"\d+/\d+", t) for t in cover)


def test_large_type_only_the_page_number_and_author_line_are_smaller():
    for slide in pages.lay_out(load(LONG_TALK), context()):
        for shape in (slide.title, *slide.shapes):
            if isinstance(shape, Text) and shape.name not in ("Footer", "Page number"):
                assert all(p.size >= pages.MIN_TEXT for p in shape.paras), (slide.number, shape.name)
            if isinstance(shape, Table):
                assert shape.size >= 18.0


def test_points_continue_over_pages_at_full_size_and_parts_get_pages_of_their_own(write_content):
    points = ", ".join(f'"Point {i} is a complete sentence of some length about the matter at hand"' for i in range(14))
    path = write_content(MINIMAL + f"""  - title: Many points
    points: [{points}]
    quote: {{text: "A short quote", by: Someone}}
    table: {{columns: [A, B], rows: [[one, two]]}}
""")
    laid = pages.lay_out(load(path), context())
    kinds = [slide.layout for slide in laid]
    assert kinds.count("points") >= 2 and kinds.count("quote") == 1 and kinds.count("table") == 1
    titles = [texts(s)[0] for s in laid if s.layout == "points" and s.section.title == "Many points"]
    assert titles[0] == "Many points (1/2)" and titles[1] == "Many points (2/2)"
    sizes = {p.size for s in laid if s.layout == "points" for shape in s.shapes if isinstance(shape, Text)
             and shape.name == "Content" for p in shape.paras}
    assert sizes == {42 * pages.PX}


def test_only_names_the_carousel(write_content):
    path = write_content(MINIMAL + """  - title: Deck only
    only: [deck]
    points: [Said in the room]
  - title: Carousel only
    only: [carousel]
    points: [Swiped on a phone]
""")
    talk = load(path)
    words = " ".join(t for slide in pages.lay_out(talk, context()) for t in texts(slide))
    assert "Swiped on a phone" in words and "Said in the room" not in words
    assert not any("Carousel only" in p.text for p in parity.expected(talk, "deck"))


@pytest.mark.parametrize("name", ["sample", "long"])
def test_parity_and_no_character_outside_its_page(built, name):
    talk, pdf = built[name]
    check = parity.check_output(talk, "carousel", pdf)
    assert check.problems == [] and check.found == check.expected > 20
    html = subprocess.run([require_tool("pdftotext"), "-bbox", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    for width, height, body in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        for x0, y0, x1, y1, word in re.findall(
                r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>', body):
            assert 0 <= float(x0) and float(x1) <= float(width) + 0.5, word
            assert 0 <= float(y0) and float(y1) <= float(height) + 0.5, word


def test_every_text_fits_its_box_even_a_title_of_fifty_words():
    # A title taller than its box was drawn with a negative padding (WeasyPrint ignored it
    # and said so to the user) and ran out of the box into the page's points.
    talk, ctx = load(OVERFLOW), context()
    book = fit.FontBook(ctx.theme)
    for slide in pages.lay_out(talk, ctx):
        for shape in (slide.title, *slide.shapes):
            if isinstance(shape, Text) and shape.anchor != "top":
                assert fit.total_height(list(shape.paras), shape.box.w, book) <= shape.box.h, (slide.number, shape.name)


def test_the_same_content_gives_the_same_bytes(built):
    assert carousel.render(load(SAMPLE), context()) == built["sample"][1].read_bytes()


def test_past_linkedins_limits_is_a_clear_warning_and_with_strict_an_error(monkeypatch):
    talk = load(SAMPLE)
    warned = []
    monkeypatch.setattr(carousel, "MAX_PAGES", 5)
    pdf = carousel.render(talk, replace(context(), warn=warned.append))
    assert pdf.startswith(b"%PDF") and len(warned) == 1
    assert re.search(r"\.yaml: carousel: \d+ pages, and LinkedIn takes at most 5: leave sections out", warned[0])
    with pytest.raises(ContentError, match=r"carousel: \d+ pages, and LinkedIn takes at most 5"):
        carousel.render(talk, context(strict=True))
    monkeypatch.setattr(carousel, "MAX_PAGES", 300)
    monkeypatch.setattr(carousel, "MAX_BYTES", 1000)
    warned.clear()
    assert carousel.render(talk, replace(context(), warn=warned.append)) == pdf
    assert len(warned) == 1 and "carousel: the PDF is 0.1 MB, and LinkedIn takes at most 0.000953674 MB" in warned[0]
    with pytest.raises(ContentError, match=r"carousel: the PDF is 0\.1 MB, and LinkedIn takes at most 0\.000953674 MB"):
        carousel.render(talk, context(strict=True))


def test_a_plain_build_of_a_talk_past_the_limit_makes_every_output_and_strict_refuses_it(tmp_path, monkeypatch, capsys):
    """The carousel is a default output: a long talk's plain build must not lose its deck and
    handout to LinkedIn's page limit. With --strict it fails, even when the carousel is
    unchanged since the last build (--strict is in its cache key)."""
    from triptych import cli

    monkeypatch.setattr(carousel, "MAX_PAGES", 5)
    out = tmp_path / "out"
    args = [str(SAMPLE), "--out", str(out), "--templates", str(TEMPLATES), "--jobs", "1", "-q"]
    assert cli.main(args) == 0
    assert re.search(r"warning: .*\.yaml: carousel: \d+ pages, and LinkedIn takes at most 5", capsys.readouterr().err)
    written = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
    assert len(written) == 7 and any(name.endswith(".carousel.pdf") for name in written)
    assert cli.main(args + ["--strict"]) == 2
    assert "carousel: 13 pages, and LinkedIn takes at most 5" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")} == written


@pytest.mark.parametrize("name", ["navy", "paper", "night"])
def test_cover_and_closing_pages_take_the_themes_cover_colours_as_the_decks_title_slide_does(name):
    """Every text on the cover and closing pages is in on_cover, on the cover colour: a
    pair the contrast check holds to 4.5:1 (the swipe cue in the accent was 2.2:1 on navy)."""
    from triptych import contrast
    from triptych.theme import builtin_themes

    theme = load_theme(builtin_themes()[name])
    laid = pages.lay_out(load(SAMPLE), Context(TEMPLATES, theme, {}, lambda message: None))
    for page in (laid[0], laid[-1]):
        assert page.background == "cover"
        inks = {shape.color for shape in (page.title, *page.shapes) if isinstance(shape, Text)}
        assert inks == {"on_cover"}
    assert contrast.ratio(theme.colors["on_cover"], theme.colors["cover"]) >= contrast.AA_TEXT


def test_a_section_with_nothing_to_show_is_a_divider_page_as_on_the_deck(write_content):
    """A section of notes (or prose) alone has no part for the carousel: its page is a
    divider, as the deck's section slide is (title large in the page's upper middle, the
    light background), not a title at the top of an empty page."""
    path = write_content(MINIMAL + """  - title: The quiet one
    notes: Pause here and let the silence work.
""")
    laid = pages.lay_out(load(path), context())
    (divider,) = [s for s in laid if s.section is not None and s.section.title == "The quiet one"]
    _, height = pages.page_size(context())
    points = next(s for s in laid if s.layout == "points")
    assert divider.layout == "section" and divider.background == "light"
    assert divider.title.box.y > points.title.box.bottom and divider.title.box.bottom < height * 0.6
    assert divider.title.paras[0].size > points.title.paras[0].size
    assert not any(getattr(shape, "name", "") == "Top band" for shape in divider.shapes)


def test_a_title_of_words_too_long_to_fit_grows_up_from_its_bottom_without_a_warning(write_content):
    # Words no line can break are taller than the title's box even at the smallest size:
    # that was a negative padding, which WeasyPrint dropped with a warning to the user, and
    # the bottom-anchored title ran down over its rule. Now the box moves up by the excess.
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
    title = (f"A {word} title that goes on and on about everything we ever learned in production"
             " over many many years of operating distributed systems at scale")
    path = write_content(f"""
    title: Long words
    author: Tester
    sections:
      - title: "{title}"
        points: [One point]
    """)
    talk, warnings = load(path), []
    ctx = Context(TEMPLATES, load_theme(TEMPLATES / "theme.yaml"), {}, warnings.append)
    document = "".join(carousel.html(talk, ctx))  # inline styles are classes in the stylesheet
    assert "padding-top:-" not in document
    from triptych.slides import html as slide_html

    laid = pages.lay_out(talk, ctx)
    [page] = [p for p in laid if p.title.paras and word[:20] in "".join(s.text for s in p.title.paras[0].spans)]
    [fragment] = [str(f) for f, p in zip(slide_html.render_slides(talk, ctx, laid, size=pages.page_size(ctx)).slides, laid)
                  if p is page]
    top = float(re.search(r'class="tp-box tp-title[^"]*" style="margin-left:[\d.]+pt;margin-top:(-?[\d.]+)pt', fragment)[1])
    assert top < page.title.box.y - 1  # placed above its box: the box moved up
    carousel.render(talk, ctx)
    assert warnings == []


def test_the_footer_is_one_line_whatever_the_authors_name(write_content):
    # A long name wrapped the footer onto a second line that ran out of its box to the
    # page's edge (a third would leave the page).
    name = "Maximiliana Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh von Something Else Entirely"
    talk = load(write_content(MINIMAL.replace("{name: Ada Lovelace}", f"{{name: {name}}}")))
    ctx = context()
    book = fit.FontBook(ctx.theme)
    footers = [s for page in pages.lay_out(talk, ctx) for s in page.shapes if isinstance(s, Text) and s.name == "Footer"]
    assert footers
    for footer in footers:
        (para,) = footer.paras
        assert fit.total_height([para], footer.box.w, book) <= footer.box.h * 1.05
        assert para.text.endswith("\u2026") and name.startswith(para.text[:-1].rstrip())
    short = load(write_content(MINIMAL))
    assert {s.paras[0].text for page in pages.lay_out(short, ctx) for s in page.shapes
            if isinstance(s, Text) and s.name == "Footer"} == {"Ada Lovelace"}
