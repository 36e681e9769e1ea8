"""What the preview serves, kept current: each talk's views, problems, pictures and versions.

One ``Site`` is shared by the building thread (the main thread, which reloads talks when
files change and runs the build) and the server's request threads. All of its state is
behind one lock; its condition wakes the open browsers' event streams when a version moves.

- **Views** are rendered from the warm process's current ``Talk``: eagerly right after a
  change for the views an open browser shows (``update``), lazily on request for the rest.
  A view that fails to render keeps its last good rendering and gets the failure as its
  problems; so does every view of a talk that fails to load, or of any talk while the
  theme is broken.
- **Versions** count changes: each talk has one (its views' event stream), and the site
  one for the list of talks. A browser compares versions, so it never misses a change.
- **The handout** comes from its written PDF, read after each build (``built``).
"""

from __future__ import annotations

import threading
import traceback
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator, Sequence
from urllib.parse import quote

from ..errors import ContentError, Problem, TriptychError
from ..files import display_path
from ..loader import load, slugify
from ..model import Talk
from ..options import Options, output_path
from ..pipeline import Report, load_context
from ..theme import contrast_problems, load_talk_theme
from ..writers import Context
from . import pages as handout_pages
from . import views

#: The picture types content may use (the loader allows no others).
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}


@dataclass
class Entry:
    """One content file as the preview knows it."""

    source: Path  # resolved
    slug: str
    talk: Talk | None = None  # its last good load (None: it never loaded); views render from it
    title: str = ""  # its title
    problems: list[Problem] = field(default_factory=list)  # loading the current text
    build: list[Problem] = field(default_factory=list)  # the last build of it
    documents: dict[str, str] = field(default_factory=dict)  # last good rendering per view
    view_problems: dict[str, list[Problem]] = field(default_factory=dict)
    fresh: set[str] = field(default_factory=set)  # views rendered from the current talk
    served: dict[str, int] = field(default_factory=dict)  # view -> the version last served
    pages: handout_pages.Pages | None = None
    media: dict[str, Path] = field(default_factory=dict)  # URL path -> picture, of the last good load
    base: Path | None = None  # the content folder of the last good load, resolved
    version: int = 0


def slug_of(path: Path) -> str:
    """The slug a content file's outputs are named by (as ``loader.load`` derives it)."""
    return slugify(path.stem) or "talk"


class Site:
    def __init__(self, options: Options, content: Callable[[], list[Path]],
                 echo: Callable[[str], None] = print):
        self.options, self.content, self.echo = options, content, echo
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.entries: dict[str, Entry] = {}
        self.ctx: Context | None = None
        self.ctx_problems: list[Problem] = []
        self._themes: dict[Path, Context] = {}  # a talk's own theme (theme: in its file) -> its context
        self.version = 0
        self.closing = False
        self.watchers: Counter[tuple[str, str]] = Counter()

    # ------------------------------------------------------------------ changes
    def update(self, files: Sequence[Path]) -> None:
        """Reload the theme and ``files`` (and pick up new content files), render the views
        browsers have open, and tell them. Each file is announced as soon as it is ready."""
        with self.lock:
            self._load_context()
            loaded = {Path(path).resolve() for path in self.content() if self._entry(Path(path).resolve())[1]}
        for path in files:
            with self.lock:
                entry, new = self._entry(Path(path).resolve())
                if not (new or path.resolve() in loaded):
                    self._load(entry)
                for view in self._watched(entry.slug):
                    self._render(entry, view)
                self._bump(entry)

    def built(self, report: Report) -> None:
        """After a build: each file's build problems, and the handout's pages from the PDF
        just written (read only when its bytes changed)."""
        for result in report.files:
            with self.lock:
                entry = self.entries.get(slug_of(Path(result.source)))
                if entry is None:
                    continue
                entry.build = list(result.problems)
                talk = entry.talk
            pages = self._read_pages(entry, talk) if talk is not None else None
            with self.lock:
                if pages is not None:
                    entry.pages = pages
                entry.fresh.discard("handout")
                if "handout" in self._watched(entry.slug):
                    self._render(entry, "handout")
                self._bump(entry)

    def forget(self, paths: Sequence[Path]) -> None:
        """Content files that were deleted leave the list of talks."""
        with self.lock:
            for path in paths:
                slug = slug_of(Path(path))
                entry = self.entries.get(slug)
                if entry is not None and entry.source == Path(path).resolve():
                    del self.entries[slug]
                    entry.version += 1
            self._bump(None)

    def close(self) -> None:
        """Wake every event stream so it ends."""
        with self.lock:
            self.closing = True
            self.changed.notify_all()

    # ------------------------------------------------------------------ requests
    def document(self, slug: str, view: str) -> str | None:
        """View ``view`` of talk ``slug`` with the preview's chrome and current problems;
        None for a talk or view there is not."""
        with self.lock:
            entry = self.entries.get(slug)
            if entry is None or view not in views.VIEWS:
                return None
            if view not in entry.fresh:
                self._render(entry, view)
            shown = entry.documents.get(view)
            document = shown or views.empty(self.options.templates, display_path(entry.source), view)
            problems = self.ctx_problems + entry.problems + entry.view_problems.get(view, [])
            if view == "handout":
                problems += entry.build
            unique = list({str(p): p for p in problems}.values())
            head, body = views.chrome(self.options.templates, slug, view, entry.version, unique, bool(shown))
            entry.served[view] = entry.version
            self.changed.notify_all()  # settle() may be waiting for this
            return views.decorate(document, head, body)

    def index(self) -> str:
        """The list of talks, with the preview's chrome."""
        with self.lock:
            talks = []
            for entry in sorted(self.entries.values(), key=lambda e: str(e.source)):
                problems = self.ctx_problems + entry.problems + entry.build
                talks.append({"slug": entry.slug, "title": entry.title, "source": display_path(entry.source),
                              "problems": list(dict.fromkeys(str(p) for p in problems))})
            document = views.index(self.options.templates, talks, display_path(self.options.out_dir))
            head, body = views.chrome(self.options.templates, "", "index", self.version, [])
            return views.decorate(document, head, body)

    def picture(self, slug: str, name: str) -> tuple[bytes, str] | None:
        """A picture the talk ``slug`` shows, by its path in the content folder, with its
        media type. None (the server answers 404) for anything else: a file the talk does
        not use, and one that is no longer a regular picture inside the content folder
        (replaced by a symlink pointing out since the talk was loaded, say)."""
        with self.lock:
            entry = self.entries.get(slug)
            path = entry.media.get(name) if entry else None
            base = entry.base if entry else None
        if path is None or base is None:
            return None
        try:
            real = path.resolve(strict=True)
            if not real.is_relative_to(base) or not real.is_file() or real.suffix.lower() not in IMAGE_TYPES:
                return None
            return real.read_bytes(), IMAGE_TYPES[real.suffix.lower()]
        except OSError:
            return None

    def page(self, slug: str, number: int) -> bytes | None:
        """Page ``number`` (from 1) of the handout, as a PNG (drawn outside the lock)."""
        with self.lock:
            entry = self.entries.get(slug)
            pages = entry.pages if entry else None
        return pages.png(number) if pages is not None else None

    def settle(self, files: Sequence[Path], timeout: float = 1.0) -> None:
        """Wait (at most ``timeout`` seconds) until every browser showing a view of ``files``
        has fetched its current version, so the build that follows takes no processor time
        from that: the open views first, then the outputs."""
        slugs = {slug_of(Path(path)) for path in files}

        def served() -> bool:
            return self.closing or all(self.entries[slug].served.get(view, -1) >= self.entries[slug].version
                                       for (slug, view), count in self.watchers.items()
                                       if count > 0 and slug in slugs and slug in self.entries)

        with self.changed:
            self.changed.wait_for(served, timeout)

    def version_of(self, slug: str) -> int:
        """The version a browser showing ``slug``'s views ("" for the list) compares with;
        -1 for a talk there is not."""
        with self.lock:
            if not slug:
                return self.version
            entry = self.entries.get(slug)
            return entry.version if entry else -1

    def wait(self, slug: str, seen: int, timeout: float) -> int | None:
        """Block until the version of ``slug`` is other than ``seen`` or ``timeout`` seconds
        pass; the version then, or None when the site is closing."""
        with self.changed:
            self.changed.wait_for(lambda: self.closing or self.version_of(slug) != seen, timeout)
            return None if self.closing else self.version_of(slug)

    @contextmanager
    def watching(self, slug: str, view: str) -> Iterator[None]:
        """A browser shows this view (for as long as its event stream is open)."""
        with self.lock:
            self.watchers[(slug, view)] += 1
        try:
            yield
        finally:
            with self.lock:
                self.watchers[(slug, view)] -= 1

    # ------------------------------------------------------------------ inside
    def _entry(self, source: Path) -> tuple[Entry, bool]:
        """The entry of ``source``, and whether it was new (then it was loaded just now)."""
        slug = slug_of(source)
        entry = self.entries.get(slug)
        if entry is not None and entry.source == source:
            return entry, False
        entry = self.entries[slug] = Entry(source, slug)
        self._load(entry)
        self._bump(entry)
        return entry, True

    def _load_context(self) -> None:
        try:
            self.ctx, self.ctx_problems = load_context(self.options, lambda message: None), []
        except TriptychError as err:
            self.ctx = None
            self.ctx_problems = list(getattr(err, "problems", [Problem(str(self.options.templates), 0, "", str(err))]))
        self._themes.clear()
        for entry in self.entries.values():
            entry.fresh.clear()

    def _load(self, entry: Entry) -> None:
        entry.fresh.clear()
        entry.view_problems.clear()
        try:
            talk = load(entry.source, display_path(entry.source))
        except ContentError as err:  # the views keep showing the last good talk, under these
            entry.problems = list(err.problems)
            return
        entry.talk, entry.problems, entry.title = talk, [], talk.title
        entry.base = talk.base_dir.resolve()
        entry.media = {}
        for section in talk.sections:
            if section.image is not None:
                try:
                    entry.media[section.image.path.resolve().relative_to(entry.base).as_posix()] = section.image.path
                except ValueError:  # outside the folder: the loader refuses it already
                    continue

    def _media_url(self, entry: Entry) -> Callable[[Path], str]:
        def url(path: Path) -> str:
            real = path.resolve()
            try:
                stamp = f"{real.stat().st_mtime_ns:x}"
                name = real.relative_to(entry.base).as_posix()
            except (OSError, ValueError, TypeError):
                return ""
            # The stamp makes an edited picture a new URL, so no browser shows it stale.
            return f"/{entry.slug}/files/{quote(name)}?v={stamp}"

        return url

    def _context(self, talk: Talk) -> Context:
        """The context ``talk`` is built with: the build's, or with the theme its ``theme:``
        names (unless ``--theme`` was given: the command line wins), as the build does.
        Raises ``ContentError`` for a mistake in that theme (or a low contrast, with ``--strict``)."""
        if talk.theme is None or self.options.theme_file is not None or self.ctx is None:
            return self.ctx
        if talk.theme not in self._themes:
            theme = load_talk_theme(talk.theme, talk.base_dir, self.options.page_size, self.options.master)
            low = contrast_problems(theme)
            if low and self.options.strict:
                raise ContentError(low)
            self._themes[talk.theme] = replace(self.ctx, theme=theme)
        return self._themes[talk.theme]

    def _render(self, entry: Entry, view: str) -> None:
        entry.fresh.add(view)
        if entry.talk is None or self.ctx is None:
            return
        try:
            ctx = self._context(entry.talk)
            if view == "handout":
                document = views.handout(entry.talk, ctx, self._page_items(entry), self._handout_state(entry))
            else:
                document = views.RENDERERS[view](entry.talk, ctx, self._media_url(entry))
        except ContentError as err:
            entry.view_problems[view] = list(err.problems)
            return
        except Exception:  # a bug of ours: say so in the terminal and in the browser, keep serving
            self.echo(f"internal error rendering the {view} view of {display_path(entry.source)} "
                      f"(a bug in triptych, please report it):\n{traceback.format_exc().rstrip()}")
            entry.view_problems[view] = [Problem(display_path(entry.source), 0, view,
                                                 "internal error (a bug in triptych); see the terminal")]
            return
        entry.documents[view] = document
        entry.view_problems.pop(view, None)

    def _handout_state(self, entry: Entry) -> str:
        if "handout" not in self.options.outputs:
            return "off"
        return "ready" if entry.pages is not None else "building"

    def _page_items(self, entry: Entry) -> list[dict]:
        if entry.pages is None:
            return []
        scale = 2 / 3  # pictures are drawn at 1.5 times the size they show at
        return [{"number": n, "url": f"/{entry.slug}/handout/{n}.png?v={entry.pages.digest}",
                 "width": round(p.width * scale), "height": round(p.height * scale), "text": p.text}
                for n, p in enumerate(entry.pages.pages, 1)]

    def _read_pages(self, entry: Entry, talk: Talk) -> handout_pages.Pages | None:
        if "handout" not in self.options.outputs:
            return None
        try:
            pdf = output_path(talk, "handout", self.options.out_dir).read_bytes()
            if entry.pages is not None and entry.pages.digest == handout_pages.digest(pdf):
                return None
            return handout_pages.read_pages(pdf)
        except OSError:  # not written (yet), or not readable: the view says it is being built
            return None

    def _watched(self, slug: str) -> list[str]:
        """The views of ``slug`` open in a browser, most watched first."""
        counts = {view: n for (s, view), n in self.watchers.items() if s == slug and n > 0}
        return sorted(counts, key=lambda view: -counts[view])

    def _bump(self, entry: Entry | None) -> None:
        if entry is not None:
            entry.version += 1
        self.version += 1
        self.changed.notify_all()


__all__ = ["Entry", "IMAGE_TYPES", "Site", "slug_of"]
