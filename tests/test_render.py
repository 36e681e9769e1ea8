"""The Jinja environment: typos are errors with their line, HTML templates escape, Markdown
filters go through the one parser, content is never treated as a template."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triptych import render
from triptych.errors import ContentError


@pytest.fixture
def templates(tmp_path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    return folder


def test_an_undefined_value_is_an_error_naming_the_template_and_line(templates):
    (templates / "t.md.j2").write_text("# {{ talk.title }}\n\n{{ talk.titel }}\n")
    with pytest.raises(ContentError) as err:
        render.render(templates, "t.md.j2", talk={"title": "T"})
    (problem,) = err.value.problems
    assert (Path(problem.path).name, problem.line, problem.field) == ("t.md.j2", 3, "template")
    assert "titel" in problem.message


def test_a_syntax_error_names_its_line(templates):
    (templates / "t.md.j2").write_text("ok\n{% for x in %}\n")
    with pytest.raises(ContentError) as err:
        render.render(templates, "t.md.j2")
    assert err.value.problems[0].line == 2 and err.value.problems[0].field == "template"


def test_a_missing_template_is_named(templates):
    with pytest.raises(ContentError, match="template not found: nope.j2"):
        render.render(templates, "nope.j2")


@pytest.mark.parametrize("name, escaped", [("page.html.j2", True), ("x.xml.j2", True), ("a.md.j2", False),
                                           ("plan.yaml.j2", False)])
def test_autoescape_is_by_file_name(templates, name, escaped):
    (templates / name).write_text("{{ value }}")
    out = render.render(templates, name, value="<b>&</b>")
    assert out == ("&lt;b&gt;&amp;&lt;/b&gt;" if escaped else "<b>&</b>")


def test_markdown_filters_use_the_one_parser_and_stay_safe(templates):
    (templates / "p.html.j2").write_text("{{ text | inline }}|{{ body | block }}|{{ text | plain }}")
    out = render.render(templates, "p.html.j2", text="**a** <script>x</script>", body="- one\n- two")
    inline, block, plain = out.split("|")
    assert inline == "<strong>a</strong> &lt;script&gt;x&lt;/script&gt;"
    assert block.startswith("<ul>") and "<li>one</li>" in block
    assert plain == "a &lt;script&gt;x&lt;/script&gt;"  # plain text, then escaped by the .html.j2 template


def test_content_is_a_value_never_a_template(templates):
    (templates / "t.md.j2").write_text("{{ title }}")
    assert render.render(templates, "t.md.j2", title="{{ 7 * 7 }} {% if 1 %}x{% endif %}") == \
        "{{ 7 * 7 }} {% if 1 %}x{% endif %}"


def test_a_compiled_template_that_cannot_be_stored_is_compiled_again_not_an_error(templates, tmp_path, monkeypatch):
    # Jinja's cache folder is a file here, so storing any compiled template fails (as on a
    # full temporary directory or under a file size limit).
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setattr(render, "_bytecode_cache", lambda: render._BestEffortCache(str(blocked)))
    render.environment.cache_clear()
    try:
        (templates / "t.md.j2").write_text("{{ x }}\n")
        assert render.render(templates, "t.md.j2", x="fine") == "fine\n"
        assert render.render(templates, "t.md.j2", x="again") == "again\n"
    finally:
        render.environment.cache_clear()


@given(st.text())
def test_plan_values_read_back_as_written(text):
    # `tojson` writes every value of the slide plans: any text, emoji and line separators
    # included, must read back from YAML unchanged (surrogate-pair escapes did not).
    import yaml

    from triptych.render import yaml_safe_json

    assert yaml.safe_load(yaml_safe_json(text)) == text


def test_an_emoji_is_written_as_itself_not_as_surrogate_escapes():
    from triptych.render import yaml_safe_json

    assert yaml_safe_json("Ship it 🚀") == '"Ship it 🚀"'
