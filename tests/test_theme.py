"""The theme file: the shipped one loads; each mistake is reported at its line, all at once."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from triptych.errors import ContentError
from triptych.theme import builtin_themes, load_theme, resolve
from triptych.themefile import COLOR_NAMES, FONT_ROLES, OPTIONAL_COLORS, SIZE_NAMES

from conftest import TEMPLATES

GOOD = (TEMPLATES / "themes" / "navy.yaml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "theme.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems(path: Path, **kw) -> list[str]:
    with pytest.raises(ContentError) as err:
        load_theme(path, **kw)
    return [f"{p.line}: {p.field}: {p.message}" for p in err.value.problems]


def test_the_shipped_theme_is_16_9_and_names_a_font_that_is_always_there():
    theme = load_theme(TEMPLATES / "theme.yaml")
    assert (theme.slide_width, theme.slide_height) == pytest.approx((13.3333333, 7.5))
    assert theme.page_size == "A4" and theme.master is None
    assert all(theme.fonts[role][-1].startswith("DejaVu") for role in ("heading", "body", "code"))
    assert theme.css_family("body") == '"Calibri", "Carlito", "DejaVu Sans", sans-serif'
    assert theme.css_family("code").endswith(", monospace")


def test_paper_and_master_from_the_command_line_override_the_file(tmp_path):
    master = tmp_path / "brand.pptx"
    master.write_bytes(b"not checked here: the deck opens it")
    theme = load_theme(TEMPLATES / "theme.yaml", page_size="Letter", master=master)
    assert theme.page_size == "Letter" and theme.master == master


def test_every_mistake_is_reported_at_its_line(tmp_path):
    path = write(tmp_path, """
        name: Broken
        colour: {}
        colors:
          primary: "#1F3A5F"
          accent: 2A9D8F
          text: 1E2A36
          muted: 5B6B7B
          background: FFFFFF
          light: EEF3F7
          on_primary: FFFFFF
          neon: 00FF00
        fonts:
          body: [Calibri]
        sizes:
          body: huge
          title: 400
        slide:
          width: 13.333 inches
          height: 7.5in
        page:
          size: A5
        master: missing.potx
    """)
    assert problems(path) == [
        "2: colour: unknown key 'colour'; did you mean 'colors'?",
        "4: colors.primary: must be six hex digits such as 1F3A5F",
        "11: colors.neon: unknown key 'neon'; known keys: primary, accent, text, muted, background, light, on_primary, cover, on_cover",
        "15: sizes.body: must be a number of points between 4 and 200",
        "16: sizes.title: must be a number of points between 4 and 200",
        "18: slide.width: must be a length such as 13.333in or 33.867cm (1 to 56 inches)",
        "21: page.size: 'A5' is not one of A4, Letter",
        f"22: master: 'missing.potx' not found (looked for {tmp_path / 'missing.potx'}, beside the theme file)",
    ]


def test_a_missing_colour_is_required(tmp_path):
    path = write(tmp_path, GOOD.replace('  muted: "5B6B7B"', ""))
    assert problems(path) == ["8: colors.muted: is required"]  # where the colors mapping starts


def test_yaml_mistakes_name_their_line(tmp_path):
    path = write(tmp_path, "colors: [unclosed\n")
    assert problems(path)[0].startswith("1: : YAML syntax:")  # where the unclosed [ opens


def test_a_theme_that_is_not_a_mapping(tmp_path):
    assert problems(write(tmp_path, "- a\n- b\n")) == [
        "1: : the theme must be a mapping of colors, fonts, sizes, slide, page"]


def test_a_typo_anywhere_gets_a_did_you_mean_and_all_are_reported_at_once(tmp_path):
    text = (GOOD.replace("  body: 22 ", "  bodyy: 22")
                .replace("  heading: [Calibri", "  headng: [Calibri")
                .replace("  width: 960pt", "  widht: 960pt")
                .replace("  size: A4", "  sise: A4")
                .replace("name: Triptych Navy", "nme: Triptych Navy"))
    assert problems(write(tmp_path, text)) == [
        "6: nme: unknown key 'nme'; did you mean 'name'?",
        "16: fonts.headng: unknown key 'headng'; did you mean 'heading'?",
        "22: sizes.bodyy: unknown key 'bodyy'; did you mean 'body'?",
        "27: slide.widht: unknown key 'widht'; did you mean 'width'?",  # not also "width: is required"
        "30: page.sise: unknown key 'sise'; did you mean 'size'?",
    ]


def test_font_roles_name_families(tmp_path):
    text = GOOD.replace("  code: [Consolas, Liberation Mono, DejaVu Sans Mono]", "  code: {a: b}")
    text = text.replace("  body: [Calibri, Carlito, DejaVu Sans]", "  body: [Calibri, '']")
    assert problems(write(tmp_path, text)) == [
        "17: fonts.body: must name font families: one name or a list such as [Calibri, Carlito, DejaVu Sans]",
        "18: fonts.code: expected a list, found a mapping (key: value lines)",
    ]
    theme = load_theme(write(tmp_path, GOOD.replace("  code: [Consolas, Liberation Mono, DejaVu Sans Mono]",
                                                    "  code: Consolas")))
    assert theme.fonts["code"] == ("Consolas",)


# -- properties: anything typed into any field of the theme --------------------------------

#: field -> the line of the shipped theme that sets it
LEAVES = {"name": "name: Triptych Navy", "colors.primary": '  primary: "1F3A5F"',
          "fonts.body": "  body: [Calibri, Carlito, DejaVu Sans]", "sizes.body": "  body: 22",
          "slide.width": "  width: 960pt", "page.size": "  size: A4"}
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


def _yaml_string(text: str) -> str:
    """``text`` as a double-quoted YAML scalar on one line, characters written raw."""
    return json.dumps(text, ensure_ascii=False).replace("\x85", "\\x85").replace("\u2028", "\\u2028").replace(
        "\u2029", "\\u2029")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(sorted(LEAVES)), value=TEXT)
def test_any_value_in_any_theme_field_loads_or_is_refused_naming_that_field(tmp_path, field, value):
    line = LEAVES[field]
    path = tmp_path / "theme.yaml"
    path.write_text(GOOD.replace(line, f"{line.split(':')[0]}: {_yaml_string(value)}", 1), encoding="utf-8")
    try:
        load_theme(path)
    except ContentError as err:
        assert err.problems and all(p.field in (field, "") for p in err.problems), [str(p) for p in err.problems]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(section=st.sampled_from(["colors", "fonts", "sizes", "slide", "page"]),
       key=st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd"), whitelist_characters="_"),
                   min_size=1, max_size=10))
def test_any_key_the_theme_does_not_know_is_refused_by_name(tmp_path, section, key):
    known = {"colors": (*COLOR_NAMES, *OPTIONAL_COLORS), "fonts": FONT_ROLES, "sizes": SIZE_NAMES, "slide": ("width", "height"),
             "page": ("size",)}[section]
    assume(key not in known)
    path = tmp_path / "theme.yaml"
    path.write_text(GOOD.replace(f"\n{section}:", f"\n{section}:\n  {key}: 1", 1), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_theme(path)
    (problem,) = err.value.problems
    assert problem.field == f"{section}.{key}" and problem.message.startswith(f"unknown key '{key}'; ")


def test_a_theme_extends_a_built_in_one_key_by_key(tmp_path):
    path = write(tmp_path, """
        extends: night
        name: Our night
        colors:
          accent: "FFCC66"
        sizes: {body: 24}
        deck: {reveal: true}
        handout: {layout: compact}
    """)
    theme, night = load_theme(path), load_theme(builtin_themes()["night"])
    assert theme.name == "Our night" and theme.colors["accent"] == "FFCC66"
    assert {k: v for k, v in theme.colors.items() if k != "accent"} == \
        {k: v for k, v in night.colors.items() if k != "accent"}
    assert theme.sizes["body"] == 24 and theme.sizes["title"] == night.sizes["title"]
    assert theme.fonts == night.fonts and theme.slide_width == night.slide_width
    assert theme.reveal and theme.handout_layout == "compact"
    assert theme.origin["colors.accent"] == (str(path), 4)
    assert theme.origin["colors.text"][0].endswith("night.yaml")
    assert theme.files == (path, builtin_themes()["night"])


def test_the_shipped_default_theme_is_navy():
    default, navy = load_theme(TEMPLATES / "theme.yaml"), load_theme(builtin_themes()["navy"])
    assert (default.colors, default.fonts, default.sizes) == (navy.colors, navy.fonts, navy.sizes)
    assert not default.reveal and default.handout_layout == "notes"


def test_extends_names_a_built_in_theme_and_new_keys_are_checked(tmp_path):
    path = write(tmp_path, """
        extends: nigth
        deck: {reveal: yes}
        handout: {layout: compcat}
    """)
    assert problems(path) == [
        "1: extends: unknown theme 'nigth'; did you mean 'night'?",
        "2: deck.reveal: must be true or false",
        "3: handout.layout: unknown handout layout 'compcat'; did you mean 'compact'?",
    ]


def test_a_theme_that_extends_nothing_must_be_complete(tmp_path):
    found = problems(write(tmp_path, "colors: {accent: 1F7A70}\n"))
    assert "1: colors.primary: is required" in found and "1: fonts: is required" in found
    assert found[-1] == ("1: extends: a theme sets every colour, font, size, slide and page, unless it starts from "
                         "a built-in theme and changes what it lists: add 'extends: NAME' (navy, night, paper)")


@pytest.mark.parametrize("value", ["navy", "night", "paper"])
def test_resolve_finds_built_in_names(value):
    assert resolve(value) == builtin_themes()[value]


def test_resolve_takes_a_path_and_refuses_an_unknown_bare_name(tmp_path):
    assert resolve(str(tmp_path / "brand.yaml")) == tmp_path / "brand.yaml"
    assert resolve("brand.yaml") == Path("brand.yaml")
    with pytest.raises(ValueError, match="unknown theme 'papr': .*did you mean 'paper'"):
        resolve("papr")


def test_each_theme_section_knows_the_keys_of_its_dataclass():
    # The keys a theme file may set are the fields of the dataclasses it is read into.
    from dataclasses import fields

    from triptych.themefile import SECTIONS, Sizes, ThemeFile, schema as theme_schema

    schema = theme_schema(True, ("navy",))
    assert set(schema.fields) == {f.name for f in fields(ThemeFile)}
    for key, model in SECTIONS.items():
        assert tuple(schema.fields[key].fields) == tuple(f.name for f in fields(model)), key
    assert SIZE_NAMES == tuple(f.name for f in fields(Sizes))
