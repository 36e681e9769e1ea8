"""docs/ci-example.yml, the README's CI workflow for a repository of talks: its sharding
script runs here in bash, as the CI runs it, with a stand-in ``triptych`` that records
what it was asked to build."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOW = ROOT / "docs" / "ci-example.yml"


@pytest.fixture(scope="module")
def job() -> dict:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return workflow["jobs"]["build"]


def step(job: dict, name: str) -> dict:
    return next(s for s in job["steps"] if s.get("name") == name)


def shares(job: dict, folder: Path, jobs: int) -> list[list[str] | None]:
    """For each job index, the files the stand-in triptych was given (None: not run)."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    script = step(job, "Build this job's share of the talks")["run"]
    bin_dir = folder / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "triptych"
    fake.write_text('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > "$CALLED"\n')
    fake.chmod(0o755)
    out = []
    for index in range(jobs):
        called = folder / f"called-{index}"
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "JOB": str(index),
               "JOBS": str(jobs), "CALLED": str(called)}
        # GitHub Actions runs `run:` scripts with `bash --noprofile --norc -eo pipefail`.
        result = subprocess.run([bash, "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=folder,
                                env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        out.append(called.read_text().splitlines() if called.exists() else None)
    return out


def test_every_talk_is_built_by_exactly_one_job(job, tmp_path):
    talks = [f"content/talk-{i}.yaml" for i in range(40)] + ["content/with a space.yaml", "content/-dash.yaml"]
    (tmp_path / "content").mkdir()
    for talk in talks:
        (tmp_path / talk).write_text("title: x\n")
    (tmp_path / "content" / "notes.txt").write_text("not a talk")
    given = shares(job, tmp_path, 4)
    built = [talk for share in given if share for talk in share]
    assert sorted(built) == sorted(talks)
    assert all(given), "42 talks over 4 jobs: every job has some"
    # the same split on the next run, so each job's cache holds its talks' outputs
    assert shares(job, tmp_path, 4) == given


def test_a_job_without_talks_builds_nothing(job, tmp_path):
    """A bare ``triptych`` would build every talk: a job whose share is empty must not run it."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "only.yaml").write_text("title: x\n")
    given = shares(job, tmp_path, 3)
    assert sorted(given, key=bool) == [None, None, ["content/only.yaml"]]


def test_the_outputs_are_kept_as_artifacts_and_cached_per_job(job):
    upload = step(job, "Keep the outputs")
    assert upload["uses"].startswith("actions/upload-artifact@") and upload["if"] == "always()"
    assert upload["with"]["path"].split() == ["output/", "!output/.triptych-cache.json"]
    cache = step(job, "Restore this job's outputs from its last run")
    assert cache["with"]["path"] == "output"
    assert "strategy.job-index" in cache["with"]["key"] and "strategy.job-total" in cache["with"]["key"]
    assert not job["strategy"]["fail-fast"]
