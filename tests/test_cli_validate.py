"""``--validate`` (in triptych/cli.py): the content check without a build, as the pre-commit
hook runs it; and the hook's own definition, .pre-commit-hooks.yaml."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
import yaml

from triptych.cli import main

from conftest import MINIMAL, ROOT, SAMPLE

BAD = """
title: |
  Two
  lines
author: {name: A}
date: 2024-02-30
sections:
  - title: Ok
    points: [fine]
"""

MANY_TAGS = MINIMAL.replace("title: A small talk", "title: A small talk\ntags: [a, b, c, d, e, f]")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_valid_file_passes_and_nothing_is_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "talk.yaml", MINIMAL)
    before = snapshot(tmp_path)
    assert main(["--validate"]) == 0
    assert capsys.readouterr().out == "1 of 1 content file(s) valid\n"
    assert snapshot(tmp_path) == before


def test_every_problem_of_every_file_is_reported_with_exit_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "good.yaml", MINIMAL)
    write(tmp_path, "bad.yaml", BAD)
    assert main(["--validate", "content/good.yaml", "content/bad.yaml", "content/missing.yaml"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == [
        "content/bad.yaml:1: title: must be one line; remove the line break (use a block field such as body for prose)",
        "content/bad.yaml:5: date: '2024-02-30' is not a real date (day is out of range for month)",
    ]
    assert err[2].startswith("content/missing.yaml")
    assert err[3:] == ["1 of 3 content file(s) valid; 2 failed"]
    assert not (tmp_path / "output").exists()


def test_platform_warnings_are_printed_and_do_not_fail(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "talk.yaml", MANY_TAGS)
    assert main(["--validate"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"^warning: content/talk\.yaml:2: tags: has 6 tags; Medium takes 5", err, re.MULTILINE), err


def test_a_list_item_merged_into_the_one_above_is_a_warning(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "talk.yaml", MINIMAL.replace("points: [One, Two]", "points:\n      - One\n       - Two"))
    assert main(["--validate"]) == 0
    assert capsys.readouterr().err.startswith(
        "warning: content/talk.yaml:7: sections[0].points[0]: this line starts with '- ' but is read as more "
        "of the item above it (\"One - Two\")")


def test_the_sample_we_ship_has_no_warning(monkeypatch, capsys):
    # A new user's first build warned that the sample had 8 tags where Medium takes 5.
    monkeypatch.chdir(ROOT)
    assert main(["--validate", str(SAMPLE.relative_to(ROOT))]) == 0
    assert capsys.readouterr().err == ""


def test_no_content_files_is_a_mistake(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["--validate"]) == 2
    assert "no content files found" in capsys.readouterr().err


def test_validate_renders_nothing(tmp_path):
    """No writer runs, so neither python-pptx nor WeasyPrint is even imported: the check
    stays a fraction of a build's time (0.3 s for the sample here, against 1.5 s or more)."""
    code = ("import sys; from triptych.cli import main; status = main(['--validate', sys.argv[1]]); "
            "print(status, sorted(m for m in ('pptx', 'weasyprint', 'triptych.writers.deck', 'triptych.writers.handout')"
            " if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, str(SAMPLE)], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 []"


def test_validate_runs_no_template(tmp_path, monkeypatch, capsys):
    import triptych.render

    def refuse(*args, **kwargs):
        raise AssertionError("--validate rendered a template")

    monkeypatch.setattr(triptych.render, "render", refuse)
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "talk.yaml", MANY_TAGS)
    assert main(["--validate"]) == 0


# --- the pre-commit hook ------------------------------------------------------------------


@pytest.fixture(scope="module")
def hook() -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["triptych-validate"]
    return hooks[0]


def test_the_hook_runs_the_installed_command_on_changed_content_files(hook):
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    command, *arguments = hook["entry"].split()
    assert scripts[command] == "triptych.cli:run" and arguments == ["--validate"]
    assert hook["language"] == "python"  # pre-commit installs this repository, so the command exists
    assert hook.get("pass_filenames", True) and not hook.get("always_run", False)


@pytest.mark.parametrize("path, matched", [
    ("content/talk.yaml", True),
    ("talks/content/q3-launch.yaml", True),
    ("content/sub/data.yaml", False),  # the build takes content/*.yaml, not its subfolders
    ("content/talk.yml", False),  # nor .yml
    ("templates/theme.yaml", False),
    ("content/images/x.png", False),
    ("content/talk.yaml.orig", False),
    (".github/workflows/ci.yaml", False),
])
def test_the_hook_sees_content_files_only(hook, path, matched):
    assert bool(re.search(hook["files"], path)) is matched


def test_the_hooks_command_fails_a_commit_with_a_mistake(hook, tmp_path, monkeypatch, capsys):
    """What pre-commit does: run the entry with the changed files as arguments."""
    monkeypatch.chdir(tmp_path)
    changed = [write(tmp_path, "good.yaml", MINIMAL), write(tmp_path, "bad.yaml", BAD)]
    command, *arguments = hook["entry"].split()
    assert main([*arguments, *(str(p.relative_to(tmp_path)) for p in changed)]) == 2
    assert "content/bad.yaml:1: title: must be one line" in capsys.readouterr().err
    assert main([*arguments, str(changed[0].relative_to(tmp_path))]) == 0


def test_the_theme_a_talk_names_is_checked_too(tmp_path, monkeypatch, capsys):
    """A mistake in the talk's own theme fails it; a low contrast pair there is a warning."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "talk.yaml", "theme: themes/brand.yaml\n" + textwrap.dedent(MINIMAL).lstrip("\n"))
    brand = tmp_path / "content" / "themes" / "brand.yaml"
    brand.parent.mkdir()
    brand.write_text('extends: paper\ncolors: {accent: "12345"}\n')
    assert main(["--validate"]) == 2
    assert "content/themes/brand.yaml:2: colors.accent: must be six hex digits such as 1F3A5F" in capsys.readouterr().err
    brand.write_text('extends: paper\ncolors: {muted: "EEEEEE"}\n')
    assert main(["--validate"]) == 0
    assert "warning: content/themes/brand.yaml:2: colors.muted: muted #EEEEEE on background" in capsys.readouterr().err
