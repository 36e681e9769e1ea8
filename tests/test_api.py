"""The library API (``triptych``): the README's example runs as written, and every public
function or ``Options`` field that takes a path accepts ``str``, ``Path`` or any ``os.PathLike``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL, ROOT, SAMPLE, TEMPLATES
from triptych import Options, build, check, load, loads
from triptych.files import display_path
from triptych.parity import check_output, read_output
from triptych.pipeline import check_built, check_file, content_files, output_path
from triptych.theme import load_theme


def readme_python() -> str:
    """The one ```python block of README.md's "As a library" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## As a library", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```python\n(.*?)^```", section, re.S | re.M)
    assert len(blocks) == 1, "the README's 'As a library' section should hold one Python block"
    return blocks[0]


def test_the_readme_example_runs_as_written(tmp_path):
    # A fresh clone as a user has it after the quick start: content/ with the sample talk and
    # its images, the example's code in a script beside it, run from the project folder.
    shutil.copytree(SAMPLE.parent, tmp_path / "content")
    code = readme_python()
    (tmp_path / "example.py").write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "example.py"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["0", "[]"]
    made = tmp_path / "output" / SAMPLE.stem
    assert made.with_suffix(".pptx").is_file() and made.with_suffix(".md").is_file()


class Spot(os.PathLike):
    """A path-like that is not a ``Path`` (nor a ``str``), as a user's own class may be."""

    def __init__(self, path):
        self.path = str(path)

    def __fspath__(self) -> str:
        return self.path

    def __str__(self) -> str:  # deliberately not the path: only os.fspath may be relied on
        return "<Spot>"


@pytest.mark.parametrize("kind", [str, Path, Spot])
def test_every_public_path_parameter_takes_str_and_any_pathlike(tmp_path, kind):
    talk_file = tmp_path / "talk.yaml"
    talk_file.write_text(MINIMAL.lstrip(), encoding="utf-8")
    out = tmp_path / "out"
    talk = load(kind(talk_file))
    assert talk.title == "A small talk"
    assert loads(MINIMAL, "talk.yaml", kind(tmp_path), "talk").title == talk.title
    options = Options(out_dir=kind(out), outputs=["article", "post"], templates=kind(TEMPLATES),
                      theme_file=kind(TEMPLATES / "theme.yaml"), jobs=1)
    assert all(isinstance(p, Path) for p in (options.out_dir, options.templates, options.theme_file))
    report = build([kind(talk_file)], options)
    assert report.exit_status == 0, [str(p) for f in report.files for p in f.problems]
    assert check(kind(talk_file), kind(out), outputs=["article", "post"]) == []
    assert check_file(kind(talk_file), options).ok
    assert check_built([kind(talk_file)], options).exit_status == 0
    assert content_files([kind(talk_file)]) == [talk_file]
    article = output_path(talk, "article", kind(out))
    assert article == out / "talk.md"
    assert "A small talk" in read_output("article", kind(article))
    assert check_output(talk, "article", kind(article)).ok
    assert display_path(kind(article)) == display_path(article)
    assert load_theme(kind(TEMPLATES / "theme.yaml")).page_size == "A4"


def test_one_path_given_alone_is_one_file(tmp_path):
    talk_file = tmp_path / "talk.yaml"
    talk_file.write_text(MINIMAL.lstrip(), encoding="utf-8")
    assert content_files(str(talk_file)) == [talk_file]
    assert Options(outputs="article").outputs == ("article",)
