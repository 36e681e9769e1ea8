"""What the handout renderer may read: the content's own folder, the templates, ``data:``.

WeasyPrint fetches every URL a document names (images, stylesheets, ``<link
rel=attachment>`` and ``<a rel=attachment>`` files it embeds in the PDF) through a
``URLFetcher``. Its default one reads any ``file:`` path and any ``http(s):``/``ftp:`` URL,
so ``<link rel=attachment href=file:///etc/passwd>`` would ship a private file inside
the PDF. Content is untrusted, so the handout renders through a ``Sandbox``:

- ``data:`` URLs are served (they carry their own bytes; nothing is read);
- ``file:`` URLs are served only when the path, after resolving ``..`` and every
  symbolic link, is a regular file inside one of the allowed roots (the content file's
  folder and the templates folder);
- everything else (another ``file:`` path, a ``file://host/`` URL, ``http:``, ``https:``,
  ``ftp:``, any other scheme, a missing file, a folder) is refused *before* any I/O on
  it, recorded as a ``Problem`` naming the content file, and rendering stops.

Why rendering stops rather than skipping the resource: WeasyPrint only logs a warning
for a resource it cannot fetch and prints the page without it, which would hand out a
PDF with a silently missing picture. So a refusal raises WeasyPrint's
``FatalURLFetchingError`` (a ``BaseException``, the only kind WeasyPrint lets through),
and the writer turns ``Sandbox.problems`` into a ``ContentError``.

The policy (``Sandbox.open``) needs no WeasyPrint and is tested on its own;
``Sandbox.fetcher()`` wraps it in a ``URLFetcher`` subclass, importing WeasyPrint only
then (its import is slow: a build that needs no PDF never pays for it).
"""

from __future__ import annotations

import base64
import mimetypes
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit
from urllib.request import url2pathname

from .errors import ContentError, Problem

#: Largest file the handout may read, in bytes. A picture bigger than this is almost
#: certainly a mistake (a video, a disk image) and would make a huge PDF.
MAX_BYTES = 50 * 1024 * 1024


class Refused(Exception):
    """A URL the sandbox will not serve; ``str()`` says why."""


@dataclass
class Resource:
    """Bytes the sandbox agreed to serve, with the URL they came from and their type."""

    url: str
    data: bytes
    mime_type: str


@dataclass
class Sandbox:
    """The fetch policy for rendering one content file.

    ``content_path`` is the content file as the user named it (shown in problems);
    ``roots`` are the folders whose files may be read (resolved here, so a root that is
    itself a symlink is allowed to be one). ``problems`` collects every refusal, in
    order, as ``path:0: handout: refused to fetch ...``.
    """

    content_path: str
    roots: tuple[Path, ...]
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.roots = tuple(Path(root).resolve() for root in self.roots)

    def open(self, url: str) -> Resource:
        """Serve ``url`` or raise ``Refused`` (and record the problem).

        Edge cases: a query or fragment on a ``file:`` URL is ignored (WeasyPrint adds
        none, but a template might); percent-escapes are decoded before the path is
        checked, so ``%2e%2e`` is ``..`` and cannot slip past; a ``file:`` URL naming a
        host other than ``localhost`` is refused (it would be a network share on some
        systems). A malformed ``data:`` URL is refused too.
        """
        try:
            return self._open(url)
        except Refused as err:
            shown = url if len(url) <= 200 else url[:200] + "..."
            self.problems.append(Problem(self.content_path, 0, "handout",
                                         f"refused to fetch {shown!r}: {err}"))
            raise

    def _open(self, url: str) -> Resource:
        scheme = urlsplit(url).scheme.lower() if ":" in url else ""
        if scheme == "data":
            return self._data(url)
        if scheme != "file":
            raise Refused(f"only files inside {self._roots_text()} and data: URLs may be used"
                          + (f", not {scheme}: URLs" if scheme else ""))
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise Refused(f"file URLs on another host ({parts.netloc}) are not allowed")
        # resolve() normalises '..' and follows every symlink, so the check below sees
        # the file that would really be opened.
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise Refused(f"{path} is outside {self._roots_text()}")
        if not path.is_file():
            raise Refused(f"{path} is not a file")
        if path.stat().st_size > MAX_BYTES:
            raise Refused(f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MB")
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Resource(path.as_uri(), path.read_bytes(), mime_type)

    def _data(self, url: str) -> Resource:
        header, comma, payload = url[len("data:"):].partition(",")
        if not comma:
            raise Refused("malformed data: URL (no comma)")
        params = header.split(";")
        mime_type = params[0].strip() or "text/plain"
        try:
            if "base64" in (p.strip().lower() for p in params[1:]):
                data = base64.b64decode(unquote(payload), validate=False)
            else:
                data = unquote_to_bytes(payload)
        except ValueError as err:
            raise Refused(f"malformed data: URL ({err})") from None
        return Resource(url, data, mime_type)

    def _roots_text(self) -> str:
        return " and ".join(os.fspath(root) for root in self.roots)

    def error(self) -> ContentError:
        """The refusals so far as one ``ContentError`` (call only when there are some)."""
        return ContentError(list(self.problems))

    def fetcher(self):
        """A WeasyPrint ``URLFetcher`` that serves through ``open`` and stops rendering on
        a refusal (``FatalURLFetchingError``). Imports WeasyPrint."""
        return _fetcher_class()(self)


@lru_cache(maxsize=1)
def _fetcher_class():
    # Built on first use so that importing triptych never imports WeasyPrint.
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class SandboxFetcher(URLFetcher):
        """``URLFetcher`` whose every fetch goes through ``Sandbox.open``; nothing is
        fetched by the base class (no HTTP, FTP or file handlers are ever reached)."""

        def __init__(self, sandbox: Sandbox):
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=True)
            self.sandbox = sandbox

        def fetch(self, url, headers=None):
            try:
                resource = self.sandbox.open(url)
            except Refused as err:
                raise FatalURLFetchingError(str(err)) from None
            return URLFetcherResponse(resource.url, resource.data, {"Content-Type": resource.mime_type})

    return SandboxFetcher
