"""Tests for triptych.cache and the skip-what-is-fresh part of the build.

The unit half drives ``Cache`` and the digests directly. The build half uses the light
outputs (article and page: Jinja and Markdown only) in one process (``jobs=1``), so each
test builds in well under a second; one test runs a no-op rebuild of the PDF in a fresh
Python process to prove it never imports WeasyPrint.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL, ROOT, SAMPLE, TEMPLATES
from triptych.cache import (MANIFEST, Cache, content_digest, environment_digest, input_digests, output_key,
                            tree_digest)
from triptych.loader import load
from triptych.pipeline import Options, build
from triptych.writers import output

LIGHT = ["article", "page"]


# -- digests -------------------------------------------------------------------------------


def test_tree_digest_sees_edits_additions_renames_and_removals(tmp_path):
    (tmp_path / "a.j2").write_text("one")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.j2").write_text("two")
    seen = {tree_digest(tmp_path)}
    (tmp_path / "a.j2").write_text("one!")
    seen.add(tree_digest(tmp_path))
    (tmp_path / "c.j2").write_text("three")
    seen.add(tree_digest(tmp_path))
    (tmp_path / "c.j2").rename(tmp_path / "d.j2")
    seen.add(tree_digest(tmp_path))
    (tmp_path / "sub" / "b.j2").unlink()
    seen.add(tree_digest(tmp_path))
    assert len(seen) == 5


def test_tree_digest_ignores_hidden_files_and_bytecode(tmp_path):
    (tmp_path / "a.j2").write_text("one")
    before = tree_digest(tmp_path)
    (tmp_path / ".a.j2.swp").write_text("editor state")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert tree_digest(tmp_path) == before


def test_content_digest_covers_the_images_a_talk_uses(tmp_path):
    shutil.copytree(SAMPLE.parent, tmp_path / "content")
    path = tmp_path / "content" / SAMPLE.name
    raw = path.read_bytes()
    before = content_digest(raw, load(path))
    image = tmp_path / "content" / "images" / "llms-in-foundation-models.png"
    image.write_bytes(image.read_bytes() + b"\0")
    assert content_digest(raw, load(path)) != before
    assert content_digest(raw + b"\n", load(path)) != content_digest(raw, load(path))


def test_environment_digest_holds_exactly_what_the_record_depends_on(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    theme = templates / "theme.yaml"
    master = tmp_path / "master.pptx"
    master.write_bytes(b"PK one")
    deck, handout, article = output("deck"), output("handout"), output("article")

    def digests(**change):
        inputs = {"master": master, "page_size": None, "front_matter": False, "handout_layout": None, **change}
        m = inputs.pop("master")
        return {r.name: environment_digest(r, input_digests(templates, theme, m, inputs)) for r in (deck, handout, article)}

    base = digests()
    assert digests() == base
    assert differ(digests(page_size="Letter"), base) == {"handout"}
    assert differ(digests(master=None), base) == {"deck"}
    assert differ(digests(front_matter=True), base) == {"article"}
    assert differ(digests(handout_layout="compact"), base) == {"handout"}
    master.write_bytes(b"PK two")
    assert differ(digests(), base) == {"deck"}
    theme.write_text(theme.read_text() + "\n")
    assert differ(digests(), base) == {"deck", "handout"}
    (templates / "article.md.j2").write_text("changed")
    assert differ(digests(), base) == {"deck", "handout", "article"}
    with pytest.raises(KeyError):  # an input the build forgot would miss changes: a bug, loudly
        environment_digest(handout, {"templates": "t", "theme": "x"})


def differ(a: dict, b: dict) -> set:
    return {name for name in a if a[name] != b[name]}


def test_library_versions_are_the_ones_importlib_metadata_reads():
    from importlib import metadata

    from triptych import cache
    from triptych.writers import records

    names = {*cache.LIBRARIES, *(lib for record in records() for lib in record.libraries)}
    assert {n: cache.library_version(n) for n in names} == {n: metadata.version(n) for n in names}
    # Every distribution installed here, under any spelling of its name.
    for name, version in cache._installed().items():
        assert metadata.version(name) == version == cache.library_version(name.upper().replace("-", "_"))


def test_library_version_takes_the_first_on_the_path_and_falls_back_to_metadata(tmp_path, monkeypatch):
    from triptych import cache

    for folder, dist in (("first", "Foo_Bar-2.0.dist-info"), ("second", "foo.bar-1.0.dist-info")):
        (tmp_path / folder / dist).mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [str(tmp_path / "first"), str(tmp_path / "second"), *sys.path])
    cache._installed.cache_clear()
    cache.library_version.cache_clear()
    try:
        assert cache.library_version("foo-bar") == "2.0"
        assert cache.library_version("no-such-distribution") == "absent"
        assert cache.library_version("Jinja2") == cache._installed()["jinja2"]
    finally:
        cache._installed.cache_clear()
        cache.library_version.cache_clear()


def test_output_keys_differ_per_output():
    assert output_key("c", "e", "deck") != output_key("c", "e", "handout")


# -- the manifest --------------------------------------------------------------------------


def test_an_output_is_fresh_only_with_its_key_and_its_bytes(tmp_path):
    target = tmp_path / "talk.md"
    target.write_bytes(b"# Talk\n")
    cache = Cache.open(tmp_path)
    assert not cache.fresh(target, "k1", checking=True)
    cache.record(target, "k1", b"# Talk\n", checked=True)
    cache.save()
    cache = Cache.open(tmp_path)
    assert cache.fresh(target, "k1", checking=True)
    assert not cache.fresh(target, "k2", checking=True)  # an input changed
    target.write_bytes(b"# Talk, edited by hand\n")
    assert not cache.fresh(target, "k1", checking=True)  # the output changed
    target.unlink()
    assert not cache.fresh(target, "k1", checking=True)  # the output is gone


def test_an_unchecked_output_is_not_fresh_for_a_checking_build(tmp_path):
    target = tmp_path / "talk.md"
    target.write_bytes(b"x")
    cache = Cache.open(tmp_path)
    cache.record(target, "k", b"x", checked=False)
    assert cache.fresh(target, "k", checking=False)
    assert not cache.fresh(target, "k", checking=True)


def test_save_merges_with_what_another_build_saved_meanwhile(tmp_path):
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_bytes(name.encode())
    first, second = Cache.open(tmp_path), Cache.open(tmp_path)
    first.record(tmp_path / "a.md", "ka", b"a.md", checked=True)
    first.save()
    second.record(tmp_path / "b.md", "kb", b"b.md", checked=True)
    second.save()
    merged = Cache.open(tmp_path)
    assert merged.fresh(tmp_path / "a.md", "ka", True) and merged.fresh(tmp_path / "b.md", "kb", True)
    merged.forget([tmp_path / "a.md"])
    merged.save()
    assert not Cache.open(tmp_path).fresh(tmp_path / "a.md", "ka", True)


def test_nothing_recorded_writes_nothing(tmp_path):
    Cache.open(tmp_path).save()
    assert not (tmp_path / MANIFEST).exists()


@pytest.mark.parametrize("damage", [
    b"",
    b"{not json",
    b"\xff\xfe garbage",
    b"[]",
    b'{"format": 99, "outputs": {}}',
    b'{"format": 1}',
    b'{"format": 1, "outputs": []}',
    b'{"format": 1, "outputs": {"talk.md": "abc"}}',
    b'{"format": 1, "outputs": {"talk.md": {"key": 1, "sha256": "x", "checked": true}}}',
    b'{"format": 1, "outputs": {"talk.md": {"key": "k", "sha256": "x", "checked": "yes"}}}',
    b'{"format": 1, "outputs": {"../talk.md": {"key": "k", "sha256": "x", "checked": true}}}',
])
def test_a_damaged_manifest_is_ignored_with_a_reason(tmp_path, damage):
    (tmp_path / MANIFEST).write_bytes(damage)
    cache = Cache.open(tmp_path)
    assert cache.entries == {}
    assert MANIFEST in cache.ignored


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(max_size=300),
                 st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                              lambda inner: st.lists(inner, max_size=4)
                              | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                              max_leaves=12).map(lambda v: json.dumps({"format": 1, "outputs": v}).encode())))
def test_no_manifest_makes_the_cache_raise_or_trust_a_wrong_file(tmp_path, raw):
    (tmp_path / MANIFEST).write_bytes(raw)
    target = tmp_path / "talk.md"
    target.write_bytes(b"whatever")
    cache = Cache.open(tmp_path)  # must not raise
    assert not cache.fresh(target, "the real key", checking=True)


# -- the cache inside a build --------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    """A content folder with the minimal talk plus a picture, its own copy of the
    templates, and a build function returning {output file name: "written"/"unchanged"}."""
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    shutil.copyfile(SAMPLE.parent / "images" / "llms-in-foundation-models.png", content / "images" / "pic.png")
    talk = content / "talk.yaml"
    talk.write_text(textwrap.dedent(MINIMAL).lstrip()
                    + "  - title: A picture\n    image: {path: images/pic.png, alt: Two nested boxes}\n",
                    encoding="utf-8")
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    out = tmp_path / "out"

    def run(**options):
        opts = Options(out_dir=out, outputs=LIGHT, templates=templates, jobs=1, **options)
        report = build([talk], opts)
        assert report.exit_status == 0, [str(p) for f in report.files for p in f.problems]
        (result,) = report.files
        return {**{p.name: "written" for p in result.written}, **{p.name: "unchanged" for p in result.unchanged}}

    run.talk, run.templates, run.out, run.image = talk, templates, out, content / "images" / "pic.png"
    return run


ALL_WRITTEN = {"talk.md": "written", "talk.html": "written"}
ALL_UNCHANGED = {"talk.md": "unchanged", "talk.html": "unchanged"}


def test_a_change_to_the_built_in_theme_a_theme_extends_rebuilds(project, tmp_path, monkeypatch):
    """templates/theme.yaml says ``extends: navy``: navy's file is part of the key, wherever it lives."""
    from triptych import theme

    themes = tmp_path / "themes"
    shutil.copytree(theme.THEMES_DIR, themes)
    monkeypatch.setattr(theme, "THEMES_DIR", themes)
    assert project() == ALL_WRITTEN
    assert project() == ALL_UNCHANGED
    navy = themes / "navy.yaml"
    navy.write_text(navy.read_text().replace('muted: "5B6B7B"', 'muted: "5B6B7C"'))
    assert project() == {"talk.md": "unchanged", "talk.html": "written"}  # the article reads no theme


def test_a_second_build_skips_everything_and_force_rebuilds(project):
    assert project() == ALL_WRITTEN
    assert project() == ALL_UNCHANGED
    assert project(force=True) == ALL_WRITTEN
    assert project() == ALL_UNCHANGED


@pytest.mark.parametrize("change", ["content", "template", "image", "output deleted", "output edited"])
def test_each_kind_of_change_rebuilds(project, change):
    project()
    if change == "content":
        project.talk.write_text(project.talk.read_text().replace("One", "Uno"), encoding="utf-8")
    elif change == "template":
        article = project.templates / "article.md.j2"
        article.write_text(article.read_text() + "{# a comment changes no output, but the cache cannot know #}\n")
    elif change == "image":
        project.image.write_bytes(project.image.read_bytes() + b"\0")
    elif change == "output deleted":
        (project.out / "talk.md").unlink()
    else:
        (project.out / "talk.html").write_text("<p>hand edit</p>")
    result = project()
    if change == "output deleted":
        assert result == {"talk.md": "written", "talk.html": "unchanged"}
    elif change == "output edited":
        assert result == {"talk.md": "unchanged", "talk.html": "written"}
    else:
        assert result == ALL_WRITTEN


def test_an_option_rebuilds_only_the_outputs_that_depend_on_it(project):
    """Each output's key holds only what its record says it depends on: the paper size
    and the master change neither the article nor the page; --front-matter only the article."""
    project()
    assert project(page_size="Letter") == ALL_UNCHANGED
    master = project.templates.parent / "brand.pptx"
    master.write_bytes(b"PK not read by the article or the page")
    assert project(master=master) == ALL_UNCHANGED
    assert project(writer_options={"front_matter": True}) == {"talk.md": "written", "talk.html": "unchanged"}
    # An option left out means its default, as the command line's "off" does.
    assert project(writer_options={"front_matter": False}) == {"talk.md": "written", "talk.html": "unchanged"}
    assert project() == ALL_UNCHANGED


def test_a_theme_change_rebuilds_only_the_outputs_that_read_the_theme(project):
    project()
    theme = project.templates / "theme.yaml"
    theme.write_text(theme.read_text() + 'colors:\n  accent: "1F7A71"\n')
    assert project() == {"talk.md": "unchanged", "talk.html": "written"}


@pytest.mark.parametrize("damage", [b"{broken", b'{"format": 1, "outputs": {"talk.md": 3}}'])
def test_a_damaged_manifest_rebuilds_with_a_warning_and_is_repaired(project, damage):
    project()
    (project.out / MANIFEST).write_bytes(damage)
    warnings = []
    report = build([project.talk], Options(out_dir=project.out, outputs=LIGHT, templates=project.templates, jobs=1),
                   on_warning=warnings.append)
    assert report.exit_status == 0 and len(report.files[0].written) == 2
    assert any(MANIFEST in w for w in warnings)
    assert project() == ALL_UNCHANGED


def test_a_content_mistake_is_reported_again_not_skipped(project):
    project()
    project.talk.write_text(project.talk.read_text().replace("title: A small talk", "title: [oops"), encoding="utf-8")
    opts = Options(out_dir=project.out, outputs=LIGHT, templates=project.templates, jobs=1)
    for _ in range(2):
        assert build([project.talk], opts).exit_status == 2


def test_an_output_that_failed_parity_is_not_recorded(project, monkeypatch):
    from triptych import jobs, parity

    project()
    project.talk.write_text(project.talk.read_text().replace("One", "Eins"), encoding="utf-8")
    real = parity.check_output

    def lose_text(talk, name, path, display=None):
        check = real(talk, name, path, display)
        if name == "article":
            check.problems.append(parity.Problem(display or str(path), 0, "", "lost text (simulated)"))
        return check

    monkeypatch.setattr(jobs, "check_output", lose_text)
    opts = Options(out_dir=project.out, outputs=LIGHT, templates=project.templates, jobs=1)
    assert build([project.talk], opts).exit_status == 3
    monkeypatch.setattr(jobs, "check_output", real)
    # The article is rebuilt (and checked again); the page, which passed, is skipped.
    assert project() == {"talk.md": "written", "talk.html": "unchanged"}


def test_a_no_op_rebuild_never_imports_weasyprint(project):
    """In a fresh process, as a user's second ``python build.py`` would run."""
    opts = Options(out_dir=project.out, outputs=["article", "handout"], templates=project.templates, jobs=1)
    assert build([project.talk], opts).exit_status == 0
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from triptych import Options, build
        report = build([Path({str(project.talk)!r})], Options(out_dir=Path({str(project.out)!r}),
                       outputs=["article", "handout"], templates=Path({str(project.templates)!r})))
        print(report.exit_status, len(report.files[0].unchanged), "weasyprint" in sys.modules, "pptx" in sys.modules)
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["0", "2", "False", "False"], done.stderr


def test_a_no_op_build_reports_the_same_warnings_as_the_build_that_wrote_the_outputs(project):
    # The "more than 5 tags" warning used to be given only by builds that ran the article
    # writer: once the article was up to date, the build said nothing about it.
    project.talk.write_text(project.talk.read_text() + "tags: [a, b, c, d, e, f]\n", encoding="utf-8")
    opts = Options(out_dir=project.out, outputs=LIGHT, templates=project.templates, jobs=1)
    first = build([project.talk], opts)
    assert first.files[0].written and [w for w in first.warnings if "has 6 tags" in w]
    again = build([project.talk], opts)
    assert again.files[0].unchanged and not again.files[0].written
    assert again.warnings == first.warnings
    assert Cache.open(project.out).warnings(project.out / "talk.md") == tuple(first.warnings)


def test_warnings_round_trip_through_the_manifest(tmp_path):
    target = tmp_path / "talk.md"
    target.write_bytes(b"x")
    cache = Cache.open(tmp_path)
    cache.record(target, "k", b"x", checked=True, warnings=["c.yaml:3: tags: has 6 tags"])
    cache.save()
    assert Cache.open(tmp_path).warnings(target) == ("c.yaml:3: tags: has 6 tags",)
    (tmp_path / MANIFEST).write_text('{"format": 1, "outputs": {"talk.md": {"key": "k", "sha256": "x", '
                                     '"checked": true, "warnings": [1]}}}')
    assert Cache.open(tmp_path).entries == {}
