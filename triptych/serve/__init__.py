"""``python build.py --serve``: a live preview of every talk in the browser, rebuilt as you save.

Builds, then serves the views of each talk (``views.VIEWS``) at ``http://127.0.0.1:8000/``
(``--port``, ``--host``) until Ctrl-C, SIGTERM or SIGHUP. On every change the watch sees
(``triptych.watch.affected``: content files, their pictures, templates, the theme, the
master) it works in two steps:

1. the HTML views of the changed talks are rendered in this warm process, those open in a
   browser first, and the browsers are told (``site.Site.update``); a mistake shows over
   the last good rendering as ``path:line: field: message``;
2. the outputs are built as ``--watch`` builds them (the worker pool stays warm, the cache
   skips what did not change), then the handout view reads the PDF just written
   (``site.Site.built``).

Stopping closes the server, ends the open event streams and the worker processes, and
returns 0; nothing is left running.

Modules: ``run`` (the loop: serve, watch, rebuild), ``site`` (what is served, kept
current), ``views`` (each view's HTML), ``pages`` (the handout PDF's pages as pictures),
``server`` (HTTP and the event streams), ``live.js`` (the browser's side). Importing this
package imports none of them.
"""

#: Where the preview is served unless ``--host``/``--port`` say otherwise: this machine only.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT"]
