"""The theme file (templates/theme.yaml): colours, fonts, sizes, slide and page size.

Built-in themes live in templates/themes/ (navy, paper, night); a theme file may start
from one (``extends: night``) and set only what it changes. ``resolve`` turns ``--theme``'s
value (a built-in name or a file) into a file.

Read with the same strict YAML reader as content, into the typed sections of
``triptych.themefile``, so a mistake in the theme is reported as
``templates/theme.yaml:LINE: field: message`` (exit 2), never a traceback.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import contrast, masterscheme
from .errors import ContentError, Problem
from .files import as_path, display_path
from .project import DEFAULT_TEMPLATES
from .schema import Reader, did_you_mean
from .themefile import OPTIONAL_COLORS, SECTIONS, ThemeFile, schema
from .yamldata import parse


@dataclass(frozen=True)
class Theme:
    """A validated theme. Colours are 6-digit hex strings, sizes points, slide size inches.

    ``fonts[role]`` is a fallback list of family names, most wanted first.
    ``master`` is an absolute path to the user's .pptx/.potx, or None for the built-in look.
    """

    name: str
    colors: dict[str, str]
    fonts: dict[str, tuple[str, ...]]
    sizes: dict[str, float]
    slide_width: float
    slide_height: float
    page_size: str
    master: Path | None = None
    carousel_size: str = "portrait"  # the carousel's pages: "portrait" (4:5) or "square"
    path: Path | None = field(default=None, compare=False)
    description: str = ""
    #: ``deck: {reveal: true}``: every bullets slide shows its points one click at a time.
    reveal: bool = False
    #: ``handout: {layout: ...}``: "notes" (one card a page-width, notes after) or "compact".
    handout_layout: str = "notes"
    #: ``section.key`` -> the (file, line) that set it, for messages about a value.
    origin: dict[str, tuple[str, int]] = field(default_factory=dict, compare=False, repr=False)
    #: The files read: this theme's, then the one it extends (for the build cache).
    files: tuple[Path, ...] = field(default=(), compare=False, repr=False)
    #: The master's colour scheme ({"dk1": RRGGBB, ...}, ``masterscheme.read_scheme``):
    #: the deck's table cells, bullets and links take their colours from it. Empty without
    #: a master, or when the master's colours cannot be read (the deck says why it cannot open it).
    master_colors: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def css_family(self, role: str, extra: tuple[str, ...] = ()) -> str:
        """A CSS ``font-family`` value for ``role``: the theme's families, then ``extra``
        (fonts installed for other scripts), then a generic family; duplicates dropped.

        Each name is a CSS string with ``\\``, ``"`` and ``<`` escaped and control characters
        removed, so a theme can end neither the declaration nor a ``<style>`` element. The
        value is safe to mark ``Markup`` (autoescaping would turn the quotes into ``&#34;``,
        which CSS inside ``<style>`` does not decode)."""
        names = [_CSS_CONTROL.sub("", name) for name in (*self.fonts[role], *extra)]
        generic = "monospace" if role == "code" else "sans-serif"
        return ", ".join([_css_string(name) for name in dict.fromkeys(names) if name.strip()] + [generic])


_CSS_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _css_string(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'


#: Built-in themes: templates/themes/<name>.yaml.
THEMES_DIR = DEFAULT_TEMPLATES / "themes"


def builtin_themes() -> dict[str, Path]:
    """Built-in theme name -> its file, sorted by name."""
    return {path.stem: path for path in sorted(THEMES_DIR.glob("*.yaml"))}


@dataclass
class _Read:
    """One theme file read and merged over what it extends: the values, and for each
    ``section.key`` the (file, line) that set it."""

    values: dict
    origin: dict[str, tuple[str, int]]
    files: tuple[Path, ...]
    problems: list[Problem]


def resolve(value: str | os.PathLike[str]) -> Path:
    """The theme file for ``--theme``'s value: a built-in theme's name (which wins over a
    file of the same bare name), else a file's path.

    Raises ``ValueError`` for a bare name that is neither, with the closest built-in name
    when there is one. A path is returned as given: ``load_theme`` reports it unreadable."""
    text = os.fspath(value)
    themes = builtin_themes()
    if text in themes:
        return themes[text]
    path = as_path(value)
    if path.exists() or "/" in text or os.sep in text or path.suffix:
        return path
    close = did_you_mean(text, tuple(themes))
    hint = f"did you mean '{close}'?" if close else f"the built-in themes are {', '.join(themes)}"
    raise ValueError(f"unknown theme '{text}': no built-in theme or file has that name; {hint}")


def _read(path: Path, chain: tuple[Path, ...] = ()) -> _Read:
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ContentError.one(shown, 0, "", f"cannot read the theme: {err}") from None
    root, yaml_problems = parse(text)
    r = Reader(shown)
    for p in yaml_problems:
        r.error(p.line, "", p.message)
    if root is None or root.kind != "map":
        if not r.problems:
            r.error(1, "", "the theme must be a mapping of colors, fonts, sizes, slide, page")
        raise ContentError(r.problems)
    extends = any(key.kind == "scalar" and key.value == "extends" for key, _ in root.items)
    top = r.read(schema(not extends, tuple(builtin_themes())), root, "") or {}
    r.sweep(root)
    if not extends and any(p.message == "is required" and p.field in SECTIONS for p in r.problems):
        # A whole section is missing: most likely a partial theme that meant to extend one.
        r.error(1, "extends", "a theme sets every colour, font, size, slide and page, unless it starts from a "
                              f"built-in theme and changes what it lists: add 'extends: NAME' ({', '.join(builtin_themes())})")
    base = None
    if top.get("extends"):
        base_path = builtin_themes()[top["extends"]]
        if base_path.resolve() in chain:
            r.error(r.lines.get("extends", 0), "extends", f"'{top['extends']}' extends itself")
        else:
            base = _read(base_path, (*chain, path.resolve()))
    origin = {where: (shown, line) for where, line in r.lines.items()}
    if base is None or r.problems:
        return _Read(top, origin, (path,), r.problems)
    values = dict(base.values)
    for key, value in top.items():
        values[key] = {**base.values.get(key, {}), **value} if key in SECTIONS else value
    values.pop("master", None)  # a master is relative to the file that names it: never inherited
    if "master" in top:
        values["master"] = top["master"]
    return _Read(values, {**base.origin, **origin}, (path, *base.files), base.problems)


def load_theme(path: str | os.PathLike[str], page_size: str | None = None,
               master: str | os.PathLike[str] | None = None, confine: Path | None = None) -> Theme:
    """Read ``path`` (and the built-in theme it ``extends``, whose values it overrides key
    by key). ``page_size`` and ``master`` (from the CLI) override the file's. Every mistake
    in the file is reported at once, an unknown key with a did-you-mean. A master that is
    not there is blamed where its name came from: ``--master`` when given here, else the
    theme file's ``master:`` line. ``confine`` (the content folder, for a theme a content
    file named) refuses a ``master:`` outside that folder, as the content's own files are."""
    path = as_path(path)
    master = None if master is None else as_path(master)
    read = _read(path)
    top = read.values
    master_path = master
    if master_path is None and top.get("master"):
        master_path = (path.parent / top["master"]).resolve()
        inside = confine is None or confine.resolve() in master_path.parents
        if not inside:
            shown, line = read.origin.get("master", (display_path(path), 0))
            read.problems.append(Problem(shown, line, "master", f"'{top['master']}' is outside the content folder "
                                                                 f"{display_path(confine)}; a theme a content file "
                                                                 "names may use a master from that folder only"))
        elif not master_path.is_file():
            shown, line = read.origin.get("master", (display_path(path), 0))
            read.problems.append(Problem(shown, line, "master", f"'{top['master']}' not found (looked for "
                                                                 f"{display_path(master_path)}, beside the theme file)"))
    elif master_path is not None and not master_path.is_file():
        read.problems.append(Problem("--master", 0, "", f"'{display_path(master_path)}' not found"))
    if read.problems:
        raise ContentError(read.problems)
    file = ThemeFile(**{key: SECTIONS[key](**value) if key in SECTIONS else value for key, value in top.items()})
    colors = asdict(file.colors)
    for name, default in OPTIONAL_COLORS.items():
        colors[name] = colors[name] or colors[default]
    return Theme(
        name=file.name, colors=colors, fonts=asdict(file.fonts), sizes=asdict(file.sizes),
        slide_width=file.slide.width, slide_height=file.slide.height,
        page_size=page_size or file.page.size, master=master_path, path=path,
        carousel_size=file.carousel.size, description=file.description, reveal=file.deck.reveal,
        handout_layout=file.handout.layout, origin=read.origin, files=read.files,
        master_colors=_master_colors(master_path),
    )


def _master_colors(master: Path | None) -> dict[str, str]:
    if master is None:
        return {}
    try:
        return masterscheme.read_scheme(master)
    except ValueError:  # not a presentation: the deck reports it when it opens the master
        return {}


def load_talk_theme(path: Path, base_dir: Path, page_size: str | None = None,
                    master: str | os.PathLike[str] | None = None) -> Theme:
    """The theme a content file's ``theme:`` names (``path``, as the loader resolved it): a
    built-in one, or a file inside ``base_dir`` whose ``master:`` must be there too."""
    builtin = path.resolve().parent == THEMES_DIR.resolve()
    return load_theme(path, page_size, master, confine=None if builtin else base_dir)


def contrast_problems(theme: Theme) -> list[Problem]:
    """Every text/background pair of ``theme`` below WCAG 2.2 AA (``triptych.contrast``),
    each at the file and line that set its text colour."""
    where = {name: theme.origin.get(f"colors.{name}", ("", 0)) for name in theme.colors}
    # An optional colour left out takes its default's place (and line).
    for name, default in OPTIONAL_COLORS.items():
        if f"colors.{name}" not in theme.origin:
            where[name] = where[default]
    problems = contrast.check(theme.colors, where)
    if theme.master_colors:
        problems += contrast.check_master(theme.master_colors, display_path(theme.master))
    return problems
