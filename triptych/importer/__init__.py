"""``--import``: start a content file from an article already written, in Markdown or HTML.

``import_article(path, content_dir)`` reads ``path`` (``.md``/``.markdown``, or a saved
``.html``/``.htm`` page), maps it (``importer.mapper``) and writes
``<content_dir>/<slug of the file name>.yaml``, copying the article's local pictures into
``<content_dir>/images/``. The file is checked by the loader before it is written, so it
builds as it is; what needed a guess is marked ``# review:`` in it.

The article is untrusted input: Markdown files over ``MAX_MARKDOWN_BYTES`` and pages over
``MAX_HTML_BYTES`` are refused, nothing is fetched (remote pictures are left out, named in
a review note), and pictures are copied only from the article's own folder. An existing
content file is never overwritten unless ``force`` is given.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from .. import markup
from ..errors import ContentError
from ..files import display_path, write_atomic
from ..loader import MAX_FILE_BRACKET_COST, loads, slugify
from . import draft
from .frontmatter import split_front_matter
from .html import NoArticle, read_html
from .meta import Meta
from .mapper import map_article
from .yamlout import Review, to_yaml

MAX_MARKDOWN_BYTES = 1_000_000
#: Saved pages carry their site's styles and scripts: a long article saved from Medium is
#: a few MB. Past this, a page is refused before it is parsed.
MAX_HTML_BYTES = 10_000_000
KINDS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
_HASHTAG_LINE = re.compile(r"^\s*(#[^\s#]+\s*)+$")
_FENCE = re.compile(r"^(`{3,})[^\n]*\n.*?\n\1$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Imported:
    """What an import wrote: the content file, the draft it holds, its review notes (with
    their lines in the file) and the pictures copied beside it."""

    path: Path
    draft: draft.Draft
    reviews: tuple[Review, ...]
    images: tuple[Path, ...]


def _read(path: Path, limit: int) -> bytes:
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise ContentError.one(shown, 0, "", f"is {size} bytes; at most {limit} can be imported")
        return path.read_bytes()
    except OSError as err:
        raise ContentError.one(shown, 0, "", f"cannot read the file: {err.strerror or err}") from None


def read_markdown(text: str) -> tuple[object, Meta]:
    """A Markdown article's tree and what it states about itself: its front matter, and
    the hashtags ending it (Python-Markdown would read a trailing ``#Teams #Productivity``
    line as a heading, so those lines are taken off first)."""
    meta, text = split_front_matter(text)
    lines = text.rstrip().split("\n")
    tags: list[str] = []
    while lines and (_HASHTAG_LINE.match(lines[-1]) or (tags and not lines[-1].strip())):
        tags[:0] = [t.lstrip("#") for t in lines.pop().split()]
    return markup.document_tree("\n".join(lines)), replace(meta, tags=tuple(tags) or meta.tags)


def read_article(path: Path) -> tuple[object, Meta]:
    """The element tree and metadata of the article at ``path``; ``ContentError`` (exit 2)
    for a file that is not one."""
    shown = display_path(path)
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise ContentError.one(shown, 0, "", f"cannot import {f'{path.suffix} files' if path.suffix else 'this file'}: "
                                             "give a Markdown (.md) or HTML (.html, .htm) article")
    if kind == "html":
        try:
            return read_html(_read(path, MAX_HTML_BYTES))
        except NoArticle as err:
            raise ContentError.one(shown, 0, "", str(err)) from None
    raw = _read(path, MAX_MARKDOWN_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ContentError.one(shown, line, "", "is not UTF-8 text; save the article as UTF-8") from None
    if markup.bracket_cost(text) > MAX_FILE_BRACKET_COST:
        raise ContentError.one(shown, 0, "", "holds too much '['-heavy text to read in reasonable time")
    return read_markdown(text.replace("\r\n", "\n").replace("\r", "\n"))


def _place_images(d: draft.Draft, content_dir: Path) -> tuple[draft.Draft, list[tuple[Path, Path]]]:
    """Give each picture a free name under ``content_dir/images`` (an identical file there
    is reused); returns the draft with those paths and the copies to make."""
    copies: list[tuple[Path, Path]] = []
    taken: dict[str, Path] = {}
    sections = []
    for section in d.sections:
        image = section.image
        if image is not None:
            stem, suffix = Path(image.path).stem, Path(image.path).suffix
            for n in range(1, 10_000):
                name = f"images/{stem}{'' if n == 1 else f'-{n}'}{suffix}"
                existing = content_dir / name
                if name in taken:
                    if taken[name] == image.source:
                        break
                elif not existing.exists():
                    copies.append((image.source, existing))
                    break
                elif existing.is_file() and existing.read_bytes() == image.source.read_bytes():
                    break
            taken[name] = image.source
            image = replace(image, path=name)
        sections.append(replace(section, image=image))
    return replace(d, sections=tuple(sections)), copies


def import_article(path: str | Path, content_dir: str | Path = "content", force: bool = False) -> Imported:
    """Import the article at ``path`` into ``content_dir``; see the module's docstring.
    Raises ``ContentError`` for an article that cannot be imported or a content file that
    exists already (without ``force``)."""
    path, content_dir = Path(path), Path(content_dir)
    tree, meta = read_article(path)
    slug = slugify(path.stem) or "article"
    target = content_dir / f"{slug}.yaml"
    if target.exists() and not force:
        raise ContentError.one(display_path(target), 0, "", "already exists; pass --force to overwrite it")
    d = map_article(tree, meta, path.parent, fallback_title=path.stem.replace("-", " ").replace("_", " "))
    d, copies = _place_images(d, content_dir)
    check = ": check the lines marked review." if d.reviews else "."  # a clean import has none to check
    text, reviews = to_yaml(d, header=f"Imported from {path.name} by triptych --import{check}")
    made = []
    try:
        for source, copy in copies:
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy)
            made.append(copy)
        loads(text, display_path(target), content_dir, slug)  # it must build as it is
    except BaseException:
        for copy in made:
            copy.unlink(missing_ok=True)
        raise
    write_atomic(target, text.encode("utf-8"))
    return Imported(target, d, tuple(reviews), tuple(made))


def describe(result: Imported) -> list[str]:
    """What an import mapped, in a few lines for the command line."""
    d = result.draft
    found = [name for name, value in (("title", d.title), ("subtitle", d.subtitle), ("author", d.author),
                                      ("date", d.date), ("summary", d.summary),
                                      ("canonical_url", d.canonical_url)) if value]
    if d.tags:
        found.append(f"{len(d.tags)} tag(s)")
    parts = {
        "points": sum(len(s.points) + sum(len(p.points) for p in s.points) for s in d.sections),
        "table(s)": sum(1 for s in d.sections if s.table),
        "quote(s)": sum(1 for s in d.sections if s.quote),
        "image(s)": sum(1 for s in d.sections if s.image),
        "code listing(s) for slides": sum(1 for s in d.sections if s.code),
        "code block(s) in the body": sum(len(_FENCE.findall(s.body)) for s in d.sections),
    }
    lines = [f"mapped {', '.join(found)}; {len(d.sections)} section(s) with "
             + (", ".join(f"{n} {what}" for what, n in parts.items() if n) or "body text only")]
    if result.images:
        lines.append(f"copied {len(result.images)} image(s) into {display_path(result.path.parent / 'images')}/")
    shown = display_path(result.path)
    if result.reviews:
        lines.append(f"{len(result.reviews)} guess(es) to review, marked '# review:' in the file:")
        lines.extend(f"  {shown}:{r.line}: {r.message}" for r in result.reviews)
    return lines
