"""Properties of ``--import`` over any text: the content file written loads back through
the project's own loader to exactly the strings the import meant, and the words a reader
saw in the article are the words the content shows."""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown.util
from hypothesis import HealthCheck, given, settings, strategies as st

from triptych import markup
from triptych.importer.meta import Meta
from triptych.importer.mapper import map_article
from triptych.importer.tree import clean
from triptych.importer.yamlout import to_yaml
from triptych.loader import loads

# Any characters, with the ones YAML, Markdown and HTML give meaning to over-represented.
SPECIAL = st.sampled_from(list("[]()<>*_`#!&;:/\\\"'{}%|-+=~.,?@\n\t ") + [
    "- ", "> ", "1. ", "---", "```", "&amp;", "&#60;", "no", "yes", "null", "~", "2024-10-14", "\u2028",
    "\x85", "\ufeff", "é", "😀", "\u202e", "\x00", "\x1b", "\ufdd0"])
TEXT = st.lists(st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=6), SPECIAL),
                max_size=8).map("".join)


def _el(tag: str, text: str) -> etree.Element:
    element = etree.Element(tag)
    element.text = text
    return element


def article(title, subtitle, lead, heading, para, item, sub, cells, quote, by, more="more") -> etree.Element:
    root = etree.Element("div")
    root.append(_el("h1", title))
    sub_el = etree.SubElement(root, "p")
    etree.SubElement(sub_el, "em").text = subtitle
    root.append(_el("p", lead))
    root.append(_el("h2", heading))
    root.append(_el("p", para))
    root.append(_el("h3", more))
    root.append(_el("p", more))
    etree.SubElement(etree.SubElement(root, "pre"), "code").text = markdown.util.code_escape(more)
    ul = etree.SubElement(root, "ul")
    li = etree.SubElement(ul, "li")
    li.text = item
    etree.SubElement(etree.SubElement(li, "ul"), "li").text = sub
    table = etree.SubElement(root, "table")
    for row, tag in ((cells[:2], "th"), (cells[2:], "td")):
        tr = etree.SubElement(table, "tr")
        for cell in row:
            tr.append(_el(tag, cell))
    quote_el = etree.SubElement(root, "blockquote")
    quote_el.append(_el("p", quote))
    quote_el.append(_el("p", more))
    quote_el.append(_el("p", f"— {by}"))
    return root


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, st.lists(TEXT, min_size=4, max_size=4), TEXT, TEXT, TEXT)
def test_any_imported_text_reloads_to_the_same_strings(tmp_path, title, subtitle, lead, heading, para, item,
                                                       sub, cells, quote, by, more):
    draft = map_article(article(title, subtitle, lead, heading, para, item, sub, cells, quote, by, more),
                        Meta(), tmp_path, "fallback title")
    text, _ = to_yaml(draft, header="Imported from a.md")
    talk = loads(text, "a.yaml", tmp_path, "a")  # raises ContentError (failing the test) if it does not load
    assert (talk.title, talk.subtitle, talk.author.name, talk.summary) == (
        draft.title, draft.subtitle, draft.author, draft.summary)
    assert len(talk.sections) == len(draft.sections)
    for got, want in zip(talk.sections, draft.sections):
        assert (got.title, got.body) == (want.title, want.body)
        assert [(p.text, tuple(q.text for q in p.points)) for p in got.points] == \
            [(p.text, p.points) for p in want.points]
        assert (got.table and (got.table.columns, got.table.rows)) == (want.table and (want.table.columns,
                                                                                      want.table.rows))
        assert (got.quote and (got.quote.text, got.quote.by)) == (want.quote and (want.quote.text, want.quote.by))


def fold(text: str) -> str:
    return " ".join(clean(" ".join(text.split())).split())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXT, TEXT)
def test_the_words_of_a_heading_and_a_list_item_are_the_words_the_content_shows(tmp_path, heading, item):
    root = article("T", "S", "Lead.", heading, "Body.", item, "sub", ["a", "b", "c", "d"], "q", "N")
    talk = loads(to_yaml(map_article(root, Meta(), tmp_path, "t"))[0], "a.yaml", tmp_path, "a")
    section = talk.sections[-1]
    if fold(heading):
        assert markup.to_plain(section.title) == fold(heading)
    if fold(item):
        assert markup.to_plain(section.points[0].text) == fold(item)
