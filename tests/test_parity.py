"""Tests for triptych.parity and its wiring into the build (pipeline, CLI, library API).

The first half needs no real writer: a small fake writer registered for the test (a
"handout"-family text output that reflows, capitalises and curls quotes the way real
writers legitimately do) drives the check, the pipeline and the CLI. The second half
builds the sample with the real writers once per module, then tampers with each kind of
output and asserts the exact message and content line.
"""

from __future__ import annotations

import re
import sys
import textwrap
import types
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL, SAMPLE
from triptych import cli, loads, markup, parity, pieces
from triptych.errors import Problem
from triptych.loader import load
from triptych.pipeline import Options, build, check_built
from triptych.writers import REGISTRY, Output, available, output, writer

# -- normalisation -------------------------------------------------------------------------


@pytest.mark.parametrize("written, read_back", [
    ("It's \"quoted\"", "It\u2019s \u201cquoted\u201d"),                 # smart quotes
    ("self-supervision", "self-\nsupervision"),                            # line broken at a hyphen
    ("a - b -- c", "a \u2013 b \u2014 c"),                                 # dashes
    ("wait...", "wait\u2026"),                                             # ellipsis
    ("fine print", "\ufb01ne print"),                                      # PDF ligature
    ("no break", "no\u00a0break"),                                         # no-break space
    ("hyphenation", "hy\u00adphen\u00adation"),                            # soft hyphens
    ("longword", "long\u200bword"),                                        # zero-width space
    ("one two three", "one\n  two\tthree"),                                # reflowed
    ("Key differences", "KEY DIFFERENCES"),                                # a template in capitals
    ("first point", "\u2022 first point"),                                 # a drawn bullet
    ("Caf\u00e9", "Cafe\u0301"),                                            # composed vs decomposed
])
def test_normalise_folds_what_writers_legitimately_change(written, read_back):
    assert parity.normalise(written) == parity.normalise(read_back)


@pytest.mark.parametrize("a, b", [
    ("LLMs", "LLM"),
    ("one two", "one  three"),
    ("GPT-4", "GPT-5"),
    ("2024", "2025"),
])
def test_normalise_keeps_words_apart(a, b):
    assert parity.normalise(a) != parity.normalise(b)


def test_normalise_of_nothing_is_empty():
    assert parity.normalise(" \u200b\u2022\n\u00ad ") == ""


@pytest.mark.parametrize("piece, text, found", [
    ("llm", "an llm is", True),
    ("llm", "llms are", False),                   # not part of a longer word
    ("llm", "an llm", True),                      # at the very end
    ("llm", "llm", True),
    ("gpt-4", "gpt-4, dall-e", True),             # punctuation is a boundary
    ("", "anything", True),
    ("a point that is long enough", "a point that is lo ng enough", True),  # word broken without a hyphen
    ("short piece", "short pie ce", False),       # too short for the spaceless fallback
    ("\u65e5\u672c\u8a9e", "\u3053\u308c\u306f\u65e5\u672c\u8a9e\u3067\u3059", True),  # no word boundaries in CJK
])
def test_find(piece, text, found):
    assert parity.find(piece, text) is found


def test_excerpt_cuts_at_a_word():
    assert parity.excerpt("Both terms come up constantly when people talk about AI") == \
        "Both terms come up constantly when ..."
    assert parity.excerpt("short\n text") == "short text"
    assert parity.excerpt("x" * 50) == "x" * 40 + " ..."


# -- expected pieces -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return load(SAMPLE)


def test_pieces_of_the_sample_per_family(sample):
    deck = {p.field for p in parity.family_pieces(sample, "deck")}
    article = {p.field for p in parity.family_pieces(sample, "article")}
    handout = {p.field for p in parity.family_pieces(sample, "handout")}
    shared = {"title", "subtitle", "author.name", "sections[1].points[2]", "sections[1].points[2].points[1]",
              "sections[5].table.columns[2]", "sections[5].table.rows[3][1]", "sections[6].compare[1].title",
              "sections[6].compare[0].points[3]", "sections[8].quote.text", "sections[8].quote.by"}
    assert shared <= deck and shared <= article and shared <= handout
    assert "sections[0].notes" in deck and "sections[0].notes" not in article and "sections[0].notes" in handout
    assert "summary" in article and "summary" in handout
    assert "sections[0].body" not in deck and "sections[0].body" in article and "sections[0].body" in handout
    # The deck's closing slide: the summary's opening (not all of it) and every tag.
    closing = [p for p in parity.family_pieces(sample, "deck") if p.field == "summary" or p.field.startswith("tags")]
    assert [p.text for p in closing] == [parity.opening_pieces(sample)[0].text] + [f"#{t}" for t in sample.tags]
    assert handout == {f for f in deck if not f.startswith("tags")} | article


def test_pieces_are_plain_text_with_their_lines(sample):
    pieces = {p.field: p for p in parity.family_pieces(sample, "handout")}
    point = pieces["sections[1].points[0]"]
    assert point.text == "Built on the transformer architecture, which weighs words in context"
    assert point.line == 60
    assert pieces["sections[5].table.rows[0][2]"].line == 150
    body = [p for p in parity.family_pieces(sample, "handout") if p.field == "sections[0].body"]
    assert [(p.part, p.parts, p.line) for p in body] == [(1, 2, 30), (2, 2, 30)]
    assert body[1].text.startswith("This piece looks at what each one means")


def test_block_fields_split_into_paragraphs_and_list_items(write_content):
    talk = load(write_content(MINIMAL + """    notes: |
      Say this first.

      - then *this*
      - and `that`
"""))
    notes = [p.text for p in parity.family_pieces(talk, "deck") if p.field == "sections[0].notes"]
    assert notes == ["Say this first.", "then this", "and that"]


def test_only_limits_a_section_to_its_families(write_content):
    talk = load(write_content(MINIMAL + """  - title: Deck only
    only: [deck]
    points: [Just for the room]
"""))
    assert "sections[1].points[0]" in {p.field for p in parity.family_pieces(talk, "deck")}
    for family in ("article", "handout"):
        assert not any(p.field.startswith("sections[1]") for p in parity.family_pieces(talk, family))


def test_empty_cells_give_no_piece(write_content):
    talk = load(write_content(MINIMAL + """  - title: Grid
    table:
      columns: [A, B]
      rows: [["x", ""]]
"""))
    fields = {p.field for p in parity.family_pieces(talk, "deck")}
    assert "sections[1].table.rows[0][0]" in fields and "sections[1].table.rows[0][1]" not in fields


def test_post_promises_the_opening_of_the_summary(sample):
    [piece] = parity.expected(sample, "post")
    assert (piece.field, piece.line) == ("summary", 20)
    assert piece.text == '"LLM" and "foundation model" are often used as'


def test_post_without_summary_promises_the_title(write_content):
    assert [(p.field, p.text, p.line) for p in parity.expected(load(write_content(MINIMAL)), "post")] == [
        ("title", "A small talk", 1)]


def test_post_without_summary_promises_the_opening_of_a_long_title(write_content, tmp_path):
    # The post cuts a title over 140 characters on its first line ("…"): the check expected
    # the whole title, so such a talk failed its own build with exit status 3.
    title = "Lessons from running a distributed system in production for many years " * 3
    talk = load(write_content(MINIMAL.replace("title: A small talk", f"title: {title.strip()}")))
    assert [(p.field, p.text) for p in parity.expected(talk, "post")] == [
        ("title", "Lessons from running a distributed system in production")]
    report = build([talk.path], Options(out_dir=tmp_path / "out", outputs=["post"], jobs=1))
    assert report.exit_status == 0, [str(p) for f in report.files for p in f.problems]


def test_post_opening_with_a_link_promises_its_address_as_the_post_writes_it(write_content, tmp_path):
    talk = load(write_content(MINIMAL + "summary: Read [our guide](https://example.org/g) before you start.\n"))
    assert [p.text for p in parity.expected(talk, "post")] == ["Read our guide (https://example.org/g) before you start."]
    report = build([talk.path], Options(out_dir=tmp_path / "out", outputs=["post", "deck"], jobs=1))
    assert report.exit_status == 0, [str(p) for f in report.files for p in f.problems]


def test_post_opening_of_an_unbreakable_summary(write_content):
    talk = load(write_content(MINIMAL + "summary: " + "x" * 300 + " end\n"))
    assert [p.text for p in parity.expected(talk, "post")] == ["x" * pieces.OPENING_CHARS]


# -- the check, the pipeline and the CLI, through a fake writer -----------------------------

def _fake_render(talk, ctx=None) -> bytes:
    """A handout-family text output written the way a real writer may: titles in
    capitals, curly quotes, prose reflowed to narrow lines, bullets drawn as characters."""
    lines = [talk.title.upper(), talk.subtitle, f"by {talk.author.name}"]

    def prose(text):
        for block in markup.blocks(text):
            lines.extend(textwrap.wrap(block.plain.replace('"', "\u201c"), 30))

    prose(talk.summary)
    for s in talk.sections_in("handout"):
        lines.append(markup.to_plain(s.title).upper() + " (1/2)")
        prose(s.body)
        for point in s.points:
            lines.append("\u2022 " + markup.to_plain(point.text))
            lines.extend("  \u25e6 " + markup.to_plain(sub.text) for sub in point.points)
        if s.table:
            lines.append(" | ".join(markup.to_plain(c) for c in s.table.columns))
            lines.extend(" | ".join(markup.to_plain(c) for c in row) for row in s.table.rows)
        for column in s.compare or ():
            lines.append(markup.to_plain(column.title))
            lines.extend("\u2022 " + markup.to_plain(p.text) for p in column.points)
        if s.quote:
            prose(s.quote.text)
            lines.append("\u2014 " + markup.to_plain(s.quote.by))
        prose(s.notes)
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def fake_writer(monkeypatch):
    """Register output "fake" (family handout, suffix .fake.txt) for one test."""
    module = types.ModuleType("triptych_test_fake_writer")
    module.render = _fake_render
    module.read_text = lambda path: Path(path).read_text(encoding="utf-8")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(REGISTRY, "fake", Output("fake", module.__name__, ".fake.txt", "handout"))
    return module


def test_sample_passes_through_a_reflowing_writer(fake_writer, sample, tmp_path):
    out = tmp_path / "x.fake.txt"
    out.write_bytes(_fake_render(sample))
    [result] = parity.check_outputs(sample, {"fake": out})
    assert result.ok and result.found == result.expected == len(parity.family_pieces(sample, "handout"))


def test_a_lost_point_is_named_with_its_line(fake_writer, sample, tmp_path):
    out = tmp_path / "x.fake.txt"
    text = _fake_render(sample).decode()
    out.write_text(text.replace("\u2022 Often multi-modal: text, images, audio and code\n", ""))
    assert parity.check(sample, {"fake": out}) == [Problem(
        str(SAMPLE.relative_to(Path.cwd())) if SAMPLE.is_relative_to(Path.cwd()) else sample.path, 116,
        "sections[3].points[3]", f'missing from {out}: "Often multi-modal: text, images, audio ..."')]


def test_a_lost_paragraph_names_which_one(fake_writer, sample, tmp_path):
    out = tmp_path / "x.fake.txt"
    text = _fake_render(sample).decode()
    start = text.index("This piece looks at what")
    end = text.index("apart.") + len("apart.")
    out.write_text(text[:start] + text[end:])
    [problem] = parity.check(sample, {"fake": out})
    assert str(problem) == (f'{sample.path}:30: sections[0].body: missing from {out}: '
                            f'paragraph 2 of 2: "This piece looks at what each one means, ..."')


def test_a_changed_word_is_a_miss(fake_writer, sample, tmp_path):
    out = tmp_path / "x.fake.txt"
    out.write_text(_fake_render(sample).decode().replace("Examples: GPT-4, DALL-E", "Examples: GPT-4, DALL-E 3"))
    # "DALL-E 3" still contains "DALL-E" as whole words, so only a real change is caught:
    assert parity.check(sample, {"fake": out}) == []
    out.write_text(_fake_render(sample).decode().replace("Examples: GPT-4, DALL-E", "Examples: GPT-5, DALL-E"))
    assert [p.field for p in parity.check(sample, {"fake": out})] == ["sections[6].compare[1].points[3]"]


def test_missing_and_damaged_outputs_are_problems_not_crashes(fake_writer, sample, tmp_path, monkeypatch):
    missing = tmp_path / "gone.fake.txt"
    [result] = parity.check_outputs(sample, {"fake": missing})
    assert [str(p) for p in result.problems] == [f"{missing}: not found; build it first"]
    assert result.summary() == f"{missing}: not checked: not found; build it first"
    assert result.unchecked == "missing"

    def broken(path):
        raise ValueError("not a zip file")

    monkeypatch.setattr(fake_writer, "read_text", broken)
    missing.write_text("whatever")
    [result] = parity.check_outputs(sample, {"fake": missing})
    assert [p.message for p in result.problems] == ["cannot be read back (ValueError: not a zip file)"]
    assert result.unchecked == "unreadable"


def _options(tmp_path, **kw):
    return Options(out_dir=tmp_path / "out", outputs=["fake"], **kw)


def test_build_ends_with_the_check(fake_writer, write_content, tmp_path, monkeypatch):
    path = write_content(MINIMAL)
    report = build([path], _options(tmp_path))
    assert report.exit_status == 0
    [result] = report.files
    assert [(c.name, c.found, c.expected) for c in result.checks] == [("fake", 5, 5)]

    # A writer that drops the last point fails the file with exit 3; the output stays written.
    # (A fresh output folder each time, so no build cache can skip the output.)
    monkeypatch.setattr(fake_writer, "render", lambda talk, ctx: _fake_render(talk).replace(b"\xe2\x80\xa2 Two\n", b""))
    report = build([path], _options(tmp_path / "lossy"))
    assert report.exit_status == 3
    [result] = report.files
    assert [str(p) for p in result.problems] == [
        f'{result.problems[0].path}:5: sections[0].points[1]: missing from {result.checks[0].path}: "Two"']
    assert result.written and result.written[0].exists()

    # --no-check (Options.check=False) writes the same output and says nothing.
    report = build([path], _options(tmp_path / "unchecked", check=False))
    assert report.exit_status == 0 and report.files[0].checks == []


def test_check_built_rechecks_without_rebuilding(fake_writer, write_content, tmp_path):
    path = write_content(MINIMAL)
    options = _options(tmp_path)
    build([path], options)
    written = options.out_dir / "talk.fake.txt"
    written.write_text(written.read_text().replace("FIRST THINGS", "FIRST THING"))
    report = check_built([path], options)
    assert report.exit_status == 3
    assert [p.field for p in report.files[0].problems] == ["sections[0].title"]
    assert "FIRST THING " in written.read_text()  # not rebuilt


def test_cli_check_prints_counts_and_exits_3_on_a_miss(fake_writer, write_content, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write_content(MINIMAL)
    args = [str(path), "--out", "out", "--only", "fake"]
    monkeypatch.setattr(cli, "available", lambda: tuple(REGISTRY))
    assert cli.main(args) == 0
    capsys.readouterr()
    assert cli.main(args + ["--check"]) == 0
    out = capsys.readouterr().out
    assert "out/talk.fake.txt: 5/5 pieces" in out

    Path("out/talk.fake.txt").write_text(Path("out/talk.fake.txt").read_text().replace("One", "Uno"))
    assert cli.main(args + ["--check"]) == 3
    captured = capsys.readouterr()
    assert "out/talk.fake.txt: 4/5 pieces" in captured.out
    assert 'talk.yaml:5: sections[0].points[0]: missing from out/talk.fake.txt: "One"' in captured.err

    # A build repairs it; --no-check builds without checking.
    assert cli.main(args + ["--no-check"]) == 0
    assert cli.main(args + ["--check"]) == 0

    Path("out/talk.fake.txt").unlink()
    assert cli.main(args + ["--check"]) == 3
    assert "out/talk.fake.txt: not found" in capsys.readouterr().err


def test_cli_check_reports_content_mistakes_with_exit_2(fake_writer, write_content, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "available", lambda: tuple(REGISTRY))
    path = write_content("title: x\n")
    assert cli.main([str(path), "--only", "fake", "--check"]) == 2
    assert "talk.yaml" in capsys.readouterr().err


def test_library_check(fake_writer, write_content, tmp_path):
    import triptych

    path = write_content(MINIMAL)
    build([path], _options(tmp_path))
    assert triptych.check(path, tmp_path / "out", ["fake"]) == []
    (tmp_path / "out" / "talk.fake.txt").write_text("nothing")
    assert len(triptych.check(path, tmp_path / "out", ["fake"])) == 5


# -- property: any content that loads passes through a writer that reflows it ---------------

_inline_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn"), blacklist_characters="\u2028\u2029\x85"),
    min_size=1, max_size=40,
).map(lambda s: " ".join(s.split())).filter(bool)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_inline_text, points=st.lists(_inline_text, min_size=1, max_size=4),
       notes=st.lists(_inline_text, max_size=3))
def test_any_content_passes_through_a_reflowing_writer(title, points, notes):
    import json

    notes_yaml = "".join(f"      {json.dumps(n)[1:-1]}\n\n" for n in notes if n.strip())
    source = (f"title: {json.dumps(title)}\nauthor: {{name: Someone}}\nsections:\n"
              f"  - title: {json.dumps(title)}\n    points: {json.dumps(points)}\n")
    if notes_yaml:
        source += "    notes: |\n" + notes_yaml
    try:
        talk = loads(source, "talk.yaml", Path("."), "talk")
    except Exception as err:  # content the loader refuses is not this test's business
        from triptych.errors import ContentError
        assert isinstance(err, ContentError)
        return
    text = _fake_render(talk).decode()
    haystack = parity.normalise(text)
    missing = [p for p in parity.family_pieces(talk, "handout") if not parity.find(parity.normalise(p.text), haystack)]
    assert missing == []


def test_a_paragraph_split_by_a_page_break_is_found(fake_writer, write_content, tmp_path):
    talk = load(write_content(MINIMAL + """    body: |
      A paragraph long enough to run over the bottom of one page and onto the next.
"""))
    pages = ["A SMALL TALK\nA paragraph long enough to run over the bottom of one",
             "page and onto the next.\nOne\nTwo\nFIRST THINGS\nby Ada Lovelace"]
    furniture = [f"A small talk\nPage {n} of 3" for n in (1, 2, 3)]
    out = tmp_path / "x.fake.txt"
    out.write_text(f"{pages[0]}\n{furniture[0]}\n\n{pages[1]}\n{furniture[1]}\n\n{furniture[2]}\n")
    paragraph = parity.normalise(talk.sections[0].body)
    assert paragraph not in parity.normalise(out.read_text())  # split by "A small talk / Page 1 of 3"
    assert parity.check(talk, {"fake": out}) == []
    # The furniture is looked past, never required: a lost body is still a miss.
    out.write_text(out.read_text().replace("page and onto the next.", ""))
    assert [p.field for p in parity.check(talk, {"fake": out})] == ["sections[0].body"]


@pytest.mark.parametrize("text, kept", [
    # header and footer on every page: gone, the pages joined
    ("Title\nbody one\nPage 1 of 3\n\nTitle\nbody two\nPage 2 of 3\n\nTitle\nbody three\nPage 3 of 3",
     "body one\nbody two\nbody three"),
    # form feeds separate pages when present; a bullet drawn alone at the edge goes too
    ("one\n\u2022\nP. 1\fmid\ndle\nP. 2\ftwo\nP. 3", "one\nmid\ndle\ntwo"),
    # a repeated line inside a page is content, not furniture
    ("a\nsame\nb\n\nc\nsame\nd\n\ne\nsame\nf",
     "a\nsame\nb\n\nc\nsame\nd\n\ne\nsame\nf".replace("\n\n", "\n")),
    # on two pages only: not furniture, and too few pages to tell
    ("Title\nx\n\nTitle\ny", "Title\nx\n\nTitle\ny"),
])
def test_without_furniture(text, kept):
    assert parity.without_furniture(text) == kept


# -- the real writers: build the sample once, then tamper with each kind of output ----------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample built once per output, each on its own so that one writer's failure
    fails only its own tests; (talk, {name: path or the build's problems})."""
    out = tmp_path_factory.mktemp("built")
    paths: dict = {}
    for name in available():
        [result] = build([SAMPLE], Options(out_dir=out, outputs=[name])).files
        paths[name] = result.checks[0].path if result.ok else "\n".join(map(str, result.problems))
    return load(SAMPLE), paths


def _built(built, name):
    """(talk, {name: path}) for one writer, failing with its build problems if it failed."""
    talk, paths = built
    if not isinstance(paths[name], Path):
        pytest.fail(f"the sample does not build with the {name} writer:\n{paths[name]}")
    return talk, paths


@pytest.mark.parametrize("name", available())
def test_the_sample_carries_every_piece(built, name):
    talk, paths = _built(built, name)
    [result] = parity.check_outputs(talk, {name: paths[name]})
    assert result.problems == []
    assert result.found == result.expected == len(parity.expected(talk, name)) > 0


def _copy(paths, name, tmp_path) -> Path:
    target = tmp_path / paths[name].name
    target.write_bytes(paths[name].read_bytes())
    return target


def without_multi_modal_item(html: str) -> str:
    """``html`` without the line of the sample's list item "Often **multi-modal**: ..."."""
    lines = html.split("\n")
    [hit] = [i for i, line in enumerate(lines) if line.strip().startswith("<li>Often <strong>multi-modal")]
    return "\n".join(lines[:hit] + lines[hit + 1:])


def multi_modal_missing(talk, target) -> str:
    """The message for that point missing from ``target``."""
    return f'{talk.path}:116: sections[3].points[3]: missing from {target}: "Often multi-modal: text, images, audio ..."'


def test_a_point_deleted_from_the_deck(built, tmp_path):
    talk, paths = _built(built, "deck")
    from pptx import Presentation

    target = _copy(paths, "deck", tmp_path)
    prs = Presentation(str(target))
    removed = 0
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for para in shape.text_frame.paragraphs:
                    if "".join(r.text for r in para.runs).startswith("Often multi-modal"):
                        para._p.getparent().remove(para._p)
                        removed += 1
    assert removed == 1
    prs.save(str(target))
    assert [str(p) for p in parity.check(talk, {"deck": target})] == [
        multi_modal_missing(talk, target)]


def test_a_paragraph_deleted_from_the_article(built, tmp_path):
    talk, paths = _built(built, "article")
    target = _copy(paths, "article", tmp_path)
    text = target.read_text(encoding="utf-8")
    paragraph = next(block for block in text.split("\n\n") if block.startswith("This piece looks at what each"))
    target.write_text(text.replace(paragraph + "\n\n", ""), encoding="utf-8")
    assert [str(p) for p in parity.check(talk, {"article": target})] == [
        f'{talk.path}:30: sections[0].body: missing from {target}: '
        f'paragraph 2 of 2: "This piece looks at what each one means, ..."']


def test_a_line_deleted_from_the_handout_html_before_it_is_rendered(built, tmp_path, monkeypatch):
    handout = writer("handout")
    from triptych.pipeline import load_context

    talk, _ = built
    original = handout.html

    def tampered(talk, ctx, views=None):
        # The point's list item on its slide card, whose lines the slide renderer drew.
        return re.sub(r'<li class="tp-p[^>]*>(?:(?!</li>).)*?multi-modal</b>(?:(?!</li>).)*</li>', "",
                      original(talk, ctx, views), count=1, flags=re.S)

    monkeypatch.setattr(handout, "html", tampered)
    target = tmp_path / "x.pdf"
    target.write_bytes(handout.render(talk, load_context(Options(), lambda message: None)))
    assert [str(p) for p in parity.check(talk, {"handout": target})] == [
        multi_modal_missing(talk, target)]


def test_a_point_deleted_from_the_page(built, tmp_path):
    talk, paths = _built(built, "page")
    target = _copy(paths, "page", tmp_path)
    target.write_text(without_multi_modal_item(target.read_text(encoding="utf-8")), encoding="utf-8")
    assert [str(p) for p in parity.check(talk, {"page": target})] == [
        multi_modal_missing(talk, target)]


def test_a_page_that_lost_its_visible_title(built, tmp_path):
    """The page's <title> holds the same words as its <h1>, but a reader never sees the
    <head>: without the <h1> the page has no visible title, and parity says so."""
    talk, paths = _built(built, "page")
    target = _copy(paths, "page", tmp_path)
    html = target.read_text(encoding="utf-8")
    assert html.count("<h1>") == 1 and f"<title>{talk.title}</title>" in html
    target.write_text(re.sub(r"<h1>.*?</h1>", "", html, flags=re.S), encoding="utf-8")
    assert [str(p) for p in parity.check(talk, {"page": target})] == [
        f'{talk.path}:8: title: missing from {target}: "{talk.title}"']


def test_a_post_that_lost_its_opening(built, tmp_path):
    talk, paths = _built(built, "post")
    target = _copy(paths, "post", tmp_path)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("are often used as", "are used as", 1), encoding="utf-8")
    assert [str(p) for p in parity.check(talk, {"post": target})] == [
        f'{talk.path}:20: summary: missing from {target}: ""LLM" and "foundation model" are often ..."']


# -- property: any content that builds passes its own check (the fast outputs) --------------

_words = st.lists(_inline_text, min_size=1, max_size=3).map(" ".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(title=_inline_text, summary=st.lists(_words, max_size=2), points=st.lists(_inline_text, min_size=1, max_size=4),
       body=st.lists(_words, max_size=2), cells=st.lists(_inline_text, min_size=2, max_size=2))
def test_any_content_that_builds_passes_its_own_check(tmp_path, title, summary, points, body, cells):
    import json

    from triptych.errors import ContentError
    from triptych.pipeline import load_context

    def block(name, paragraphs):
        text = "\n\n".join(p for p in paragraphs if p.strip())
        return f"{name}: {json.dumps(text)}\n" if text else ""

    source = (f"title: {json.dumps(title)}\nauthor: {{name: {json.dumps(title)}}}\n" + block("summary", summary)
              + f"sections:\n  - title: {json.dumps(title)}\n    points: {json.dumps(points)}\n"
              + "    " + block("body", body)
              + f"    table: {{columns: {json.dumps(cells)}, rows: [{json.dumps(cells[::-1])}]}}\n"
              + f"    quote: {{text: {json.dumps(points[0])}, by: {json.dumps(cells[0])}}}\n")
    try:
        talk = loads(source, "talk.yaml", tmp_path, "talk")
    except ContentError:
        return  # content the loader refuses never reaches a writer
    ctx = load_context(Options(), lambda message: None)
    for name in ("article", "page", "post"):
        module = writer(name)
        target = tmp_path / f"talk{REGISTRY[name].suffix}"
        try:
            target.write_bytes(module.render(talk, ctx))
        except ContentError:
            continue  # a writer may refuse content (a glyph no font has, say): not a parity case
        assert parity.check(talk, {name: target}) == [], (name, source)


LONG = """
title: "A talk with long sections"
author: {name: "Zoë O'Brien-Łukasiewicz"}
summary: 'With “smart quotes”, an apostrophe’s use -- and naïve café text...'
sections:
  - title: A long list
    points: %(points)s
    notes: %(notes)s
    body: %(body)s
  - title: A long table
    table:
      columns: [Name, Description, Word]
      rows: %(rows)s
  - title: Only in the room
    only: [deck]
    points: [Said aloud, never printed]
"""


#: The outputs made of slides or pages (those with a heavy writer): a long talk spills over them.
PAGED = [name for name in available() if output(name).imports]


@pytest.fixture(scope="module")
def long_built(tmp_path_factory):
    """A talk that spills: continuation slides, a table split with its header repeated,
    paragraphs broken across PDF pages, words longer than a column. Built once."""
    import json

    folder = tmp_path_factory.mktemp("long")
    values = {
        "points": json.dumps([f"Point {i} says something **fairly long** about the topic so that it wraps, "
                              f"see [the docs](https://example.org/a/long/path/{i})" for i in range(16)]),
        "notes": json.dumps("\n\n".join(f"Note {i}: the speaker says \"this\" -- and that... at some length, "
                                        "to fill the notes." for i in range(8))),
        # Each paragraph in its own words: lines that differ only in a number would look like
        # a running header to the furniture filter (a known limit of ``without_furniture``).
        "body": json.dumps("\n\n".join(f"Body paragraph {'ABCDEFGH'[i]} runs on to push the handout over page "
                                       f"breaks. " * 12 for i in range(8))),
        "rows": json.dumps([[f"Row {i}", f"Cell {i} is long enough to wrap in a narrow column of the table",
                             f"Pneumonoultramicroscopicsilicovolcanoconiosis{i}"] for i in range(18)]),
    }
    path = folder / "long.yaml"
    path.write_text(LONG % values, encoding="utf-8")
    results = {}
    for name in PAGED:
        [result] = build([path], Options(out_dir=folder / "out", outputs=[name])).files
        results[name] = result
    return load(path), results


@pytest.mark.parametrize("name", PAGED)
def test_a_talk_that_spills_over_slides_and_pages_passes(long_built, name):
    talk, results = long_built
    result = results[name]
    assert [str(p) for p in result.problems] == []
    [check] = result.checks
    assert check.found == check.expected == len(parity.expected(talk, name))
    only_in_deck = any(p.field.startswith("sections[2]") for p in parity.expected(talk, name))
    assert only_in_deck is (output(name).family == "deck")


def test_a_code_block_is_checked_line_by_line(write_content):
    talk = load(write_content(MINIMAL + """    notes: |
      Run it:

      ```bash
      pip install x

          echo "indented"
      ```
"""))
    notes = [p.text for p in parity.family_pieces(talk, "deck") if p.field == "sections[0].notes"]
    assert notes == ["Run it:", "pip install x", '    echo "indented"']
