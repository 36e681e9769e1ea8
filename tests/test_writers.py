"""Tests for the output registry (triptych.writers): the records are checked when declared,
reading them imports no writer, and an output added by one record alone is built,
checked, cached and given its command-line switch like the built-in ones."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import MINIMAL, ROOT, TEMPLATES
from triptych import cli, jobs
from triptych.pipeline import Options, build
from triptych.pool import Pool
from triptych.writers import REGISTRY, Output, Switch, available, output, register, writer


@pytest.fixture
def registry():
    """The registry, restored after the test to the records it had before."""
    saved = dict(REGISTRY)
    yield REGISTRY
    REGISTRY.clear()
    REGISTRY.update(saved)


def test_every_record_names_a_writer_with_render_and_read_text():
    for name in available():
        module = writer(name)
        assert callable(module.render) and callable(module.read_text), name
        assert getattr(module, "FAMILY", output(name).family) == output(name).family, name


@pytest.mark.parametrize("fields, message", [
    ({"family": "slides"}, "family 'slides' is not one of"),
    ({"check": "some"}, "check 'some' is not one of"),
    ({"inputs": ("paper",)}, "unknown inputs ['paper']"),
])
def test_a_record_with_an_unknown_value_is_refused_when_declared(fields, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Output(**{"name": "x", "module": "x", "suffix": ".x", "family": "deck", **fields})


def test_two_outputs_cannot_share_a_name_or_a_file(registry):
    with pytest.raises(ValueError, match="clashes with deck"):
        register(Output("slides", "x", ".pptx", "deck"))
    with pytest.raises(ValueError, match="clashes with article"):
        register(Output("article", "x", ".markdown", "article"))


def test_reading_the_records_imports_no_writer():
    """A no-op build names every output's file and groups the rest into jobs from the
    records alone: no writer module, and none of the heavy libraries, is imported."""
    heavy = sorted({m for name in available() for m in output(name).imports})
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from triptych import jobs, loads
        from triptych.pipeline import output_path
        from triptych.writers import available
        talk = loads({MINIMAL!r}, "talk.yaml", Path("."), "talk")
        [output_path(talk, name, Path("out")) for name in available()]
        jobs.split(available())
        print(sorted(m for m in sys.modules if m.startswith("triptych.writers.") or m in {heavy!r}))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr


# -- an output added by one record -------------------------------------------------------

#: The whole writer of the tiny output: a template of its own and a read-back.
TINY_WRITER = '''
from pathlib import Path

from triptych.render import render as render_template
from triptych.writers import output


def render(talk, ctx):
    text = render_template(ctx.templates, "tiny.txt.j2", talk=talk,
                           sections=talk.sections_in(output("tiny").family), shout=ctx.options.get("shout"),
                           mark=ctx.options.get("mark"))
    return text.encode("utf-8")


def read_text(path):
    return Path(path).read_text(encoding="utf-8")
'''

TINY_TEMPLATE = """\
{{ talk.title | upper if shout else talk.title }}
{{ talk.author.name }}
{% for section in sections %}
## {{ section.title }}
{% for point in section.points %}{{ "*" if mark == "star" else "-" }} {{ point.text }}
{% endfor %}{% endfor %}
"""


@pytest.fixture
def tiny(registry, tmp_path, monkeypatch):
    """Register output "tiny" (deck family, ``.tiny.txt``, switch ``--shout``): its writer
    module on the path, its template in a copy of the templates, one record."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "tiny_writer.py").write_text(TINY_WRITER)
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "tiny.txt.j2").write_text(TINY_TEMPLATE)
    register(Output("tiny", "tiny_writer", ".tiny.txt", "deck",
                    switches=(Switch("shout", "--shout", "set the title in capitals"),
                              Switch("mark", "--mark", "how points are marked", choices=("dash", "star")))))
    monkeypatch.delitem(sys.modules, "tiny_writer", raising=False)
    return templates


def test_an_output_added_by_one_record_is_built_checked_cached_and_switched(tiny, write_content, tmp_path,
                                                                           capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    talk = write_content(MINIMAL)
    args = [str(talk), "--templates", str(tiny), "--out", "out", "--only", "tiny,article"]
    help_text = " ".join(cli.parser().format_help().split())
    assert "--shout set the title in capitals" in help_text and " and tiny (.tiny.txt)." in help_text

    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "wrote out/talk.tiny.txt" in out and "wrote out/talk.md" in out
    assert Path("out/talk.tiny.txt").read_text().startswith("A small talk\nAda Lovelace\n")

    # Its parity check ran on it (the record's family says which pieces it must carry).
    report = build([talk], Options(out_dir=Path("out"), outputs=["tiny"], templates=tiny, force=True))
    [check] = report.files[0].checks
    assert (check.name, check.found, check.expected, check.ok) == ("tiny", 5, 5, True)

    # The cache skips it when nothing changed; its own switch rebuilds it and nothing else.
    assert cli.main(args) == 0
    assert "unchanged out/talk.tiny.txt" in capsys.readouterr().out
    assert cli.main(args + ["--shout"]) == 0
    out = capsys.readouterr().out
    assert "wrote out/talk.tiny.txt" in out and "unchanged out/talk.md" in out
    assert Path("out/talk.tiny.txt").read_text().startswith("A SMALL TALK\n")
    assert cli.main(args + ["--shout"]) == 0 and "unchanged out/talk.tiny.txt" in capsys.readouterr().out
    assert cli.main(args + ["--shout", "--mark", "star"]) == 0
    assert "wrote out/talk.tiny.txt" in capsys.readouterr().out
    assert "* Two\n" in Path("out/talk.tiny.txt").read_text()
    # The API leaving a switch out means its default, as the command line does.
    assert build([talk], Options(out_dir=Path("out"), outputs=["tiny"], templates=tiny,
                                 writer_options={"shout": True, "mark": "star"})).files[0].unchanged

    with pytest.raises(SystemExit):
        cli.main(args + ["--mark", "hash"])
    assert "invalid choice: 'hash'" in capsys.readouterr().err

    # --check reads it back; a lost point is a parity failure naming the content line.
    Path("out/talk.tiny.txt").write_text(Path("out/talk.tiny.txt").read_text().replace("* Two\n", ""))
    assert cli.main(args + ["--check"]) == 3
    err = capsys.readouterr().err
    assert 'talk.yaml:5: sections[0].points[1]: missing from out/talk.tiny.txt: "Two"' in err


def test_the_help_says_what_a_plain_build_makes_as_the_records_say(registry):
    """--only's help takes its default from the records: "all" when every output is built
    by default, else their names and the PDFs --png adds (asking for pages asks for them)."""
    def only_help() -> str:
        text = " ".join(cli.parser().format_help().split())
        return text.split("--only LIST ", 1)[1].split(" --templates ", 1)[0]

    for name in available():
        registry[name] = dataclasses.replace(output(name), default=True)
    assert only_help().endswith(f"{','.join(available())}, or all (default: all)")
    assert cli._default_outputs(png=False) == cli._default_outputs(png=True) == list(available())
    for name in ("post", "carousel"):
        registry[name] = dataclasses.replace(output(name), default=False)
    assert only_help().endswith("or all (default: deck,article,page,handout,slides; with --png, also carousel)")
    assert cli._default_outputs(png=False) == ["deck", "article", "page", "handout", "slides"]
    assert cli._default_outputs(png=True) == ["deck", "article", "page", "handout", "slides", "carousel"]


def test_an_added_output_with_a_heavy_import_gets_a_job_of_its_own(registry):
    register(Output("slow", "x", ".slow", "deck", imports=("json",), cost=9))
    assert jobs.split(["article", "slow", "handout"]) == [("slow",), ("handout",), ("article",)]
    assert Pool(2, warm_outputs=["slow", "article"]).warm == ("json",)


# -- the records are honest about what their output depends on -----------------------------

HONEST = MINIMAL + """\
    table: {columns: [Name, Use], rows: [[A, first], [B, second]]}
summary: What this small talk is about.
"""


def _variants(tmp_path) -> dict[str, dict]:
    """For each input an output may depend on, build options that change only it."""
    from pptx import Presentation

    master = tmp_path / "brand.pptx"
    Presentation().save(str(master))
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    theme = tmp_path / "other-theme.yaml"
    text = (TEMPLATES / "theme.yaml").read_text()
    theme.write_text(text + 'colors:\n  accent: "1F7A71"\nsizes:\n  body: 24\n')
    assert theme.read_text() != text
    variants = {"page_size": {"page_size": "Letter"}, "master": {"master": master}, "theme": {"theme_file": theme}}
    for record in REGISTRY.values():
        for switch in record.switches:
            variants[switch.name] = {"writer_options": {switch.name: True}}
    return variants


def test_an_output_does_not_change_with_an_input_its_record_does_not_name(write_content, tmp_path):
    """The build cache skips an output when the inputs its record names are unchanged; an
    output that reads an input its record leaves out would then be stale. Changing any
    input an output does not depend on must leave its bytes exactly as they were."""
    from triptych.pipeline import load_context

    talk = loads_file(write_content(HONEST))
    base_ctx = load_context(Options(out_dir=tmp_path / "out"), lambda message: None)
    base: dict[str, bytes] = {}
    variants = _variants(tmp_path)
    assert set(variants) >= {"page_size", "master", "theme"}
    for name_of_input, change in variants.items():
        ctx = load_context(Options(out_dir=tmp_path / "out", **change), lambda message: None)
        for name in available():
            if name_of_input in output(name).depends_on:
                continue
            if name not in base:
                base[name] = writer(name).render(talk, base_ctx)
            assert writer(name).render(talk, ctx) == base[name], f"{name} changes with {name_of_input}"


def loads_file(path: Path):
    from triptych.loader import load

    return load(path)
