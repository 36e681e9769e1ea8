"""``--import``: articles in Markdown and HTML become content files that load, build, and
carry every paragraph, list item, quote and table cell of the source."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as etree
from pathlib import Path

import lxml.html
import pytest

from triptych import markup
from triptych.cli import main
from triptych.errors import ContentError
from triptych.importer import MAX_MARKDOWN_BYTES, import_article
from triptych.importer.byline import parse_byline, parse_date
from triptych.importer.mapper import fences_are_code
from triptych.loader import load
from triptych.pipeline import Options, build

from conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "import"
#: The sample's source article, kept beside the repository (not in it: it is not ours).
SEED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared")
             if (p / "seed").is_dir()), ROOT) / "seed" / "llms-vs-foundation-models.txt"


def fold(text: str) -> str:
    return " ".join(text.split())


def article_text(md_path: Path) -> str:
    """The text a reader sees in a built article (its Markdown parsed back)."""
    tree = markup.document_tree(md_path.read_text(encoding="utf-8"))
    for pre in tree.iter("pre"):  # code is stored escaped ("&amp;&amp;"): read it as typed
        for node in pre.iter():
            node.text = markup.code_text(node.text) if node.text else node.text
    return fold("".join(tree.itertext()))


def markdown_pieces(path: Path) -> list[str]:
    """Every paragraph, list item (its own line), quote paragraph and table cell of a
    Markdown article, as a reader sees them; pictures and the article's end matter aside."""
    lines = path.read_text(encoding="utf-8").splitlines()
    # a closing "#Tag #Other" line is hashtags to a reader (and tags to the import), not a heading
    text = "\n".join(line for line in lines if not re.fullmatch(r"(#\S+\s*)+", line.strip()))
    tree = markup.document_tree(text)
    pieces = []
    for node in tree.iter():
        if node.tag == "pre":  # a listing: each of its lines, as typed
            pieces += [fold(line) for line in markup.code_text("".join(node.itertext())).split("\n") if line.strip()]
            continue
        if node.tag in ("p", "td", "th", "li", "h1", "h2", "h3"):
            own = [node.text or ""] + [fold(" ".join(c.itertext())) + (c.tail or "")
                                       for c in node if c.tag not in ("ul", "ol", "p")]
            text = fold(markup.code_text("".join(own)))
            if text and not text.startswith(("Originally published", "#", "By ")):
                pieces.append(text)
    return pieces


def html_pieces(path: Path) -> list[str]:
    """The same pieces read straight from a page's <article> with lxml."""
    article = lxml.html.parse(str(path)).getroot().find(".//article")
    pieces = []
    for node in article.iter("p", "li", "td", "th", "h1", "h2", "h3", "pre"):
        if node.tag == "pre":  # a listing: each of its lines, as typed
            pieces += [fold(line) for line in node.text_content().split("\n") if line.strip()]
            continue
        own = [node.text or ""] + [fold(c.text_content()) + (c.tail or "") for c in node if c.tag not in ("ul", "ol")]
        text = fold("".join(own))
        if text and not text.startswith(("Originally published", "#", "By ")):
            pieces.append(text)
    return pieces


def import_and_build(source: Path, tmp_path: Path) -> tuple[Path, str]:
    work = tmp_path / "in"
    shutil.copytree(source.parent, work, dirs_exist_ok=True)
    result = import_article(work / source.name, tmp_path / "content")
    report = build([result.path], Options(out_dir=tmp_path / "out", outputs=["article", "deck"], jobs=1))
    assert report.exit_status == 0, [str(p) for f in report.files for p in f.problems]
    return result.path, article_text(tmp_path / "out" / f"{result.path.stem}.md")


@pytest.mark.parametrize("name", ["field-notes.md", "no-headings.md", "saved-medium-page.html",
                                  "saved-medium-markup.html", "code-walkthrough.md"])
def test_round_trip_carries_every_piece_of_the_source(name, tmp_path):
    source = FIXTURES / name
    _, built = import_and_build(source, tmp_path)
    pieces = html_pieces(source) if source.suffix == ".html" else markdown_pieces(source)
    assert len(pieces) >= 4
    missing = [p for p in pieces if p not in built]
    assert not missing


def test_sample_source_text_round_trip(tmp_path):
    """The sample's source article (a LinkedIn post saved as text), written as Markdown."""
    if not SEED.exists():
        pytest.skip("the sample's source text is not beside the repository")
    lines = [fold(line) for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    end = next(k for k, line in enumerate(lines) if line.startswith("#"))
    md = [f"# {lines[0]}", f"By {lines[1]}", lines[2]]
    for line in lines[3:end]:
        if line == "领英推荐":  # LinkedIn's "recommended" label
            continue
        short = len(line) < 60 and not line.endswith((".", ":"))
        md.append(f"## {line}" if short else line)
    md.append(lines[end])
    (tmp_path / "src").mkdir()
    article = tmp_path / "src" / "genai.md"
    article.write_text("\n\n".join(md) + "\n", encoding="utf-8")
    path, built = import_and_build(article, tmp_path)
    talk = load(path)
    assert talk.author.name == "Ibby Rahmani"
    assert "LLMs" in talk.tags and len(talk.sections) == 4
    assert [p for p in markdown_pieces(article) if p not in built] == []


def test_saved_medium_page_mapping(tmp_path):
    path, _ = import_and_build(FIXTURES / "saved-medium-page.html", tmp_path)
    talk = load(path)
    assert (talk.title, talk.subtitle) == ("Why small teams ship faster", "Fewer handoffs, shorter queues, clearer ownership")
    assert (talk.author.name, str(talk.date)) == ("Dana Reyes", "2026-05-12")
    assert talk.tags == ("Teams", "Productivity", "Management")
    assert talk.canonical_url == "https://danareyes.example.org/small-teams"
    assert talk.summary.startswith("Small teams deliver more per person")
    titles = [s.title for s in talk.sections]
    assert titles == ["Handoffs cost more than they look", "Queues, measured", "What the founders said",
                      "Code that shows the arithmetic"]
    first = talk.sections[0]
    assert [p.text for p in first.points] == ["Each handoff adds a queue", "Queues hide work in progress",
                                              "Context decays in days, not weeks"]
    assert [p.text for p in first.points[1].points] == ["Tickets waiting for review", "Designs waiting for sign-off",
                                                        "Legal sign-off in particular"]
    assert talk.sections[1].table.columns == ("Team", "People", "Median lead time")
    assert talk.sections[1].table.rows[1] == ("Borealis", "14", "9 days")
    assert (talk.sections[2].quote.text, talk.sections[2].quote.by) == (
        "If a team cannot be fed with two pizzas, it is too large.", "Jeff Bezos")
    image = talk.sections[3].image
    assert (image.src, image.alt, image.caption) == ("images/queue.png", "A queue of tickets between two desks",
                                                     "Work waits between steps")
    assert (tmp_path / "content" / "images" / "queue.png").read_bytes() == (FIXTURES / "images" / "queue.png").read_bytes()
    # the section's first code block is its code part; the paragraph after it stays in the body
    code = talk.sections[3].code
    assert (code.lang, code.text) == ("python", "def pairs(n):\n    return n * (n - 1) // 2")
    assert talk.sections[3].body == "Run it for 5 and 15 and the gap is plain."
    text = path.read_text(encoding="utf-8")
    assert "# review: the section's first code block is its code: part" in text
    # the page's chrome: navigation, share bar, comments, "more from", forms, scripts, styles
    for chrome in ("Sign in", "Share on", "Copy link", "Great article", "More from", "retrospective",
                   "Subscribe", "analytics", "font:", "About", "Responses"):
        assert chrome not in text
    assert "# review: remote image not fetched: https://cdn-images.medium.com/max/800/abc.png" in text


def test_markdown_mapping_keeps_headings_code_and_second_list_in_the_body(tmp_path):
    path, _ = import_and_build(FIXTURES / "field-notes.md", tmp_path)
    talk = load(path)
    setup = talk.sections[0]
    assert "### Tools we tried" in setup.body and "1. A headset with a boom microphone" in setup.body
    assert [p.text for p in setup.points[1].points] == ["Break at 45 minutes", "Swap the driver at each break"]
    assert talk.sections[2].quote.by == "Marco Bellini"
    assert "> Nobody reads the log, until they need it." in talk.sections[2].body
    assert talk.canonical_url == "https://priya.example.org/remote-pairing"
    assert talk.tags == ("RemoteWork", "Pairing", "Engineering")


def test_a_sections_first_code_block_is_its_code_part_with_its_caption(tmp_path, capsys):
    path, built = import_and_build(FIXTURES / "code-walkthrough.md", tmp_path)
    talk = load(path)
    first, second = talk.sections
    assert (first.code.lang, first.code.caption) == ("python", "One decorator, one network call per currency")
    assert "\n\n\n@lru_cache(maxsize=256)" in first.code.text and "\treturn fetch_rates" in first.code.text
    assert first.body.startswith("The cache lives") and "```js\nconst rates = new Map();\n```" in first.body
    assert second.code.lang == "text" and second.code.text == "graph LR; request --> cache --> origin"
    assert [p.text for p in second.points] == ["Check the cache first", "Fall back to the origin",
                                               "Store what came back"]
    text = path.read_text(encoding="utf-8")
    # A literal block, tabs as typed (PyYAML alone wrote it as one escaped line, "...\\n\\treturn ...").
    assert "      text: |-\n" in text and "\n        \treturn fetch_rates" in text
    assert "# review: the section's first code block is its code: part" in text
    assert "# review: its language (mermaid) is not one the highlighter knows: set lang" in text
    assert "One decorator, one network call per currency" in built  # the caption, under the listing
    main(["--import", str(FIXTURES / "code-walkthrough.md"), "--content", str(tmp_path / "again")])
    assert "2 code listing(s) for slides, 1 code block(s) in the body" in capsys.readouterr().out


def test_guesses_are_marked_for_review_and_printed(tmp_path, capsys):
    shutil.copy(FIXTURES / "no-headings.md", tmp_path / "note.md")
    assert main(["--import", str(tmp_path / "note.md"), "--content", str(tmp_path / "content")]) == 0
    out = capsys.readouterr().out
    text = (tmp_path / "content" / "note.yaml").read_text(encoding="utf-8")
    reviews = [line.strip() for line in text.splitlines() if line.strip().startswith("# review:")]
    assert len(reviews) == 3 and "3 guess(es) to review" in out
    for line in re.findall(r"note\.yaml:(\d+): ", out):  # each printed line number points at its comment
        assert text.splitlines()[int(line) - 1].strip().startswith("# review:")
    assert "first sentences became its points" in out and "put the author's name here" in out
    assert text.startswith("# Imported from note.md by triptych --import: check the lines marked review.\n")


def test_an_import_with_nothing_to_review_does_not_ask_for_a_review(tmp_path, capsys):
    # Its first line said "check the lines marked review" over a file with no such line.
    (tmp_path / "clean.md").write_text("# A title\n\nBy Ada Lovelace · 12 May 2026\n\nThe lead.\n\n"
                                       "## One\n\n- first\n- second\n", encoding="utf-8")
    assert main(["--import", str(tmp_path / "clean.md"), "--content", str(tmp_path / "content")]) == 0
    assert "to review" not in capsys.readouterr().out
    text = (tmp_path / "content" / "clean.yaml").read_text(encoding="utf-8")
    assert "review" not in text and text.startswith("# Imported from clean.md by triptych --import.\n")


def test_existing_content_file_is_not_overwritten_without_force(tmp_path, capsys):
    shutil.copy(FIXTURES / "no-headings.md", tmp_path / "note.md")
    target = tmp_path / "content" / "note.yaml"
    target.parent.mkdir()
    target.write_text("keep me\n")
    args = ["--import", str(tmp_path / "note.md"), "--content", str(tmp_path / "content")]
    assert main(args) == 2
    assert "note.yaml: already exists; pass --force to overwrite it" in capsys.readouterr().err
    assert target.read_text() == "keep me\n"
    assert main([*args, "--force"]) == 0
    assert load(target).title == "A short note on naming things"


@pytest.mark.parametrize("src, message", [
    ("../outside.png", "outside the article's folder"),
    ("/etc/hosts", "is not a file beside the article"),
    ("images/missing.png", "not found beside the article"),
    ("https://example.org/x.png", "remote image not fetched: https://example.org/x.png"),
    ("notes.md", "is not a PNG, JPEG or GIF"),
])
def test_images_outside_or_unusable_are_left_out_with_a_comment(src, message, tmp_path):
    (tmp_path / "outside.png").write_bytes((FIXTURES / "images" / "queue.png").read_bytes())
    folder = tmp_path / "article"
    folder.mkdir()
    (folder / "notes.md").write_text(f"# T\n\nBy A B\n\n## S\n\nText.\n\n![A picture]({src})\n")
    result = import_article(folder / "notes.md", tmp_path / "content")
    text = result.path.read_text(encoding="utf-8")
    assert f"# review: " in text and message in text
    assert "image:" not in text and not (tmp_path / "content" / "images").exists()


def test_refused_inputs_exit_2_naming_the_file(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.txt").write_text("hello")
    assert main(["--import", str(tmp_path / "a.txt"), "--content", str(tmp_path / "c")]) == 2
    assert "a.txt: cannot import .txt files" in capsys.readouterr().err
    (tmp_path / "big.md").write_text("# T\n\n" + "word " * (MAX_MARKDOWN_BYTES // 5))
    assert main(["--import", str(tmp_path / "big.md"), "--content", str(tmp_path / "c")]) == 2
    assert "big.md: is" in capsys.readouterr().err and not (tmp_path / "c").exists()
    (tmp_path / "empty.html").write_text("<html><body><nav>Home</nav><script>x()</script></body></html>")
    assert main(["--import", str(tmp_path / "empty.html"), "--content", str(tmp_path / "c")]) == 2
    assert "empty.html: found no article" in capsys.readouterr().err


def test_scripts_styles_forms_and_unsafe_links_never_reach_the_content(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("""<html><head><link rel="canonical" href="https://blog.example.org/p"></head><body><article>
        <h1>Safe</h1><p>By Kim Lee · 2026-01-05</p>
        <p>Lead paragraph that is long enough to be the article's text for the extractor to keep.</p>
        <h2>Part</h2>
        <p>Text with <a href="javascript:alert(1)">a bad link</a>, <a href="/rel">a relative one</a>
        and <script>steal()</script><style>p{}</style><form><input value="secret"></form> the end.</p>
        <p><img src="x.png" onerror="alert(1)"></p>
        </article></body></html>""")
    result = import_article(page, tmp_path / "content")
    text = result.path.read_text(encoding="utf-8")
    for bad in ("javascript", "steal", "p{}", "secret", "onerror"):
        assert bad not in text
    talk = load(result.path)
    assert "[a relative one](https://blog.example.org/rel)" in talk.sections[0].body
    assert "a bad link" in talk.sections[0].body
    assert "image 'x.png' not found beside the article; left out" in text


def test_a_short_list_of_the_article_is_kept(tmp_path):
    # readability drops a list of under 25 characters as clutter: these points vanished.
    page = tmp_path / "p.html"
    page.write_text("""<html><body><nav><ul><li><a href="/">Home</a></li></ul></nav><article>
        <h1>Go tips for tired people</h1><p>By Kim Ode</p>
        <p>Go is small. Here are three habits that keep it that way, for teams of any size.</p>
        <h2>Errors are values</h2>
        <p>Handle them where they happen, every single time, and wrap them with context.</p>
        <ul><li>Return early</li><li>Wrap with <code>%w</code></li></ul>
        <h2>Small packages</h2>
        <p>One package, one idea. A package that needs a long name is two packages.</p>
        <ul><li><a href="https://example.org/a">Tag A</a></li><li><a href="https://example.org/b">Tag B</a></li></ul>
        </article></body></html>""")
    talk = load(import_article(page, tmp_path / "content").path)
    assert [p.text for p in talk.sections[0].points] == ["Return early", "Wrap with `%w`"]
    text = (tmp_path / "content" / "p.yaml").read_text(encoding="utf-8")
    assert "Home" not in text and "Tag A" not in text


@pytest.mark.parametrize("text, expected", [
    ("By Dana Reyes · 12 May 2026", ("Dana Reyes", "2026-05-12")),
    ("Dana Reyes · Follow · 5 min read · May 12, 2026", ("Dana Reyes", "2026-05-12")),
    ("By Kim Lee", ("Kim Lee", "")),
    ("Published on Oct 14th, 2024", ("", "2024-10-14")),
    ("We paired remotely for twelve months.", ("", "")),
    ("By the way, this is a sentence · with a dot", ("", "")),
])
def test_bylines(text, expected):
    assert parse_byline(text) == expected


def test_dates_that_are_not_real_are_not_dates():
    assert parse_date("31 February 2026") == "" and parse_date("2026-13-01") == ""


def test_one_markdown_parser_reads_articles():
    tree = markup.document_tree("# T\n\n```python\nx = '<a>' & 1\n```\n\n| a |\n|---|\n| b |\n")
    assert [c.tag for c in tree] == ["h1", "pre", "table"]
    assert markup.code_text(tree[1][0].text) == "x = '<a>' & 1\n"
    assert tree[1][0].get("class") == "language-python"
    assert etree.tostring(tree[2], encoding="unicode").count("<td>") == 1


def test_markdown_front_matter_states_title_author_date_tags(tmp_path):
    (tmp_path / "fridays.md").write_text("""---
title: "Shipping on Fridays: a defence"
description: Why the ban hides the real problem
author:
  name: Sam Okafor
date: 2025-11-21T09:00:00+01:00
tags: [devops, release-engineering]
canonical_url: /not/absolute
evil: !!python/object/apply:os.system ["echo hacked"]
---

Teams that cannot ship on a Friday cannot ship safely on a Monday either.

## The ban

- It moves risk to Monday
""", encoding="utf-8")
    talk = load(import_article(tmp_path / "fridays.md", tmp_path / "content").path)
    assert (talk.title, talk.subtitle, talk.author.name, str(talk.date)) == (
        "Shipping on Fridays: a defence", "Why the ban hides the real problem", "Sam Okafor", "2025-11-21")
    assert talk.tags == ("devops", "release-engineering") and talk.canonical_url == ""
    assert talk.summary.startswith("Teams that cannot ship") and [s.title for s in talk.sections] == ["The ban"]


def test_medium_markup_byline_tags_pictures_and_code(tmp_path):
    """Medium's own markup: a byline spread over spans with a Follow button and a read time,
    the picture inside <picture>, code lines broken by <br>, tag links below the article."""
    path, _ = import_and_build(FIXTURES / "saved-medium-markup.html", tmp_path)
    talk = load(path)
    assert (talk.author.name, str(talk.date)) == ("Dana Reyes", "2026-05-12")
    assert talk.tags == ("Teams", "SoftwareDevelopment")
    code = talk.sections[0].code  # the code block, its lines broken by <br>, is the section's code part
    assert code.text == "def pairs(n):\n    return n * (n - 1) // 2"
    text = path.read_text(encoding="utf-8")
    assert "# review: remote image not fetched: https://miro.medium.com/v2/resize:fit:700/1*abc.png" in text
    for chrome in ("Follow", "Listen", "Share", "min read", "Great piece", "More from", "Search", "Write"):
        assert chrome not in text


def test_long_headings_and_unusable_tables_keep_their_text_in_the_body(tmp_path):
    long = "A heading *that* goes on " + "and on " * 60
    (tmp_path / "long.md").write_text(f"# T\n\nBy A B\n\n## {long}\n\nText.\n\n| only |\n| --- |\n\n"
                                      "## Two tables\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n| c |\n|---|\n| 3 |\n")
    result = import_article(tmp_path / "long.md", tmp_path / "content")
    talk = load(result.path)
    first, second = talk.sections
    assert len(first.title) <= 300 and first.title.endswith("…")
    assert markup.to_plain(first.body.split("\n\n")[0]) == fold(long.replace("*", ""))
    assert second.table.rows == (("1", "2"),) and "- c: 3" in second.body
    messages = [r.message for r in result.reviews]
    assert any("too long for a title" in m for m in messages)
    assert any("another was written in the body" in m for m in messages)


def test_list_items_with_inline_formatting_become_points(tmp_path):
    """Bold, italic, code and links in a tight list's items are one line each: points,
    their formatting kept (they once sent the whole list to the body as 'long items')."""
    (tmp_path / "tips.md").write_text("# T\n\nBy A B\n\nLead.\n\n## Indexes\n\n"
                                      "- Check `pg_stat_user_indexes` first\n"
                                      "- Partial indexes for **hot** rows\n"
                                      "  - e.g. *open* orders, see [docs](https://example.org)\n"
                                      "- Drop what you don't use\n", encoding="utf-8")
    result = import_article(tmp_path / "tips.md", tmp_path / "content")
    (section,) = load(result.path).sections
    assert [p.text for p in section.points] == [
        "Check `pg_stat_user_indexes` first", "Partial indexes for **hot** rows", "Drop what you don't use"]
    assert [s.text for s in section.points[1].points] == ["e.g. *open* orders, see [docs](https://example.org)"]
    assert section.body == "" and result.reviews == ()


def test_a_quote_whose_last_source_line_names_its_author_is_the_quote(tmp_path):
    """'> text' then '> — Name' on the next line (a soft break, as most people type it) is a
    quote by Name, as one ending in a hard break is."""
    (tmp_path / "q.md").write_text("# T\n\nBy A B\n\nLead.\n\n## Vacuum\n\n"
                                   "> Vacuum is not a chore;\n> it is how Postgres keeps its *promises*.\n"
                                   "> — Someone wise\n", encoding="utf-8")
    (section,) = load(import_article(tmp_path / "q.md", tmp_path / "content").path).sections
    assert section.quote is not None and section.body == ""
    assert (section.quote.text, section.quote.by) == (
        "Vacuum is not a chore; it is how Postgres keeps its *promises*.", "Someone wise")


def test_a_list_that_stays_in_the_body_is_not_called_no_list(tmp_path):
    """A section whose list cannot be points gets its sentences as points; the two review
    lines agree (the second once said the section had no list)."""
    item = "A long item that goes on " + "and on " * 50
    (tmp_path / "long-items.md").write_text(f"# T\n\nBy A B\n\nLead.\n\n## S\n\nFirst sentence. Second one.\n\n"
                                            f"- {item}\n- short\n", encoding="utf-8")
    result = import_article(tmp_path / "long-items.md", tmp_path / "content")
    assert [r.message for r in result.reviews] == [
        "a list with long or multi-paragraph items stayed in the body",
        "the section has no list that can be points: its first sentences became its points"]


def test_a_hashtag_with_an_emoji_is_imported_without_it(tmp_path):
    # a content file refuses an emoji in a tag (a hashtag ends at one): the import leaves it out
    source = tmp_path / "launch.md"
    source.write_text("# Launch day\n\nWe shipped.\n\n## What we did\n\nWe did it.\n\n#\U0001f680Launch #Teams\n",
                      encoding="utf-8")
    talk = load(import_article(source, tmp_path / "content").path)
    assert talk.tags == ("Launch", "Teams")
