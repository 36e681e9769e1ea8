"""The command line: ``python build.py [content files] [options]``.

Exit status: 0 everything built; 2 a content, theme or template mistake (reported as
``path:line: field: message``); 3 an output lost text (parity); 1 a bug of ours.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

from . import __version__
from .loader import display_path
from .pipeline import DEFAULT_TEMPLATES, FileResult, Options, build, check_built
from .progress import Progress
from .writers import available


def _outputs(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in available()]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown output {', '.join(unknown) or '(none)'}; choose from {', '.join(available())}")
    return [n for n in available() if n in names]


def _jobs(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 256:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of processes from 1 to 256")
    return int(value)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python build.py",
        description="Build a deck (.pptx), an article (.md, .html, LinkedIn post) and a handout (.pdf) "
                    "from each content/<slug>.yaml.",
        epilog="Exit status: 0 built, 1 internal error (a bug: please report it), "
               "2 content/theme/template mistakes, 3 an output is missing text.",
    )
    p.add_argument("files", nargs="*", type=Path, help="content files to build (default: every content/*.yaml)")
    p.add_argument("--out", type=Path, default=Path("output"), metavar="DIR", help="output folder (default: output)")
    p.add_argument("--only", type=_outputs, default=list(available()), metavar="LIST",
                   help=f"comma-separated outputs to build: {','.join(available())} (default: all)")
    p.add_argument("--templates", type=Path, default=DEFAULT_TEMPLATES, metavar="DIR",
                   help="templates folder (default: the built-in templates/)")
    p.add_argument("--theme", type=Path, metavar="FILE", help="theme file (default: <templates>/theme.yaml)")
    p.add_argument("--paper", choices=("A4", "Letter"), help="handout paper size (default: the theme's, A4)")
    p.add_argument("--master", type=Path, metavar="PPTX",
                   help="your own .pptx/.potx master for the deck; layouts are found by name")
    p.add_argument("--front-matter", action="store_true",
                   help="start the article with YAML front matter (for static site generators)")
    checking = p.add_mutually_exclusive_group()
    checking.add_argument("--check", action="store_true",
                          help="do not build: re-check that the outputs already in --out carry every piece of "
                               "their content's text, and print how many each has (exit 3 if one lost text)")
    checking.add_argument("--no-check", action="store_true",
                          help="skip the parity check that ends every build")
    p.add_argument("--force", action="store_true",
                   help="rebuild every output, even those whose content, templates, theme and images are unchanged")
    p.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                   help=f"worker processes (default: one per core, here {os.cpu_count() or 1}; 1 builds in this process)")
    p.add_argument("--watch", action="store_true",
                   help="build, then rebuild whatever changes in content, templates or the theme until Ctrl-C")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems and the summary")
    p.add_argument("--version", action="version", version=f"triptych {__version__}")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    options = Options(
        out_dir=args.out,
        outputs=args.only,
        templates=args.templates,
        theme_file=args.theme,
        page_size=args.paper,
        master=args.master.resolve() if args.master else None,
        writer_options={"front_matter": args.front_matter},
        check=not args.no_check,
        force=args.force,
        jobs=args.jobs,
    )
    if args.check:
        return _check_only(args, options)
    if args.watch:
        from .watch import watch

        return watch(args.files, options)
    start = time.perf_counter()
    # A bar on a terminal; in a log, the "wrote" lines below are the progress.
    progress = Progress(enabled=False if args.quiet else None)

    def on_result(result: FileResult) -> None:
        if not args.quiet:
            for path in result.unchanged:
                progress.line(f"unchanged {path}")
        for problem in result.problems:
            progress.line(str(problem), error=True)

    def on_written(path: Path) -> None:
        if not args.quiet:
            progress.line(f"wrote {path}")

    def on_warning(message: str) -> None:
        progress.line(f"warning: {message}", error=True)

    try:
        report = build(args.files, options, on_result, on_written, on_warning, progress.update)
    except KeyboardInterrupt as stopped:  # Ctrl-C, SIGTERM or SIGHUP (triptych/stop.py)
        progress.close()
        print("interrupted; outputs already written are complete, the rest untouched", file=sys.stderr)
        return getattr(stopped, "exit_status", 130)
    except Exception:  # a bug of ours: show everything we know
        progress.close()
        return _internal_error()
    progress.close()
    failed = [f for f in report.files if not f.ok]
    written = sum(len(f.written) for f in report.files)
    unchanged = sum(len(f.unchanged) for f in report.files)
    if not report.files:
        return _no_content()
    print(f"{len(report.files) - len(failed)} of {len(report.files)} content file(s) built, "
          f"{written} output(s) written" + (f", {unchanged} unchanged" if unchanged else "")
          + f" in {time.perf_counter() - start:.1f}s"
          + (f"; {len(failed)} failed" if failed else ""),
          file=sys.stderr if failed else sys.stdout)
    return report.exit_status


def _internal_error() -> int:
    """A bug of ours escaped: show everything we know, exit 1."""
    traceback.print_exc()
    print("internal error: this is a bug in triptych, not in your content; please report it "
          "with the traceback above", file=sys.stderr)
    return 1


def _no_content() -> int:
    print("no content files found (looked for content/*.yaml)", file=sys.stderr)
    return 2


def _check_only(args: argparse.Namespace, options: Options) -> int:
    """``--check``: the parity check on outputs already written; one count line per output
    (``output/x.pptx: 143/143 pieces``), every missing piece on stderr."""

    def on_result(result: FileResult) -> None:
        if not args.quiet:
            for check in result.checks:
                print(check.summary(display_path(check.path)))
        for problem in result.problems:
            print(problem, file=sys.stderr)

    try:
        report = check_built(args.files, options, on_result)
    except Exception:  # a bug of ours, as in a build
        return _internal_error()
    if not report.files:
        return _no_content()
    failed = [f for f in report.files if not f.ok]
    outputs = sum(len(f.checks) for f in report.files)
    print(f"{len(report.files) - len(failed)} of {len(report.files)} content file(s) match, "
          f"{outputs} output(s) checked" + (f"; {len(failed)} failed" if failed else ""),
          file=sys.stderr if failed else sys.stdout)
    return report.exit_status
