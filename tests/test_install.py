"""The package as a user installs it, tested from outside the repository.

Builds the wheel from this checkout (offline: the build backend is installed by
requirements-dev.txt, so ``--no-build-isolation``), installs it into a fresh virtual
environment in a temporary folder (``--system-site-packages`` lends it the dependencies
already installed, ``--no-deps --no-index`` downloads nothing), then, in a folder outside
the repository and with no repository on the path: ``triptych --init``, a plain
``triptych`` build of the starter talk, and ``triptych --check``'s parity report."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import triptych
from triptych.writers import available, output

from conftest import ROOT


def requirements(path: Path) -> set[str]:
    """The requirement lines of a requirements file, normalised (names canonical, comments out)."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {str(Requirement(line)).lower().replace("_", "-") for line in lines if line and not line.startswith("-")}


def run(args: list, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the wheel, the virtual environment it is installed in)."""
    missing = [name for name in ("hatchling", "hatch_requirements_txt") if importlib.util.find_spec(name) is None]
    if missing:
        message = f"{', '.join(missing)} not installed (requirements-dev.txt installs the build backend)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("install")
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-index", "--no-build-isolation",
         "-w", tmp / "dist", ROOT], cwd=tmp)
    [wheel] = (tmp / "dist").glob("triptych-*.whl")
    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv], cwd=tmp)
    # The venv has no pip of its own; the lent one installs into the venv that runs it.
    run([venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel], cwd=tmp)
    return wheel, venv


def test_the_wheel_carries_the_templates_the_command_and_the_dependencies(installed):
    wheel, _ = installed
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(info).decode()
        entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
    templates = {p.name for p in (ROOT / "templates").iterdir() if p.is_file()}
    assert {f"triptych/templates/{name}" for name in templates} <= names
    assert "triptych/starter/first-talk.yaml" in names
    assert "triptych/serve/live.js" in names  # the live preview's script
    assert not any(n.startswith(("tests/", "content/", "templates/", "bench/")) for n in names)
    assert "triptych = triptych.cli:run" in entry_points
    assert re.search(r"^Version: (.+)$", metadata, re.MULTILINE).group(1) == triptych.__version__
    # One source: the wheel's dependencies are requirements.txt's pins, no more, no fewer.
    declared = {str(Requirement(line.split(":", 1)[1].strip())).lower().replace("_", "-")
                for line in metadata.splitlines() if line.startswith("Requires-Dist:")}
    assert declared == requirements(ROOT / "requirements.txt")


def test_requirements_dev_installs_the_pinned_build_backend():
    """The wheel builds offline only with the very backend pyproject.toml asks for."""
    backend = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    assert {str(Requirement(r)).lower() for r in backend} <= requirements(ROOT / "requirements-dev.txt")


def test_init_build_and_check_outside_the_repository(installed, tmp_path):
    _, venv = installed
    command = venv / "bin" / "triptych"
    assert run([command, "--version"], cwd=tmp_path).stdout.strip() == f"triptych {triptych.__version__}"
    run([command, "--init", "talks"], cwd=tmp_path)
    project = tmp_path / "talks"

    # The installed package, not this checkout, is what runs here.
    probe = "import sys, triptych; print(triptych.__file__); print(*sys.path, sep='\\n')"
    where, *path = run([venv / "bin" / "python", "-c", probe], cwd=project).stdout.splitlines()
    assert Path(where).resolve().is_relative_to(venv.resolve()), where
    assert not any(entry and Path(entry).resolve().is_relative_to(ROOT) for entry in path), path

    built = run([command, "--only", "all"], cwd=project)
    assert f"1 of 1 content file(s) built, {len(available())} output(s) written" in built.stdout, built.stdout + built.stderr
    assert "warning" not in built.stdout + built.stderr
    for name in available():
        assert (project / "output" / f"first-talk{output(name).suffix}").stat().st_size > 0, name

    report = run([command, "--check", "--only", "all"], cwd=project).stdout
    counts = dict(re.findall(r"^output/first-talk(\S+): (\d+/\d+) pieces$", report, re.MULTILINE))
    assert set(counts) == {output(name).suffix for name in available()}, report
    for found_of in counts.values():
        found, expected = map(int, found_of.split("/"))
        assert found == expected > 0, report
    assert run([command, "--validate"], cwd=project).stdout == "1 of 1 content file(s) valid\n"
