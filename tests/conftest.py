"""Shared fixtures. Tools the suite needs from outside Python (LibreOffice, pdftoppm,
markdownlint-cli2) are installed by scripts/install-test-deps.sh; a test needing one skips
when it is missing on a developer machine, and fails under CI (CI=true), where a skip would
hide a missing install step."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

# Under CI the property tests run a fixed, reproducible set of examples (a red CI run is
# then a real regression, not a new random draw); on a developer's machine they explore.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content" / "llms-vs-foundation-models.yaml"
TEMPLATES = ROOT / "templates"


def require_tool(name: str) -> str:
    """The path of command ``name``; skip (locally) or fail (in CI) when it is missing."""
    found = shutil.which(name) or (str(ROOT / "node_modules" / ".bin" / name)
                                   if (ROOT / "node_modules" / ".bin" / name).exists() else None)
    if found:
        return found
    message = f"{name} is not installed (scripts/install-test-deps.sh installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def write_content(tmp_path):
    """Write a content file from dedented YAML text into a fresh folder; returns its path."""

    def write(text: str, name: str = "talk.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


MINIMAL = """
title: A small talk
author: {name: Ada Lovelace}
sections:
  - title: First things
    points: [One, Two]
"""
