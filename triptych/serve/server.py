"""The preview's HTTP server: the standard library's ``ThreadingHTTPServer``, read-only.

Why the standard library: the preview answers a handful of GET routes for one person's
browser on the same machine, and pushes changes with Server-Sent Events, which are plain
HTTP responses that stay open. ``http.server`` does both with a thread per connection, adds
no dependency, and leaves nothing to configure; an asynchronous framework would bring an
event loop, a dependency and a second concurrency model for no gain at this scale.

What it serves, and nothing else (every other path is 404):

==============================  ===================================================
``/``                           the list of talks
``/<slug>/<view>``              a view (``views.VIEWS``)
``/<slug>/files/<path>``        a picture the talk shows, by its path in its folder
``/<slug>/handout/<n>.png``     page ``n`` of the handout, as a picture
``/_triptych/live.js``          the script that keeps a view current
``/_triptych/events?talk=slug`` the event stream announcing new versions
==============================  ===================================================

Safe to leave running: it binds to 127.0.0.1 unless told otherwise; a request whose
``Host`` is not the served address or ``localhost`` is refused (403: a page on another
site cannot reach it through DNS rebinding); a path with ``..``, ``.``-files, empty
segments, a backslash, a NUL or an encoded ``/`` is refused before routing (404), and
pictures are only those the talk uses, checked again inside its folder at every request
(so a picture swapped for a symlink pointing out is refused); every response forbids
scripts but its own (Content-Security-Policy); it writes no file.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote

from ..errors import ContentError
from .site import Site

#: Seconds between keep-alive comments on an idle event stream (a proxy or the browser
#: would otherwise close it), and the longest a stream waits before noticing the server stops.
KEEPALIVE = 15.0
#: The browser's reconnection delay after the stream drops (milliseconds).
RETRY_MS = 500

LIVE_JS = Path(__file__).with_name("live.js")

#: Sent with every response: only this server's script runs, pictures come from here or
#: ``data:``, nothing is framed, sniffed or told where it came from.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
                               "style-src 'self' 'unsafe-inline'; font-src 'self' data:; base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
}
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")


def allowed_hosts(host: str, port: int) -> tuple[frozenset[str], bool]:
    """The ``Host`` names a request may carry (lowercase, without the port), and whether any
    IP address literal is fine too (when serving on every interface, 0.0.0.0 or ::, the
    machine's addresses are not known in advance; a rebinding attack needs a domain name,
    never an address)."""
    names = {*LOCAL_NAMES, host.lower().strip("[]")}
    return frozenset(names), host in ("0.0.0.0", "::", "")


def host_allowed(header: str | None, names: frozenset[str], any_address: bool, port: int) -> bool:
    """Whether a request's ``Host`` header names this server: one of ``names`` (or, with
    ``any_address``, an IP address) and this port (a header without a port means 80)."""
    if not header:
        return False
    header = header.strip().lower()
    if header.startswith("["):  # [::1]:8000
        name, _, rest = header[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ("" if not rest else "x")
    else:
        name, _, port_text = header.partition(":")
    if (int(port_text) if port_text.isdigit() else (80 if not port_text else -1)) != port:
        return False
    name = name.rstrip(".")
    if name in names:
        return True
    if any_address:
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return False
    return False


def segments(raw: str) -> list[str] | None:
    """The decoded segments of a request path, or None when the path is refused: not
    starting with ``/``, an empty segment (``//``), a segment that decodes to ``.``, ``..``
    or any name starting with a dot, or holding ``/``, ``\\`` or a control character
    (``%2e%2e``, ``%2f``, ``%5c``, ``%00``)."""
    if not raw.startswith("/"):
        return None
    if raw == "/":
        return []
    parts = raw[1:].split("/")
    if parts[-1] == "":  # "/slug/slides/" means "/slug/slides"
        parts.pop()
    out = []
    for part in parts:
        try:
            text = unquote(part, errors="strict") if "%" in part else part
        except UnicodeDecodeError:  # %ff: no file name of ours is not UTF-8
            return None
        if not text or text.startswith(".") or any(c in text for c in "/\\") or any(ord(c) < 32 for c in text):
            return None
        out.append(text)
    return out


class Handler(BaseHTTPRequestHandler):
    server: "PreviewServer"
    protocol_version = "HTTP/1.1"  # keep-alive: a view's requests share a connection
    server_version = "triptych-preview"
    sys_version = ""

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        pass  # one line per request would drown the build's lines in the terminal

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        self._answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        server = self.server
        if not host_allowed(self.headers.get("Host"), server.names, server.any_address, server.port):
            return self._send(403, b"unexpected Host header: open the preview at the address it printed\n",
                              "text/plain; charset=utf-8", body)
        raw, _, query = self.path.partition("?")
        try:
            self._route(segments(raw), query, body)
        except ContentError as err:  # the preview's own templates are broken (a customised copy)
            self._send(500, f"{err}\n".encode(), "text/plain; charset=utf-8", body)

    def _route(self, parts: list[str] | None, query: str, body: bool) -> None:
        site = self.server.site
        found: tuple[bytes, str] | None = None
        match parts:
            case []:
                found = site.index().encode("utf-8"), "text/html; charset=utf-8"
            case ["_triptych", "live.js"]:
                found = LIVE_JS.read_bytes(), "text/javascript; charset=utf-8"
            case ["_triptych", "events"] if body:
                return self._events(query)
            case [slug] if site.version_of(slug) >= 0:
                return self._redirect(f"/{slug}/slides")
            case [slug, view]:
                document = site.document(slug, view)
                found = (document.encode("utf-8"), "text/html; charset=utf-8") if document is not None else None
            case [slug, "handout", name] if re.fullmatch(r"[0-9]{1,5}\.png", name):
                png = site.page(slug, int(name[:-4]))
                found = (png, "image/png") if png is not None else None
            case [slug, "files", *path] if path:
                found = site.picture(slug, "/".join(path))
        if found is None:
            return self._send(404, b"not found\n", "text/plain; charset=utf-8", body)
        cache = "no-cache" if found[1].startswith(("text/html", "text/javascript")) else "private, max-age=3600"
        self._send(200, found[0], found[1], body, cache)

    def _send(self, status: int, data: bytes, kind: str, body: bool, cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", cache)
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _events(self, query: str) -> None:
        """The event stream of a talk's views (``talk=`` empty: of the list of talks): an
        ``version`` event now and whenever the version moves, a comment every ``KEEPALIVE``
        seconds. It ends when the browser goes or the server stops."""
        fields = parse_qs(query)
        slug, view = fields.get("talk", [""])[0], fields.get("view", [""])[0]
        site = self.server.site
        if site.version_of(slug) < 0:
            return self._send(404, b"not found\n", "text/plain; charset=utf-8", True)
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(f"retry: {RETRY_MS}\n\n".encode())
            with site.watching(slug, view):
                seen, version = None, site.version_of(slug)
                while version is not None and version >= 0:
                    if version != seen:
                        self.wfile.write(f"event: version\ndata: {version}\n\n".encode())
                        seen = version
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    version = site.wait(slug, seen, KEEPALIVE)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the browser went away


class PreviewServer(ThreadingHTTPServer):
    """The server bound to ``host:port`` (``port`` 0 picks a free one: see ``.port``)."""

    daemon_threads = True  # open event streams never keep the process alive

    def __init__(self, host: str, port: int, site: Site):
        self.site = site
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), Handler)
        self.port = self.server_address[1]
        self.names, self.any_address = allowed_hosts(host, self.port)

    def url(self, host: str) -> str:
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}/"


__all__ = ["PreviewServer", "allowed_hosts", "host_allowed", "segments"]
