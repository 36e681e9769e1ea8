"""One test per loader rule (the list in triptych/loader.py's docstring), each asserting the
exact messages and lines, so taking a rule out fails its test.

Cases are ``(yaml, expected)``: ``expected`` is every problem the file must produce, in
order, as ``LINE: field: message`` (the ``c.yaml:`` prefix added by the helper)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import textwrap
import time
from pathlib import Path

import pytest

from triptych.errors import ContentError
from triptych.folder import closest_file
from triptych.loader import MAX_FILE_BYTES, PARTS, SECTION, TALK, load, loads, slugify
from triptych.model import LAYOUTS, Section, Talk

from conftest import MINIMAL, SAMPLE

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d"
                    "4944415478da63f8cfc0f01f0005000201a0e5e1e50000000049454e44ae426082")

HEAD = "title: T\nauthor: {name: A}\nsections:\n  - title: S\n"  # sections[0] at line 4


def problems(text: str | bytes, folder: Path | None = None) -> list[str]:
    """The messages ``text`` produces, without the file name; [] when it loads."""
    raw = textwrap.dedent(text).lstrip("\n") if isinstance(text, str) else text
    try:
        loads(raw, "c.yaml", folder or Path("/nonexistent"), "c")
    except ContentError as err:
        assert all(str(p).startswith("c.yaml") for p in err.problems)
        return [str(p)[len("c.yaml:"):] if str(p).startswith("c.yaml:") else str(p) for p in err.problems]
    return []


RULES = {
    # YAML syntax
    "tab indent": ("title: T\nauthor:\n\tname: A\nsections:\n  - title: S\n",
                   ["3: YAML syntax: found character that cannot start any token (while scanning for the next "
                    "token); indent with spaces, not tabs"]),
    "unclosed quote": ('title: "T\nauthor: {name: A}\nsections:\n  - title: S\n',
                       ['1: YAML syntax: unclosed quote "T (it runs on to the end of the file); end it with " on this line']),
    "unclosed quote, another one later": ('title: "Vector databases\nauthor: {name: A}\ndate: "2024-10-14"\n'
                                          'sections:\n  - title: S\n',
                                          ['1: YAML syntax: unclosed quote "Vector databases (it runs on to line 3); '
                                           'end it with " on this line']),
    "unclosed single quote in a section": (HEAD + "    points:\n      - 'one\n      - two\n  - title: 'U'\n",
                                           ["6: YAML syntax: unclosed quote 'one (it runs on to line 8); "
                                            "end it with ' on this line"]),
    "quoted text over lines is fine": ('title: T\nsummary: "one\n  two"\nauthor: A\nsections:\n  - title: S\n', []),
    "unclosed bracket": ("title: T\ntags: [a, b\nauthor: {name: A}\nsections:\n  - title: S\n",
                         ["2: YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence); "
                          "a '[' list is not closed with ']' (it opens on this line and is still open at line 3)"]),
    "unquoted colon": ("title: T: the sequel\nauthor: A\nsections:\n  - title: S\n",
                       ["1: YAML syntax: mapping values are not allowed in this context; quote text that contains ': '"]),
    "key indented too far": (HEAD + "     points: [a]\n",
                             ["5: YAML syntax: 'points:' is indented 5 spaces, deeper than 'title:' on line 4 "
                              "(4 spaces); keys of one mapping line up: indent it as far as the one it belongs with"]),
    "two documents": (HEAD + "---\ntitle: U\n", ["5: YAML: only one document per file (remove '---')"]),
    # duplicate keys
    "duplicate key": (HEAD + "title: U\n", ["5: title: duplicate key (first set at line 1); keep one"]),
    "duplicate nested key": (HEAD + "    points: [a]\n    points: [b]\n",
                             ["6: sections[0].points: duplicate key (first set at line 5); keep one"]),
    # wrong types
    "list for text": ("title: [a, b]\nauthor: A\nsections:\n  - title: S\n",
                      ["1: title: expected text, found a list"]),
    "mapping for list": (HEAD + "    points: {a: b}\n",
                         ["5: sections[0].points: expected a list, found a mapping (key: value lines)"]),
    "text for mapping": (HEAD + "    quote: wise words\n",
                         ["5: sections[0].quote: expected a mapping (key: value lines), found text; its keys are "
                          "text, by"]),
    "list for mapping": (HEAD + "    compare:\n      - [a, b]\n      - {title: c}\n",
                         ["6: sections[0].compare[0]: expected a mapping (key: value lines), found a list; its keys "
                          "are title, points"]),
    "list for author": ("title: T\nauthor: [A]\nsections:\n  - title: S\n",
                        ["2: author: expected a mapping (key: value lines), found a list; its keys are name, role, "
                         "url (or the name alone, as text)"]),
    "text for list": (HEAD + "    points: a, b\ntags: DevOps\n",
                      ["5: sections[0].points: expected a list, found text; write [a, b], or each item on a line "
                       "of its own after '- '",
                       "6: tags: expected a list, found text; write [DevOps], or each item on a line of its own "
                       "after '- '"]),
    # "write [#AI]" was advice YAML reads as '[' and a comment: the list never closes
    "text for list, quoted where YAML needs it": (HEAD + "tags: '#AI, ML: basics'\n",
                                                  ["5: tags: expected a list, found text; write ['#AI', 'ML: basics'], "
                                                   "or each item on a line of its own after '- '"]),
    "file is a list": ("- a\n- b\n", ["1: (file): expected a mapping (key: value lines), found a list"]),
    "key not text": (HEAD + "? [a]\n: b\n", ["5: (file): a key must be plain text"]),
    # unknown keys
    "unknown key, close": (HEAD + "subtitel: x\n", ["5: subtitel: unknown key 'subtitel'; did you mean 'subtitle'?"]),
    "unknown key, far": (HEAD + "colour: red\n",
                         ["5: colour: unknown key 'colour'; known keys: title, subtitle, author, date, lang, tags, "
                          "canonical_url, source, summary, theme, sections"]),
    "unknown section key": (HEAD + "    note: x\n",
                            ["5: sections[0].note: unknown key 'note'; did you mean 'notes'?"]),
    "output that follows another": (HEAD + "    only: [slides, page, post]\n",
                                    ["5: sections[0].only[0]: unknown output 'slides'; it shows the sections the "
                                     "deck shows: write 'deck'",
                                     "5: sections[0].only[1]: unknown output 'page'; it shows the sections the "
                                     "article shows: write 'article'",
                                     "5: sections[0].only[2]: unknown output 'post'; it shows the sections the "
                                     "article shows: write 'article'"]),
    "unknown output": (HEAD + "    only: [deck, articel]\n",
                       ["5: sections[0].only[1]: unknown output 'articel'; did you mean 'article'?"]),
    # dates
    "impossible date": (HEAD + "date: 2024-02-30\n",
                        ["5: date: '2024-02-30' is not a real date (day is out of range for month)"]),
    "not ISO date": (HEAD + "date: 3/4/2024\n", ["5: date: '3/4/2024' is not an ISO date; write YYYY-MM-DD"]),
    # required fields
    "nothing required": ("subtitle: x\n", ["1: title: is required", "1: author: is required",
                                           "1: sections: is required"]),
    "empty title": ("title: ''\nauthor: A\nsections:\n  - title: S\n",
                    ["1: title: is required and must not be empty"]),
    "author without name": ("title: T\nauthor: {role: x}\nsections:\n  - title: S\n",
                            ["2: author.name: is required"]),
    "section without title": ("title: T\nauthor: A\nsections:\n  - points: [a]\n",
                              ["4: sections[0].title: is required"]),
    # sections
    "empty sections": ("title: T\nauthor: A\nsections: []\n", ["3: sections: needs at least one section"]),
    "blank sections": ("title: T\nauthor: A\nsections:\n", ["3: sections: needs at least one section"]),
    "duplicate id": (HEAD + "    id: s\n  - title: T\n    id: s\n",
                     ["7: sections[1].id: id 's' is already used by sections[0]; ids must be unique"]),
    "id not a slug": (HEAD + "    id: Intro Part\n",
                      ["5: sections[0].id: 'Intro Part' is not a slug; use lowercase letters, digits and '-' "
                       "(e.g. 'intro-part')"]),
    # line breaks
    "line break, quoted": ('title: "a\\nb"\nauthor: A\nsections:\n  - title: S\n',
                           ["1: title: must be one line; remove the line break (use a block field such as body "
                            "for prose)"]),
    "line break, block": (HEAD + "    points:\n      - |\n        one\n        two\n",
                          ["6: sections[0].points[0]: must be one line; remove the line break (use a block field "
                           "such as body for prose)"]),
    # shapes
    "row width": (HEAD + "    table: {columns: [a, b], rows: [[1]]}\n",
                  ["5: sections[0].table.rows[0]: has 1 cell; the table has 2 columns"]),
    "compare one side": (HEAD + "    compare: [{title: a}]\n",
                         ["5: sections[0].compare: has 1 side; a comparison has exactly two"]),
    "empty points": (HEAD + "    points: []\n",
                     ["5: sections[0].points: needs at least one point; list them, or leave points out"]),
    "blank points": (HEAD + "    points:\n",
                     ["5: sections[0].points: needs at least one point; list them, or leave points out"]),
    "empty sub-points": (HEAD + "    points:\n      - text: a\n        points: []\n",
                         ["7: sections[0].points[0].points: needs at least one point; list them, or leave points out"]),
    "empty compare side": (HEAD + "    compare: [{title: a, points: [x]}, {title: b, points: []}]\n",
                           ["5: sections[0].compare[1].points: needs at least one point; list them, or leave "
                            "points out"]),
    "points nest once": (HEAD + "    points:\n      - text: a\n        points:\n          - text: b\n",
                         ["8: sections[0].points[0].points[0]: points nest one level only; make this a plain point"]),
    "tag with hash": (HEAD + "tags: ['#AI']\n",
                      ["5: tags[0]: write the tag without '#' ('AI'); it is added where needed"]),
    "tag with emoji": (HEAD + "tags: [\"\U0001f680Launch\", \"\U0001f525\"]\n",
                       ["5: tags[0]: a tag cannot hold an emoji (\U0001f680); hashtags end at one: try 'Launch'",
                        "5: tags[1]: a tag cannot hold an emoji (\U0001f525); hashtags end at one"]),
    "lang": (HEAD + "lang: english!\n",
             ["5: lang: 'english!' is not a BCP 47 language tag such as en, en-GB or pt-BR"]),
    "url": (HEAD + "canonical_url: example.org/x\n",
            ["5: canonical_url: 'example.org/x' is not an absolute http(s) URL"]),
    # YAML is data
    "tag": ("title: !!python/object/apply:os.system [echo hi]\nauthor: A\nsections:\n  - title: S\n",
            ["1: YAML tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed; content is plain data",
             "1: title: expected text, found a list"]),
    "local tag": ("title: !shout T\nauthor: A\nsections:\n  - title: S\n",
                  ["1: YAML tags (!shout) are not allowed; content is plain data"]),
    "anchor and alias": ("title: &t T\nauthor: *t\nsections:\n  - title: S\n",
                         ["1: YAML anchors (&t) are not allowed",
                          "2: YAML aliases (*t) are not allowed; write the value out",
                          "2: author.name: is required and must not be empty"]),
    # size caps
    "one-line cap": ("title: " + "x" * 301 + "\nauthor: A\nsections:\n  - title: S\n",
                     ["1: title: is 301 characters long; at most 300 are allowed"]),
    "block cap": (HEAD + "    body: " + "x" * 20_001 + "\n",
                  ["5: sections[0].body: is 20001 characters long; at most 20000 are allowed"]),
    "quote cap": (HEAD + "    quote: {text: " + "x" * 1001 + "}\n",
                  ["5: sections[0].quote.text: is 1001 characters long; at most 1000 are allowed"]),
    "brackets": (HEAD + "    body: '" + "[" * 4000 + "'\n",
                 ["5: sections[0].body: has 4000 '[' characters; at most 500 are allowed"]),
    "bracket cost": (HEAD + "    body: '" + "[" * 400 + "a" * 1000 + "'\n",
                     ["5: sections[0].body: has a paragraph with too many '[' for its length to read in reasonable "
                      "time; split it into shorter paragraphs or remove stray '['"]),
    # characters
    "escaped control": ('title: "a\\x07b"\nauthor: A\nsections:\n  - title: S\n',
                        ["1: title: contains control or non-characters (U+0007); remove them"]),
    "raw control": ("title: T\nauthor: A\nsections:\n  - title: S\n    body: |\n      one\x0btwo\n",
                    ["5: sections[0].body: contains control or non-characters (U+000B); remove them"]),
    "raw C1 control in a point": (HEAD + "    points: [ok, \"bad\x9b\"]\n",
                                  ["5: sections[0].points[1]: contains control or non-characters (U+009B); "
                                   "remove them"]),
    "control in a comment": (HEAD + "# note\x07\n", ["5: control character U+0007 is not allowed; remove it"]),
    "control in a key": (HEAD + "ti\x01tle: x\n",
                         ["5: ti\ufdd0tle: unknown key 'ti\ufdd0tle'; did you mean 'title'?",
                          "5: control or non-characters (U+0001) are not allowed; remove them"]),
    "non-character": ('title: T\nauthor: A\nsections:\n  - title: "S\\uFFFE"\n',
                      ["4: sections[0].title: contains control or non-characters (U+FFFE); remove them"]),
    "raw non-character": ("title: T\nauthor: A\nsections:\n  - title: S\ufdd0\n",
                          ["4: sections[0].title: contains control or non-characters (U+FDD0); remove them"]),
    "plane-end non-character": ('title: T\nauthor: A\nsections:\n  - title: "S\\U0010FFFF"\n',
                                ["4: sections[0].title: contains control or non-characters (U+10FFFF); remove them"]),
    "tab in a one-line field": ('title: "a\\tb"\nauthor: A\nsections:\n  - title: S\n',
                                ["1: title: contains control or non-characters (U+0009); remove them"]),
    # links
    "javascript link": (HEAD + "    points: ['[x](javascript:alert(1))']\n",
                        ["5: sections[0].points[0]: link scheme 'javascript:' is not allowed; use http, https, mailto"]),
    "JaVaScRiPt link": (HEAD + "    points: ['[x](JaVaScRiPt:alert(1))']\n",
                        ["5: sections[0].points[0]: link scheme 'javascript:' is not allowed; use http, https, mailto"]),
    "data link": (HEAD + "    notes: '[x](data:text/html,<b>hi</b>)'\n",
                  ["5: sections[0].notes: link scheme 'data:' is not allowed; use http, https, mailto"]),
    "file link": (HEAD + "    body: '[x](file:///etc/passwd)'\n",
                  ["5: sections[0].body: link scheme 'file:' is not allowed; use http, https, mailto"]),
    "reference link": (HEAD + "    body: |\n      [x][1]\n\n      [1]: javascript:alert(1)\n",
                       ["5: sections[0].body: link scheme 'javascript:' is not allowed; use http, https, mailto"]),
    "angle link": (HEAD + "    points: ['[x](<javascript:alert(1)>)']\n",
                   ["5: sections[0].points[0]: link scheme 'javascript:' is not allowed; use http, https, mailto"]),
    "relative link": (HEAD + "    points: ['[x](../secret.txt)']\n",
                      ["5: sections[0].points[0]: link '../secret.txt' is not a full URL; write http://, https:// "
                       "or mailto:"]),
    "markdown image": (HEAD + "    points: ['![x](https://example.org/a.png)']\n",
                       ["5: sections[0].points[0]: Markdown images are not allowed here; use the section's image: "
                        "field"]),
    "link without text": (HEAD + "    points: ['see [ ](https://example.org)']\n",
                          ["5: sections[0].points[0]: link to 'https://example.org' has no text; write the words a "
                           "reader should see, e.g. [the full report](https://example.org/report)"]),
    "link in a table cell": (HEAD + "    table: {columns: [a], rows: [['[x](javascript:1)']]}\n",
                             ["5: sections[0].table.rows[0][0]: link scheme 'javascript:' is not allowed; use http, "
                              "https, mailto"]),
}


@pytest.mark.parametrize("name", RULES)
def test_rule(name):
    text, expected = RULES[name]
    assert problems(text) == expected


def test_every_problem_in_a_file_is_reported_at_once():
    text = """
        title: |
          two
          lines
        author: {nam: A}
        date: 2024-13-01
        sections:
          - title: ''
            points: ['[x](javascript:1)']
            table: {columns: [a, b], rows: [[1]]}
        """
    assert problems(text) == [
        "1: title: must be one line; remove the line break (use a block field such as body for prose)",
        "4: author.nam: unknown key 'nam'; did you mean 'name'?",
        "5: date: '2024-13-01' is not a real date (month must be in 1..12)",
        "7: sections[0].title: is required and must not be empty",
        "8: sections[0].points[0]: link scheme 'javascript:' is not allowed; use http, https, mailto",
        "9: sections[0].table.rows[0]: has 1 cell; the table has 2 columns",
    ]


def test_a_list_item_indented_too_far_builds_with_a_warning_at_its_line():
    # YAML reads "   - two" (one space deeper than the "- " above it) as more of "one":
    # it used to merge silently into the point above.
    talk = loads(HEAD + "    points:\n      - one\n       - two\n      - three\n    body: Text\n      - a\n",
                 "c.yaml", Path("/nonexistent"), "c")
    assert [p.text for p in talk.sections[0].points] == ["one - two", "three"]
    assert [str(n) for n in talk.notices] == [
        "c.yaml:7: sections[0].points[0]: this line starts with '- ' but is read as more of the item above it "
        "(\"one - two\"): it is indented deeper than that item's '- '; line the two up to make it an item of its own",
        "c.yaml:10: sections[0].body: this line starts with '- ' but is read as more of the text above it "
        "(\"Text - a\"): unquoted text runs on over indented lines; write 'body: |' to keep its lines and lists",
    ]
    assert loads(HEAD + "    points:\n      - one\n      - two\n", "c.yaml", Path("/nonexistent"), "c").notices == ()


def test_hashtags_that_yaml_reads_as_a_comment_build_with_a_warning_at_their_line():
    # "tags: #AI #ML" is "tags:" and a comment to YAML: the tags vanished without a word.
    comment = "is a comment to YAML (a '#' after a space starts one), so this value is empty; leave the '#' out, " \
              "or quote the text"
    talk = loads("title: T\nauthor: A\ntags: #AI #ML\nsubtitle:  # none yet\n" + HEAD[HEAD.index("sections"):],
                 "c.yaml", Path("/nonexistent"), "c")
    assert talk.tags == () and [str(n) for n in talk.notices] == [f"c.yaml:3: tags: '#AI #ML' {comment}"]
    talk = loads("title: T\nauthor: A\ntags:\n  - #AI\n  - ML\n" + HEAD[HEAD.index("sections"):],
                 "c.yaml", Path("/nonexistent"), "c")
    assert [str(n) for n in talk.notices] == [f"c.yaml:4: tags[0]: '#AI' {comment}"]


def test_sections_with_the_same_title_are_numbered_as_repeated_headings_are():
    # Two sections called "Demo" were refused: "sections[1].id: id 'demo' is already used by
    # sections[0]; ids must be unique", about an id: the talk never wrote.
    talk = loads("title: T\nauthor: A\nsections:\n  - title: Demo\n  - title: Demo!\n  - title: Demo-1\n"
                 "  - title: X\n    id: demo-2\n  - title: Demo\n", "c.yaml", Path("/nonexistent"), "c")
    assert [s.id for s in talk.sections] == ["demo", "demo-1", "demo-1-1", "demo-2", "demo-3"]


def test_a_theme_file_beside_the_talks_is_named_as_one(tmp_path):
    # content/brand.yaml, a theme, was built as a talk: "colors: unknown key 'colors'; known
    # keys: title, ...", "title: is required", "author: is required" ...
    (tmp_path / "brand.yaml").write_text("extends: night\ncolors:\n  accent: FFCC66\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load(tmp_path / "brand.yaml", display="content/brand.yaml")
    assert str(err.value) == ("content/brand.yaml: is a theme file, not a talk: every .yaml file beside the talks is "
                              "built as one; move it into a subfolder (themes/brand.yaml) and name it from the talk "
                              "as 'theme: themes/brand.yaml'")
    # a talk with a stray theme key is still a talk with a mistake
    with pytest.raises(ContentError) as err:
        loads(HEAD + "colors: {accent: FFCC66}\n", "c.yaml", tmp_path, "c")
    assert str(err.value) == "c.yaml:5: colors: unknown key 'colors'; known keys: title, subtitle, author, date, " \
                             "lang, tags, canonical_url, source, summary, theme, sections"


def test_an_article_or_a_folder_given_as_a_content_file_is_named_for_what_it_is(tmp_path):
    # Read as YAML, an article was "YAML syntax: did not find expected <document start>".
    for name in ("post.md", "saved.HTML"):
        (tmp_path / name).write_text("# A title\n\nText: with a colon.\n", encoding="utf-8")
        with pytest.raises(ContentError) as err:
            load(tmp_path / name, display=name)
        assert str(err.value) == f"{name}: is an article, not a content file (YAML); --import {name} turns it into one"
    with pytest.raises(ContentError) as err:
        load(tmp_path, display="content/")
    assert str(err.value) == "content/: is a folder; name its content files (content/*.yaml)"


def test_a_layout_typo_is_reported_with_the_files_other_problems():
    # It used to surface only while drawing the deck, after every other problem was fixed.
    assert problems(HEAD + "    layout: qoute\n    bdy: x\n  - title: T\n    layout: sideways\n") == [
        "5: sections[0].layout: unknown layout 'qoute'; did you mean 'quote'?",
        "6: sections[0].bdy: unknown key 'bdy'; did you mean 'body'?",
        "8: sections[1].layout: unknown layout 'sideways'; the layouts are: " + ", ".join(LAYOUTS),
    ]


def test_the_schema_takes_its_keys_from_the_model():
    # A part is a dataclass of the model plus one declaration: the keys a file may use are
    # exactly the declared fields of each dataclass.
    assert set(SECTION.known) <= {f.name for f in dataclasses.fields(Section)}
    assert set(PARTS) <= {f.name for f in dataclasses.fields(Section)}
    assert set(TALK.known) <= {f.name for f in dataclasses.fields(Talk)}


def test_scalars_stay_as_written():
    talk = loads("title: no\nauthor: {name: 012345}\ndate: '2024-02-29'\nsections:\n"
                 "  - title: yes\n    points: [1.5e3, null, ~, 0x1F, on]\n", "c.yaml", Path("."), "c")
    assert talk.title == "no" and talk.author.name == "012345"
    assert [p.text for p in talk.sections[0].points] == ["1.5e3", "null", "~", "0x1F", "on"]
    assert talk.sections[0].title == "yes" and talk.date == dt.date(2024, 2, 29)


def test_author_shorthand_and_defaults():
    talk = loads(MINIMAL.lstrip().replace("{name: Ada Lovelace}", "Ada Lovelace"), "c.yaml", Path("."), "c")
    assert talk.author.name == "Ada Lovelace" and talk.lang == "en" and talk.sections[0].id == "first-things"
    assert talk.line("sections[0].points[1]") == 5


# -- the file itself ----------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    (b"", ["c.yaml: file is empty; a content file needs at least title, author and sections"]),
    (b"  \n\n", ["c.yaml: file is empty; a content file needs at least title, author and sections"]),
    (b"# only a comment\n", ["c.yaml:1: holds no content (only comments?)"]),
    ("title: caf\xe9\n".encode("latin-1"), ["c.yaml:1: is not UTF-8 text (byte 0xe9); save the file as UTF-8"]),
    ("title: T\n".encode("utf-16"), ["c.yaml:1: is not UTF-8 text (byte 0xff); save the file as UTF-8"]),
    (PNG, ["c.yaml:1: is not UTF-8 text (byte 0x89); save the file as UTF-8"]),
    (b"\x00\x01\x02", ["c.yaml:1: (file): expected a mapping (key: value lines), found text",
                       "c.yaml:1: control or non-characters (U+0000, U+0001, U+0002) are not allowed; remove them"]),
    (b"x" * (MAX_FILE_BYTES + 1), [f"c.yaml: file is {MAX_FILE_BYTES + 1} bytes; at most {MAX_FILE_BYTES} are allowed"]),
], ids=["empty", "blank", "comment", "latin-1", "utf-16", "png", "binary", "too big"])
def test_file_level(raw, expected):
    with pytest.raises(ContentError) as err:
        loads(raw, "c.yaml", Path("."), "c")
    assert [str(p) for p in err.value.problems] == expected


def test_bom_and_crlf_are_fine():
    talk = loads(("\ufeff" + MINIMAL.lstrip()).replace("\n", "\r\n").encode(), "c.yaml", Path("."), "c")
    assert talk.title == "A small talk"


def test_unreadable_file_and_display_path(tmp_path):
    with pytest.raises(ContentError) as err:
        load(tmp_path / "missing.yaml", display="content/missing.yaml")
    assert str(err.value).startswith("content/missing.yaml: cannot read the file: ")
    (tmp_path / "dir.yaml").mkdir()
    with pytest.raises(ContentError):
        load(tmp_path / "dir.yaml")


def test_slug_comes_from_the_file_name(tmp_path):
    path = tmp_path / "Ünïcode Talk (final).yaml"
    path.write_text(MINIMAL)
    assert load(path).slug == "unicode-talk-final"
    path = tmp_path / "日本語.yaml"
    path.write_text(MINIMAL)
    assert load(path).slug == "talk"  # nothing left after folding: a safe default
    assert slugify("../../etc/passwd") == "etc-passwd"


def test_the_sample_loads():
    talk = load(SAMPLE)
    assert talk.slug == "llms-vs-foundation-models" and len(talk.sections) == 10


# -- images -------------------------------------------------------------------------------

@pytest.fixture
def folder(tmp_path):
    """content/ with pic.png, a text file, and a secret PNG beside (outside) it."""
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    (content / "images" / "pic.png").write_bytes(PNG)
    (content / "notes.png").write_text("not an image")
    (tmp_path / "secret.png").write_bytes(PNG)
    return content


def image(path: str, alt: str = "A red dot on white") -> str:
    return HEAD + f"    image: {{path: '{path}', alt: '{alt}'}}\n"


def test_image_inside_the_folder_loads(folder):
    talk = loads(image("images/pic.png"), "c.yaml", folder, "c")
    assert talk.sections[0].image.path == folder / "images" / "pic.png"
    assert talk.sections[0].image.alt == "A red dot on white"


@pytest.mark.parametrize("src, message", [
    ("images/missing.png", "image 'images/missing.png' not found in ./"),
    ("../secret.png", "'../secret.png' is outside the content folder ./; images must live inside it"),
    ("images/../../secret.png", "'images/../../secret.png' is outside the content folder ./; images must live inside it"),
    ("/etc/passwd", "'/etc/passwd' is an absolute path; give a path relative to ./"),
    ("C:/Windows/win.ini", "'C:/Windows/win.ini' is an absolute path; give a path relative to ./"),
    ("file:///etc/passwd", "must be a file in the content folder, not a URL"),
    ("https://example.org/a.png", "must be a file in the content folder, not a URL"),
    ("notes.png", "'notes.png' is not a PNG, JPEG or GIF image"),
    ("images", "image 'images' not found in ./"),
    ("images/pics.png", "image 'images/pics.png' not found in ./; did you mean 'images/pic.png'?"),
    ("image/pic.png", "image 'image/pic.png' not found in ./; did you mean 'images/pic.png'?"),
    ("images/pic.jpg", "image 'images/pic.jpg' not found in ./; did you mean 'images/pic.png'?"),
])
def test_image_path_rules(folder, src, message):
    assert problems(image(src), folder) == [f"5: sections[0].image.path: {message}"]


@pytest.mark.parametrize("src, suggested", [
    ("images/vector-spaces.png", "images/vector-space.png"),
    ("./images/vector-spce.png", "images/vector-space.png"),
    ("images/missing.png", None),  # shares only the folder and the extension
    ("images/a.png", None),  # one letter away, but a different name
    ("images/hidden.png", None),  # hidden files are never suggested
    ("images/secet.png", None),  # a symlink leading out of the folder is not a suggestion
])
def test_a_missing_image_suggests_the_closest_file(folder, src, suggested):
    (folder / "images" / "vector-space.png").write_bytes(PNG)
    (folder / "images" / "b.png").write_bytes(PNG)
    (folder / "images" / ".hidden.png").write_bytes(PNG)
    os.symlink(folder.parent / "secret.png", folder / "images" / "secret.png")
    assert closest_file(folder, src) == suggested


def test_image_symlink_out_of_the_folder(folder):
    os.symlink(folder.parent / "secret.png", folder / "images" / "link.png")
    os.symlink(folder.parent, folder / "up")
    assert problems(image("images/link.png"), folder) == [
        "5: sections[0].image.path: 'images/link.png' is outside the content folder ./; images must live inside it"]
    assert problems(image("up/secret.png"), folder) == [
        "5: sections[0].image.path: 'up/secret.png' is outside the content folder ./; images must live inside it"]


def test_image_symlink_inside_the_folder_is_fine(folder):
    os.symlink(folder / "images" / "pic.png", folder / "alias.png")
    assert loads(image("alias.png"), "c.yaml", folder, "c").sections[0].image.path == folder / "images" / "pic.png"


def test_image_needs_alt_text(folder):
    assert problems(HEAD + "    image: {path: images/pic.png}\n", folder) == ["5: sections[0].image.alt: is required"]
    assert problems(HEAD + "    image: {path: images/pic.png, alt: '  '}\n", folder) == [
        "5: sections[0].image.alt: is required and must not be empty"]


# -- theme: -------------------------------------------------------------------------------

def test_theme_names_a_built_in_theme_or_a_file_inside_the_folder(folder):
    from triptych.theme import builtin_themes

    assert loads("theme: night\n" + HEAD, "c.yaml", folder, "c").theme == builtin_themes()["night"]
    assert loads(HEAD, "c.yaml", folder, "c").theme is None
    (folder / "themes").mkdir()
    (folder / "themes" / "brand.yaml").write_text("extends: paper\n")
    assert loads("theme: themes/brand.yaml\n" + HEAD, "c.yaml", folder, "c").theme == folder / "themes" / "brand.yaml"


@pytest.mark.parametrize("value, message", [
    ("nigth", "unknown theme 'nigth': name a built-in theme or a theme file in the content folder such as "
              "themes/brand.yaml; did you mean 'night'?"),
    ("brand", "unknown theme 'brand': name a built-in theme or a theme file in the content folder such as "
              "themes/brand.yaml; the built-in themes are navy, night, paper"),
    ("../secret.png", "'../secret.png' is outside the content folder ./; a theme file must live inside it"),
    ("/etc/passwd", "'/etc/passwd' is an absolute path; give a path relative to ./"),
    ("https://example.org/t.yaml", "must be a file in the content folder, not a URL"),
    ("themes/brnd.yaml", "theme file 'themes/brnd.yaml' not found in ./; did you mean 'themes/brand.yaml'?"),
])
def test_theme_rules(folder, value, message):
    (folder / "themes").mkdir()
    (folder / "themes" / "brand.yaml").write_text("extends: paper\n")
    os.symlink(folder.parent / "secret.png", folder / "themes" / "out.yaml")
    assert problems(f"theme: '{value}'\n" + HEAD, folder) == [f"1: theme: {message}"]
    assert problems("theme: themes/out.yaml\n" + HEAD, folder) == [
        "1: theme: 'themes/out.yaml' is outside the content folder ./; a theme file must live inside it"]


@pytest.mark.parametrize("alt", ["pic.png", "diagram.JPG", "IMG_0042.jpeg"])
def test_alt_text_is_not_a_file_name(folder, alt):
    assert problems(image("images/pic.png", alt), folder) == [
        "5: sections[0].image.alt: must describe the picture for someone who cannot see it, not name a file"]


# -- YAML as data, costs ------------------------------------------------------------------

def test_alias_bomb_is_refused_at_once():
    names = "abcdefghi"
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip(names, names[1:]):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    start = time.process_time()
    found = problems("\n".join(lines) + "\n")
    assert time.process_time() - start < 5  # expanded, this is 9**9 strings: it would never finish
    assert "2: YAML aliases (*a) are not allowed; write the value out (used 9 times)" in found
    assert sum("YAML aliases" in f for f in found) == 8  # one line per alias name, not per use


def test_brackets_finish_in_seconds():
    text = HEAD + "    body: '" + "[" * 4000 + "'\n    notes: '" + "![" * 2000 + "'\n    points: ['" + "[" * 290 + "']\n"
    start = time.process_time()
    found = problems(text)
    assert time.process_time() - start < 5
    assert found == ["5: sections[0].body: has 4000 '[' characters; at most 500 are allowed",
                     "6: sections[0].notes: has 2000 '[' characters; at most 500 are allowed"]


def test_bracket_budget_for_the_whole_file():
    body = "[" * 450 + "\n"
    sections = "".join(f"  - title: S{i}\n    body: |\n      {body}" for i in range(40))
    start = time.process_time()
    found = problems("title: T\nauthor: A\nsections:\n" + sections)
    assert time.process_time() - start < 5
    # 450 * 451 per body is under the per-paragraph cap; the 20th crosses 4,000,000
    assert found == ["62: sections[19].body: the file holds too much '['-heavy text to read in reasonable time; "
                     "remove stray '[' or split the piece into several files"]


# -- code: a listing part --------------------------------------------------------------------

CODE_RULES = {
    "a listing loads": ("    code: {lang: python, highlight: [2, '4-5'], text: \"a\\nb\\nc\\nd\\ne\"}\n", []),
    "unknown language": ("    code: {lang: pyhton, text: x = 1}\n",
                         ["5: sections[0].code.lang: unknown code language 'pyhton'; did you mean 'python' or 'python3' or "
                          "'python2'?"]),
    "language required": ("    code: {text: x = 1}\n",
                          ["5: sections[0].code.lang: is required"]),
    "text required": ("    code: {lang: python}\n", ["5: sections[0].code.text: is required"]),
    "line past the end": ("    code:\n      lang: python\n      highlight: [1, 4]\n      text: |\n        a\n        b\n",
                          ["7: sections[0].code.highlight: line 4 is past the end of the listing, which has 2 lines"]),
    "lines past the end": ("    code: {lang: python, highlight: [1, 3, '5-6'], text: \"a\\nb\"}\n",
                           ["5: sections[0].code.highlight: lines 3, 5, 6 are past the end of the listing, "
                            "which has 2 lines"]),
    "line zero": ("    code: {lang: python, highlight: [0], text: x}\n",
                  ["5: sections[0].code.highlight[0]: '0' is not a line number; lines count from 1 (a range is \"4-6\")"]),
    "backwards range": ("    code: {lang: python, highlight: ['5-2'], text: x}\n",
                        ["5: sections[0].code.highlight[0]: '5-2' is not a line number; lines count from 1 "
                         "(a range is \"4-6\")"]),
    "a word for a line": ("    code: {lang: python, highlight: [two], text: x}\n",
                          ["5: sections[0].code.highlight[0]: 'two' is not a line number; lines count from 1 "
                           "(a range is \"4-6\")"]),
    "unknown key": ("    code: {language: python, lang: python, text: x}\n",
                    ["5: sections[0].code.language: unknown key 'language'; did you mean 'lang'?"]),
}


@pytest.mark.parametrize("name", CODE_RULES)
def test_code_rule(name):
    text, expected = CODE_RULES[name]
    assert problems(HEAD + text) == expected


def test_a_listing_is_kept_as_written():
    listing = "def f():\n\tif x:\n\n\t\treturn '<b>'   # not Markdown: *kept*"
    text = HEAD + "    code:\n      lang: python\n      caption: The *caption* is Markdown\n      highlight: 2\n" \
        "      text: |\n" + "".join(f"        {line}\n" if line else "\n" for line in listing.split("\n"))
    talk = loads(text, "c.yaml", Path("/nonexistent"), "c")
    code = talk.sections[0].code
    assert code.text == listing and code.lang == "python" and code.highlight == (2,)
    assert code.caption == "The *caption* is Markdown" and code.field == "sections[0].code"
    assert code.lines[1] == "\tif x:" and talk.line("sections[0].code.text") == 9
