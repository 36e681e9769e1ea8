"""``python build.py`` end to end, in a temporary folder, as a user runs it.

Builds use every registered output (``OUTPUTS``). The full build of the sample runs once
per module; other tests build the article alone, which takes a fraction of a second."""

from __future__ import annotations

import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from triptych.writers import REGISTRY, output, writer

from conftest import MINIMAL, ROOT, SAMPLE

OUTPUTS = list(REGISTRY)
SUFFIX = {name: output(name).suffix for name in OUTPUTS}


def run(cwd: Path, *args: str, limit_bytes: int | None = None) -> subprocess.CompletedProcess:
    def limit():  # runs in the child only: a kernel-enforced file-size cap, like a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, preexec_fn=limit if limit_bytes else None, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def project(tmp_path: Path, **files: str) -> Path:
    """A folder with content/<name>.yaml for each keyword (underscores kept), the sample's image folder."""
    content = tmp_path / "content"
    content.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SAMPLE.parent / "images", content / "images", dirs_exist_ok=True)
    for name, text in files.items():
        (content / f"{name}.yaml").write_text(text.lstrip("\n"), encoding="utf-8")
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def outputs_of(out: Path) -> dict[str, bytes]:
    """The outputs in ``out``, leaving out files the pipeline keeps for itself (a cache, say)."""
    return {k: v for k, v in snapshot(out).items() if not k.startswith(".")}


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    shutil.copytree(SAMPLE.parent, folder / "content")
    result = run(folder, "--out", "out", "--only", ",".join(OUTPUTS))
    return folder, result


def test_the_sample_builds_every_output(sample_build):
    folder, result = sample_build
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for name in OUTPUTS:
        path = folder / "out" / f"llms-vs-foundation-models{SUFFIX[name]}"
        assert f"wrote out/{path.name}" in result.stdout
        text = writer(name).read_text(path)
        assert "foundation model" in text.lower(), name  # parity checks the rest
        # Slides show the summary only as the closing slide's first sentence; the carousel not at all.
        assert "large language model" in text.lower() or name in ("carousel", "slides"), name
    assert "1 of 1 content file(s) built" in result.stdout


def test_a_bad_file_is_reported_and_a_good_one_beside_it_builds(tmp_path):
    bad = """
title: |
  Two
  lines
author: {name: A}
date: 2024-02-30
sections:
  - title: Ok
    points: ['[x](javascript:alert(1))']
    image: {path: ../../etc/passwd, alt: x.png}
"""
    folder = project(tmp_path, good=MINIMAL, bad=bad)
    result = run(folder, "--out", "out", "--only", "article")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    problems = [line for line in result.stderr.splitlines() if line.startswith("content/bad.yaml")]
    assert problems == [
        "content/bad.yaml:1: title: must be one line; remove the line break (use a block field such as body for prose)",
        "content/bad.yaml:5: date: '2024-02-30' is not a real date (day is out of range for month)",
        "content/bad.yaml:8: sections[0].points[0]: link scheme 'javascript:' is not allowed; use http, https, mailto",
        "content/bad.yaml:9: sections[0].image.alt: must describe the picture for someone who cannot see it, "
        "not name a file",
        "content/bad.yaml:9: sections[0].image.path: '../../etc/passwd' is outside the content folder content/; "
        "images must live inside it",
    ]
    assert sorted(outputs_of(folder / "out")) == ["good.md"]
    assert "1 of 2 content file(s) built" in result.stderr


def test_a_broken_file_keeps_its_last_good_outputs(tmp_path):
    folder = project(tmp_path, talk=MINIMAL)
    assert run(folder, "--out", "out", "--only", "article").returncode == 0
    before = outputs_of(folder / "out")
    (folder / "content" / "talk.yaml").write_text(MINIMAL.lstrip().replace("title: A small talk", "title: [oops"))
    result = run(folder, "--out", "out", "--only", "article")
    assert result.returncode == 2 and "content/talk.yaml:1: YAML syntax: did not find expected ',' or ']'" in result.stderr
    assert outputs_of(folder / "out") == before


@pytest.mark.parametrize("given, written", [
    ("content/My Talk – Ünïcode.yaml", "my-talk-unicode"),
    ("content/../../escape.yaml", "escape"),
    ("content/..yaml", "talk"),
])
def test_output_names_are_slugs_inside_out(tmp_path, given, written):
    folder = tmp_path / "a" / "b"
    (folder / "content").mkdir(parents=True)
    source = (folder / given).resolve()
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(MINIMAL.lstrip())
    before = set(snapshot(tmp_path))
    result = run(folder, given, "--out", "out", "--only", "article")
    assert result.returncode == 0, result.stderr
    new = sorted(set(snapshot(tmp_path)) - before)
    assert [n for n in new if not Path(n).name.startswith(".")] == [f"a/b/out/{written}.md"]


def test_an_absolute_out_folder_is_used_as_given(tmp_path):
    folder = project(tmp_path / "p", talk=MINIMAL)
    result = run(folder, "--out", str(tmp_path / "elsewhere"), "--only", "article")
    assert result.returncode == 0 and (tmp_path / "elsewhere" / "talk.md").is_file()


def test_a_file_size_limit_keeps_the_last_good_outputs(tmp_path):
    folder = project(tmp_path, talk=MINIMAL)
    outputs = ",".join(n for n in OUTPUTS if n in ("article", "page", "post")) or OUTPUTS[0]
    assert run(folder, "--out", "out", "--only", outputs).returncode == 0
    before = outputs_of(folder / "out")
    (folder / "content" / "talk.yaml").write_text(MINIMAL.lstrip().replace("A small talk", "A changed talk"))
    result = run(folder, "--out", "out", "--only", outputs, limit_bytes=500)
    assert result.returncode == 1
    assert outputs_of(folder / "out") == before  # byte for byte
    assert [p.name for p in (folder / "out").iterdir() if p.name.endswith(".tmp")] == []
    # an environment failure, not a bug: one line naming the file, no traceback
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "cannot write" in result.stderr and "File too large" in result.stderr


def test_a_file_size_limit_on_the_final_write_names_the_file(tmp_path):
    folder = project(tmp_path, talk=MINIMAL)
    assert run(folder, "--out", "out", "--only", "article,page").returncode == 0
    before = outputs_of(folder / "out")
    (folder / "content" / "talk.yaml").write_text(MINIMAL.lstrip().replace("A small talk", "A changed talk"))
    # --no-check: no temporary copy is written, so the limit strikes the output's own write
    result = run(folder, "--out", "out", "--only", "article,page", "--no-check", limit_bytes=500)
    assert result.returncode == 1
    # the small article fits under the limit and is written; the page keeps its old bytes
    assert outputs_of(folder / "out")["talk.html"] == before["talk.html"]
    assert "A changed talk" in (folder / "out" / "talk.md").read_text()
    assert "out/talk.html: cannot write: File too large; the last good file is untouched" in result.stderr
    assert "Traceback" not in result.stderr


def test_two_builds_at_once_leave_valid_files(tmp_path, sample_build):
    sample_folder, first = sample_build
    assert first.returncode == 0
    shutil.copytree(SAMPLE.parent, tmp_path / "content")
    args = [sys.executable, str(ROOT / "build.py"), "--out", "out", "-q", "--only", ",".join(OUTPUTS)]
    procs = [subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    # whichever rename won, each file is a whole output: it reads back as the sample's does
    assert sorted(outputs_of(tmp_path / "out")) == sorted(outputs_of(sample_folder / "out"))
    for name in OUTPUTS:
        file = f"llms-vs-foundation-models{SUFFIX[name]}"
        assert writer(name).read_text(tmp_path / "out" / file) == writer(name).read_text(sample_folder / "out" / file)
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")] == []


def test_no_content_files(tmp_path):
    result = run(tmp_path, "--only", "article")
    assert result.returncode == 2 and "no content files found" in result.stderr


def test_a_missing_file_is_a_content_error(tmp_path):
    result = run(tmp_path, "content/nope.yaml", "--only", "article")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("content/nope.yaml: cannot read the file: ")


def test_unknown_output_is_refused_by_argparse(tmp_path):
    result = run(tmp_path, "--only", "video")
    assert result.returncode == 2 and "unknown output 'video'; choose from deck, article," in result.stderr


def test_the_article_links_its_image_from_wherever_it_is_written(tmp_path):
    folder = project(tmp_path)
    shutil.copy(SAMPLE, folder / "content" / "talk.yaml")
    for out in ("out", "deep/er/out"):
        assert run(folder, "--out", out, "--only", "article").returncode == 0
        article = (folder / out / "talk.md").read_text(encoding="utf-8")
        target = re.search(r"!\[[^\]]*\]\(([^)\s]+)\)", article).group(1)
        assert (folder / out / target).resolve() == (folder / "content" / "images" / "llms-in-foundation-models.png").resolve()


#: Runs build.py and kills its whole process group with SIGKILL the moment the build has put
#: its first new bytes on disk in the output folder (argv[1]), whichever file they went to,
#: before anything else happens (a flush returning, a sync, a rename, the next output). An
#: audit hook spots a file there being opened for writing and only then turns on a profile
#: hook that watches it, so the build runs at full speed until it writes.
KILL_WHILE_WRITING = r"""
import os, runpy, signal, sys

out = os.path.realpath(sys.argv.pop(1))
build_py = sys.argv[1]
watched = {}  # path opened for writing -> its (size, mtime) before


def state(path):
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_size, st.st_mtime_ns


def on_event(frame, event, arg):
    for path, before in watched.items():
        now = state(path)
        if now is not None and now != before and now[0] > 0:
            os.killpg(0, signal.SIGKILL)


def on_open(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.realpath(os.fsdecode(args[0]))
        mode, flags = args[1] or "", args[2] or 0
        if (any(c in mode for c in "wax+") or flags & (os.O_WRONLY | os.O_RDWR)) and path.startswith(out + os.sep):
            watched.setdefault(path, state(path))
            sys.setprofile(on_event)


sys.addaudithook(on_open)
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(build_py))  # as running the script would
runpy.run_path(build_py, run_name="__main__")
"""

def test_a_build_killed_while_writing_leaves_the_last_good_outputs(tmp_path):
    """SIGKILL gives no chance to clean up: what protects the outputs is that each is
    written to a temporary file and renamed into place. Killed in the middle of writing
    the first output, the build leaves every output byte for byte as it was."""
    folder = project(tmp_path, talk=MINIMAL)
    only = ("--only", "article,page")
    assert run(folder, "--out", "out", *only).returncode == 0
    before = outputs_of(folder / "out")
    talk = folder / "content" / "talk.yaml"
    talk.write_text(talk.read_text(encoding="utf-8").replace("A small talk", "A changed talk"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", KILL_WHILE_WRITING, "out", str(ROOT / "build.py"), "--out", "out",
                           *only], cwd=folder, capture_output=True, text=True, timeout=300, start_new_session=True)
    assert proc.returncode == -9, proc.stderr  # killed, not finished
    assert outputs_of(folder / "out") == before  # byte for byte
    # ... and it was killed while writing: the bytes it wrote are in a temporary file
    leftovers = [p for p in (folder / "out").iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) == 1 and b"A changed talk" in leftovers[0].read_bytes()


def test_check_from_another_folder_names_the_command_as_it_was_run(tmp_path):
    # build.py run by its path from a talk's folder: the advice names that path, not a
    # build.py that is not there, and typed in the same folder it builds what was missing.
    folder = project(tmp_path, talk=MINIMAL)
    proc = run(folder, "content/talk.yaml", "--only", "article", "--check")
    assert proc.returncode == 3
    [advice] = [line for line in proc.stderr.splitlines() if "build it first" in line]
    command = advice.split("build it first: ", 1)[1]
    assert command == f"python {shlex.quote(str(ROOT / 'build.py'))} content/talk.yaml --only article"
    words = shlex.split(command)
    assert subprocess.run([sys.executable, *words[1:]], cwd=folder, capture_output=True).returncode == 0
    assert run(folder, "content/talk.yaml", "--only", "article", "--check").returncode == 0


def test_check_with_outputs_missing_names_the_build_command_once_and_counts_honestly(tmp_path, capsys):
    from triptych import cli

    folder = project(tmp_path, talk=MINIMAL)
    out = tmp_path / "elsewhere out"
    assert cli.main([str(folder / "content" / "talk.yaml"), "--out", str(out), "--only", "article,post",
                     "--check"]) == 3
    printed = capsys.readouterr()
    lines = (printed.out + printed.err).splitlines()
    build_it = f"{cli._as_run()} {folder / 'content' / 'talk.yaml'} --out '{out}' --only article,post"
    assert lines == [f"{out / 'talk.md'}: not found; build it first: {build_it}",
                     f"{out / 'talk.linkedin.txt'}: not found; build it first: {build_it}",
                     "0 of 1 content file(s) match, 0 output(s) checked, 2 missing; 1 failed"]
    # The command given works, and then the check passes, counting both.
    assert cli.main([str(folder / "content" / "talk.yaml"), "--out", str(out), "--only", "article,post", "-q"]) == 0
    capsys.readouterr()
    assert cli.main([str(folder / "content" / "talk.yaml"), "--out", str(out), "--only", "article,post",
                     "--check"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 of 1 content file(s) match, 2 output(s) checked"


def test_check_of_a_folder_built_before_every_output_was_default_names_the_new_ones(tmp_path, capsys,
                                                                                   monkeypatch):
    """A folder a plain build made when it made five outputs (before the slides PDF and the
    carousel joined it): a plain --check finds those two missing and names the plain build,
    which makes just them (the five are unchanged); then the check passes, counting seven."""
    from triptych import cli

    monkeypatch.chdir(project(tmp_path, talk=MINIMAL))
    assert cli.main(["--only", "deck,article,page,post,handout", "-q"]) == 0
    capsys.readouterr()
    assert cli.main(["--check"]) == 3
    printed = capsys.readouterr()
    assert printed.err.splitlines() == [
        f"output/talk.slides.pdf: not found; build it first: {cli._as_run()}",
        f"output/talk.carousel.pdf: not found; build it first: {cli._as_run()}",
        "0 of 1 content file(s) match, 5 output(s) checked, 2 missing; 1 failed"]
    assert cli.main([]) == 0
    built = capsys.readouterr().out
    assert "wrote output/talk.slides.pdf" in built and "wrote output/talk.carousel.pdf" in built
    assert "1 of 1 content file(s) built, 2 output(s) written, 5 unchanged" in built
    assert cli.main(["--check"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 of 1 content file(s) match, 7 output(s) checked"


@pytest.mark.parametrize("args, message", [
    (["--master", "nope.pptx"], "--master: 'nope.pptx' not found"),
    (["--templates", "nope"], "--templates: folder 'nope' not found"),
    (["--theme", "nope.yaml"], "--theme: file 'nope.yaml' not found"),
])
def test_a_missing_file_named_by_an_option_is_blamed_on_the_option(tmp_path, monkeypatch, capsys, args, message):
    from triptych import cli

    folder = project(tmp_path, talk=MINIMAL)
    monkeypatch.chdir(folder)
    assert cli.main([*args, "--only", "article"]) == 2
    assert capsys.readouterr().err.splitlines()[0] == message
    assert not (folder / "output").exists()


@pytest.mark.parametrize("out, made", [("talk.pptx", False), ("notes.txt", True), ("build/Talk.PDF", False)])
def test_an_out_that_is_a_file_is_refused_and_no_folder_is_made(tmp_path, monkeypatch, capsys, out, made):
    # `--out talk.pptx` made a folder named talk.pptx; an existing file gave "cannot write" (exit 1).
    from triptych import cli

    folder = project(tmp_path, talk=MINIMAL)
    monkeypatch.chdir(folder)
    if made:
        (folder / out).write_text("mine\n")
    assert cli.main(["--out", out, "--only", "article"]) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"--out: '{out}' {'is' if made else 'names'} a file; --out is the folder the outputs are written to, "
        "each named after its content file (--out build writes build/<name>.pptx ...)")
    assert (folder / out).is_file() if made else not (folder / out).exists()
    assert cli.main(["--out", "build.v2", "--only", "article"]) == 0  # a folder's name may have a dot


def test_a_missing_master_named_by_the_theme_is_blamed_on_its_line(tmp_path, monkeypatch, capsys):
    from triptych import cli

    folder = project(tmp_path, talk=MINIMAL)
    shutil.copytree(ROOT / "templates", folder / "brand")
    theme = folder / "brand" / "theme.yaml"
    line = len(theme.read_text(encoding="utf-8").splitlines()) + 1
    with theme.open("a", encoding="utf-8") as fh:
        fh.write("master: brand.potx\n")
    monkeypatch.chdir(folder)
    assert cli.main(["--templates", "brand", "--only", "article"]) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"brand/theme.yaml:{line}: master: 'brand.potx' not found (looked for brand/brand.potx, beside the theme file)")


def test_a_typo_in_the_content_the_theme_or_the_slide_plan_exits_2_with_a_did_you_mean(tmp_path, monkeypatch, capsys):
    from triptych import cli

    folder = project(tmp_path, talk=MINIMAL + "    layout: qoute\n    bdy: x\n")
    monkeypatch.chdir(folder)
    assert cli.main(["--only", "deck,article"]) == 2  # the content: every problem in one run
    assert capsys.readouterr().err.splitlines()[:2] == [
        "content/talk.yaml:6: sections[0].layout: unknown layout 'qoute'; did you mean 'quote'?",
        "content/talk.yaml:7: sections[0].bdy: unknown key 'bdy'; did you mean 'body'?"]
    (folder / "content" / "talk.yaml").write_text(MINIMAL.lstrip("\n"), encoding="utf-8")
    shutil.copytree(ROOT / "templates", folder / "brand")
    theme = folder / "brand" / "theme.yaml"
    line = len(theme.read_text(encoding="utf-8").splitlines()) + 2
    theme.write_text(theme.read_text(encoding="utf-8") + "sizes:\n  bodyy: 22\n", encoding="utf-8")
    assert cli.main(["--templates", "brand", "--only", "article"]) == 2  # the theme
    assert capsys.readouterr().err.splitlines()[0] == (
        f"brand/theme.yaml:{line}: sizes.bodyy: unknown key 'bodyy'; did you mean 'body'?")
    theme.write_text((ROOT / "templates" / "theme.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    plan = folder / "brand" / "deck.yaml.j2"
    plan.write_text(plan.read_text(encoding="utf-8").replace("  - layout: closing", "  - layuot: closing"),
                    encoding="utf-8")
    assert cli.main(["--templates", "brand", "--only", "deck"]) == 2  # the slide plan
    err = capsys.readouterr().err
    assert re.search(r"brand/deck\.yaml\.j2:\d+: slides\[\d+\]\.layuot: rendered plan: unknown key 'layuot'; "
                     r"did you mean 'layout'\?", err), err
    assert not (folder / "output" / "talk.pptx").exists()


def test_a_plain_build_makes_every_output():
    from triptych.cli import _default_outputs, _outputs
    from triptych.writers import defaults

    assert defaults() == ("deck", "article", "page", "post", "handout", "slides", "carousel")
    assert _outputs("all") == list(REGISTRY) == list(defaults())
    # --png adds no output: the PDFs it draws the pages of are built anyway
    assert _default_outputs(png=True) == _default_outputs(png=False) == list(defaults())


def test_themes_lists_every_built_in_theme_with_its_description(tmp_path):
    from triptych.theme import builtin_themes, load_theme

    result = run(tmp_path, "--themes")
    assert result.returncode == 0, result.stderr
    for name, path in builtin_themes().items():
        assert re.search(rf"^{name} +{re.escape(load_theme(path).description)}$", result.stdout, re.M)


def test_theme_by_name_styles_the_outputs_and_a_typo_gets_a_did_you_mean(tmp_path):
    folder = project(tmp_path, talk=MINIMAL)
    result = run(folder, "--theme", "night", "--only", "page", "--out", "out")
    assert result.returncode == 0, result.stderr
    assert "--background: #0F1724;" in (folder / "out" / "talk.html").read_text(encoding="utf-8")
    result = run(folder, "--theme", "nihgt", "--only", "page", "--out", "out2")
    assert result.returncode == 2 and "did you mean 'night'?" in result.stderr
    assert not (folder / "out2").exists()


def test_low_contrast_warns_and_strict_makes_it_an_error_that_writes_nothing(tmp_path):
    folder = project(tmp_path, talk=MINIMAL)
    (folder / "pale.yaml").write_text('extends: paper\ncolors:\n  muted: "B0A090"\n', encoding="utf-8")
    result = run(folder, "--theme", "pale.yaml", "--only", "article", "--out", "out")
    assert result.returncode == 0, result.stderr
    warning = "pale.yaml:3: colors.muted: muted #B0A090 on background #FFFDF8 has contrast 2.4:1, below the 4.5:1"
    assert warning in result.stderr
    before = outputs_of(folder / "out")
    result = run(folder, "--theme", "pale.yaml", "--only", "article", "--out", "out", "--strict", "--force")
    assert result.returncode == 2 and warning in result.stderr
    assert outputs_of(folder / "out") == before


def test_the_readme_lists_every_option_of_the_command():
    # The README's command-line block lacked --version, which --help shows.
    from triptych.cli import parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("## The command line"):]
    block = block[:block.index("```", block.index("```") + 3)]
    options = {s for action in parser()._actions for s in action.option_strings if s.startswith("--")} - {"--help"}
    missing = sorted(o for o in options if not re.search(rf"^\s+(-\w, )?{re.escape(o)}\b", block, re.MULTILINE))
    assert missing == [], missing


@pytest.mark.parametrize("value, message", [
    ("dekc", "unknown output 'dekc'; did you mean 'deck'?"),
    ("deck,handot", "unknown output 'handot'; did you mean 'handout'?"),
    ("al", "unknown output 'al'; did you mean 'all'?"),
    ("video", "unknown output 'video'; choose from deck, article, page, post, handout, slides, carousel, or all"),
])
def test_an_unknown_output_gets_a_did_you_mean(value, message):
    import argparse

    from triptych.cli import _outputs

    with pytest.raises(argparse.ArgumentTypeError) as err:
        _outputs(value)
    assert str(err.value) == message


def test_choices_are_taken_in_any_case():
    # "--paper letter" was "invalid choice: 'letter' (choose from 'A4', 'Letter')".
    from triptych.cli import parser

    args = parser().parse_args(["--paper", "letter", "--handout", "Compact", "--carousel-size", "SQUARE"])
    assert (args.paper, args.handout_layout, args.carousel_size) == ("Letter", "compact", "square")
    assert parser().parse_args(["--paper", "a4"]).paper == "A4"
    with pytest.raises(SystemExit):
        parser().parse_args(["--paper", "A5"])


def test_png_with_only_outputs_that_have_no_pages_to_draw_is_a_mistake(tmp_path):
    # "--only deck --png" wrote no picture and said nothing about it.
    result = run(tmp_path, "--only", "deck,article", "--png")
    assert result.returncode == 2
    assert ("--png writes the pages of the slides and carousel outputs as pictures, but --only builds none of them: "
            "add slides or carousel to --only") in result.stderr
    from triptych.cli import parser

    assert parser().parse_args(["--only", "deck,slides", "--png"]).png  # one with pages is enough


# The command run as its entry points run it, in a process that notes whether Python took
# the interpreter apart at exit (a module global's finalizer runs then) and whether the
# exit handlers ran and the streams were flushed (stdout is a pipe: block-buffered).
EXIT_PROBE = """
import atexit, runpy, sys, threading, time
class Noted:
    def __del__(self):
        sys.__stdout__.write(" torn-down")
        sys.__stdout__.flush()
kept = Noted()
atexit.register(lambda: sys.stdout.write(" exit-handler"))
sys.stdout.write("buffered")
if sys.argv[2] == "thread":  # still running when main returns
    import triptych.cli
    main, returned = triptych.cli.main, threading.Event()
    triptych.cli.main = lambda argv=None: (main(argv), returned.set())[0]
    threading.Thread(target=lambda: (returned.wait(), time.sleep(1), sys.stdout.write(" thread-done"))).start()
sys.argv = [sys.argv[1], *sys.argv[3:]]
if sys.argv[0] == "-m":
    runpy.run_module("triptych", run_name="__main__", alter_sys=True)
else:
    runpy.run_path(sys.argv[0], run_name="__main__")
"""


def exit_probe(tmp_path: Path, entry: str, *args: str, thread: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", EXIT_PROBE, entry, "thread" if thread else "-", *args],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={**{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
                               "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("entry", [str(ROOT / "build.py"), "-m"])
def test_the_command_ends_without_taking_the_interpreter_apart_but_exits_properly(tmp_path, entry):
    """``cli.run``: a build's process holds WeasyPrint and the writers, which Python freed
    one object at a time at exit (0.17 s of the sample's build); the process now ends at
    once, after the exit handlers ran and the streams were flushed, with main's status."""
    done = exit_probe(tmp_path, entry, "--themes")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("buffered") and "navy" in done.stdout
    assert done.stdout.endswith(" exit-handler") and "torn-down" not in done.stdout
    failed = exit_probe(tmp_path, entry, "missing.yaml", "--only", "article", "-q")
    assert failed.returncode == 2 and "torn-down" not in failed.stdout


def test_the_command_exits_as_python_does_while_another_thread_runs(tmp_path):
    done = exit_probe(tmp_path, str(ROOT / "build.py"), "--themes", thread=True)
    assert done.returncode == 0, done.stderr
    assert " thread-done" in done.stdout and "torn-down" in done.stdout


def test_the_installed_command_is_the_one_that_ends_at_once():
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"triptych": "triptych.cli:run"}


def test_a_reader_that_stops_reading_does_not_stop_the_build(tmp_path):
    """`triptych | head -1`: the reader closes the pipe after a line. The build was reported
    as 'internal error: this is a bug in triptych' (BrokenPipeError) and stopped there,
    with one of its outputs written; it now writes them all, and says nothing more."""
    read, write = os.pipe()
    os.close(read)  # gone before the first line, as head is after its last
    try:
        proc = subprocess.run([sys.executable, "-m", "triptych", str(SAMPLE), "--only", "article,page,post,handout",
                               "--out", str(tmp_path / "out")], cwd=ROOT, stdout=write, stderr=subprocess.PIPE,
                              text=True, timeout=120)
    finally:
        os.close(write)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".html", ".json", ".md", ".pdf", ".txt"]


@pytest.mark.parametrize("args, status", [
    (["-q", "SAMPLE"], 0),           # a quiet build's only line is its summary
    (["--validate", "SAMPLE"], 0),
    (["-q", "BROKEN"], 2),           # a content mistake keeps its status
])
def test_a_reader_gone_before_the_last_line_leaves_the_status_alone(tmp_path, args, status):
    """`triptych -q | head -1` with nothing read: the only line a quiet build prints, its
    summary, met the closed pipe outside the progress lines and ended in a
    BrokenPipeError traceback and exit 1 after every output was written. The command's
    other lines (--validate's) are the same; a failed build still says 2."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: x\nsections: [\n", encoding="utf-8")
    files = {"SAMPLE": str(SAMPLE), "BROKEN": str(broken)}
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run([sys.executable, "build.py", *(files.get(a, a) for a in args), "--only", "article,post",
                               "--out", str(tmp_path / "out")], cwd=ROOT, stdout=write, stderr=subprocess.PIPE,
                              text=True, timeout=120)
    finally:
        os.close(write)
    assert proc.returncode == status, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
