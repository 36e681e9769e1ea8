"""The preview's main loop: serve, watch, rebuild (see the package's docstring)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..files import display_path
from ..pipeline import Options, Report, build
from ..watch import DELETED, Changes, Watched, loop
from . import DEFAULT_HOST, DEFAULT_PORT
from .server import PreviewServer
from .site import Site


def _say(line: str) -> None:
    print(line, flush=True)  # a line at a time, also into a pipe (an editor's task runner)


def serve(files: Sequence[Path], options: Options, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          echo: Callable[[str], None] = _say, batches: Iterable[Changes] | None = None) -> int:
    """Serve the preview until stopped (or until ``batches``, given by tests, runs out).
    Exit status 0; 2 when the address cannot be served (in use, not this machine's)."""
    import threading

    from .. import stop
    from ..pool import Pool

    watched = Watched.of(files, options)
    site = Site(options, watched.content, echo)
    try:
        server = PreviewServer(host, port, site)
    except OSError as err:
        echo(f"--host {host} --port {port}: cannot serve there: {err.strerror or err}"
             + ("; choose another port with --port N (--port 0 picks a free one)" if port else ""))
        return 2
    if batches is None:
        import watchfiles

        roots = watched.roots()
        # As in --watch: watchfiles's own "KeyboardInterrupt caught" line says nothing more.
        logging.getLogger("watchfiles.main").addFilter(lambda record: "KeyboardInterrupt" not in record.getMessage())
        echo(f"watching {', '.join(display_path(r) for r in roots)} (Ctrl-C to stop)")
        batches = watchfiles.watch(*roots, raise_interrupt=False)

    def forgetting(batches: Iterable[Changes]) -> Iterable[Changes]:
        for batch in batches:
            batch = list(batch)
            site.forget([Path(name) for kind, name in batch if kind == DELETED])
            yield batch

    pool = Pool(options.jobs, warm_outputs=options.outputs)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="triptych-preview", daemon=True)
    announced = []

    def rebuild(paths: list[Path]) -> Report:
        try:
            site.update(paths)  # the HTML views first, from this process
        finally:
            if not announced:  # the first views are ready: open for business
                thread.start()
                echo(f"Serving {server.url(host)}")
                announced.append(True)
        site.settle(paths)
        report = build(paths, options, pool=pool)
        site.built(report)
        return report

    try:
        with stop.stopping():  # kill PID and a closed terminal stop it as Ctrl-C does
            try:
                loop(forgetting(batches), watched, rebuild, echo)
            finally:
                site.close()
                if announced:
                    server.shutdown()
                server.server_close()
                pool.close(kill=True)
    except KeyboardInterrupt:
        pass
    except Exception as err:  # a stop that arrived during an import can come wrapped (stop.cause)
        if stop.cause(err) is None:
            raise
    echo("stopped serving")
    return 0


__all__ = ["serve"]
