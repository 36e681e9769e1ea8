"""The command line: ``python build.py [content files] [options]``.

Exit status: 0 everything built; 2 a content, theme or template mistake (reported as
``path:line: field: message``); 3 an output lost text (parity); 1 a bug of ours.
"""

from __future__ import annotations

import argparse
import atexit
import shlex
import os
import sys
import threading
import time
import traceback
from pathlib import Path

from ._version import __version__
from .errors import ContentError
from .files import display_path
from .loader import load
from .pipeline import FileResult, Options, build, check_built, content_files
from .project import ExistsError, init, project_templates
from .progress import Progress, Unbroken
from .schema import did_you_mean
from .serve import DEFAULT_HOST, DEFAULT_PORT
from .stop import cause
from .theme import builtin_themes, contrast_problems, load_talk_theme, load_theme
from .theme import resolve as resolve_theme
from .writers import Switch, available, defaults, records


def _outputs(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    if "all" in names:
        return list(available())
    unknown = [n for n in names if n not in available()]
    if unknown or not names:
        known = (*available(), "all")
        hints = [f"did you mean '{close}'?" for n in unknown if (close := did_you_mean(n, known))]
        shown = ", ".join(f"'{n}'" for n in unknown) or "(none)"
        raise argparse.ArgumentTypeError(f"unknown output {shown}; "
                                         + (" ".join(hints) if len(hints) == len(unknown) and unknown else
                                            f"choose from {', '.join(available())}, or all"))
    return [n for n in available() if n in names]


def _default_outputs(png: bool) -> list[str]:
    """What a build without ``--only`` makes: the default outputs, and with ``--png`` the
    outputs whose pages it draws (asking for page images is asking for their PDFs)."""
    return [r.name for r in records() if r.default or (png and r.images)]


def _only_default() -> str:
    """The ``--only`` help's default, from the records: "all" when a plain build makes
    every output, else their names, and the PDFs ``--png`` adds when some are not default."""
    if defaults() == available():
        return "all"
    added = [r.name for r in records() if r.images and not r.default]
    return ",".join(defaults()) + (f"; with --png, also {','.join(added)}" if added else "")


def _switches() -> list[Switch]:
    """The switches the outputs' records own (``--front-matter``...), in registry order."""
    return [switch for record in records() for switch in record.switches]


def _jobs(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 256:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of processes from 1 to 256")
    return int(value)


def _prog() -> str:
    """How the usage names the command: ``python build.py`` in a clone, else ``triptych``
    (the installed command, or ``python -m triptych``)."""
    return "python build.py" if Path(sys.argv[0]).name == "build.py" else "triptych"


def _as_run() -> str:
    """The command as it was typed, to type again in the same folder: ``triptych``, or
    ``python build.py`` in a clone's root, ``python ../clone/build.py`` from elsewhere."""
    return "triptych" if _prog() == "triptych" else f"python {shlex.quote(sys.argv[0])}"


def _command() -> str:
    """The command to type in another folder: ``triptych``, or ``python /path/to/build.py``."""
    return "triptych" if _prog() == "triptych" else f"python {Path(sys.argv[0]).resolve()}"


def _listing() -> str:
    """The outputs and their files, from the records: "deck (.pptx), ... and handout (.pdf)"."""
    names = [f"{record.name} ({record.suffix})" for record in records()]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def _port(value: str) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"'{value}' is not a port number from 0 to 65535")
    return int(value)


def _spelled(choices: tuple[str, ...]):
    """An argument type that takes one of ``choices`` in any case (``--paper letter`` is
    Letter); anything else is left for argparse to refuse, listing the choices."""
    by_case = {choice.casefold(): choice for choice in choices}
    return lambda value: by_case.get(value.casefold(), value)


def _theme(value: str) -> Path:
    try:
        return resolve_theme(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=_prog(),
        description=f"Build these outputs from each content/<slug>.yaml: {_listing()}.",
        epilog="Exit status: 0 built, 1 internal error (a bug: please report it), "
               "2 content/theme/template mistakes, 3 an output is missing text.",
    )
    p.add_argument("files", nargs="*", type=Path, help="content files to build (default: every content/*.yaml)")
    p.add_argument("--out", type=Path, default=Path("output"), metavar="DIR", help="output folder (default: output)")
    p.add_argument("--only", type=_outputs, metavar="LIST",
                   help=f"comma-separated outputs to build: {','.join(available())}, or all "
                        f"(default: {_only_default()})")
    p.add_argument("--templates", type=Path, metavar="DIR",
                   help="templates folder (default: ./templates when there is one, else the built-in templates)")
    p.add_argument("--theme", type=_theme, metavar="NAME|FILE",
                   help="a built-in theme (see --themes) or a theme file (default: <templates>/theme.yaml)")
    p.add_argument("--themes", action="store_true", help="list the built-in themes and exit")
    p.add_argument("--strict", action="store_true",
                   help="a theme colour pair below WCAG 2.2 AA contrast, or a carousel past LinkedIn's 300 pages "
                        "or 100 MB, is an error (exit 2), not a warning")
    p.add_argument("--paper", choices=("A4", "Letter"), type=_spelled(("A4", "Letter")),
                   help="handout paper size (default: the theme's, A4)")
    p.add_argument("--png", action="store_true",
                   help="also write each page of the slides PDF and the carousel as a PNG: "
                        "<out>/<slug>.slides/01.png (1920 px wide) and <out>/<slug>.carousel/01.png (1080 px)"),
    p.add_argument("--master", type=Path, metavar="PPTX",
                   help="your own .pptx/.potx master for the deck; layouts are found by name")
    for switch in _switches():
        if switch.choices:
            p.add_argument(switch.flag, dest=switch.name, choices=switch.choices, type=_spelled(switch.choices),
                           help=switch.help)
        else:
            p.add_argument(switch.flag, dest=switch.name, action="store_true", help=switch.help)
    checking = p.add_mutually_exclusive_group()
    checking.add_argument("--check", action="store_true",
                          help="do not build: re-check that the outputs already in --out carry every piece of "
                               "their content's text, and print how many each has (exit 3 if one lost text)")
    checking.add_argument("--no-check", action="store_true",
                          help="skip the parity check that ends every build")
    checking.add_argument("--validate", action="store_true",
                          help="do not build: load and check the content files (every problem, and the platform "
                               "warnings) without rendering or writing anything; exit 2 on a mistake")
    checking.add_argument("--init", type=Path, metavar="DIR",
                          help="start a project in DIR: a starter talk in DIR/content/ that uses every part of the "
                               "format; overwrites nothing")
    p.add_argument("--with-templates", action="store_true",
                   help="with --init: also copy the built-in templates and theme into DIR/templates/, "
                        "which a build in DIR then uses instead")
    p.add_argument("--force", action="store_true",
                   help="rebuild every output, even those whose content, templates, theme and images are unchanged; "
                        "with --import, overwrite an existing content file")
    p.add_argument("--import", dest="import_file", type=Path, metavar="FILE",
                   help="do not build: turn a Markdown (.md) or HTML (.html, .htm) article into "
                        "<content>/<slug>.yaml, then print what was mapped and what to review")
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                   help="the content folder --import writes to (default: content)")
    p.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                   help=f"worker processes (default: one per core, here {os.cpu_count() or 1}; 1 builds in this process)")
    p.add_argument("--watch", action="store_true",
                   help="build, then rebuild whatever changes in content, templates or the theme until Ctrl-C")
    p.add_argument("--serve", action="store_true",
                   help="build, then serve a live preview of every talk (slides, article, post, handout, "
                        "carousel) that updates in the browser as you save, until Ctrl-C")
    p.add_argument("--port", type=_port, metavar="N",
                   help=f"with --serve: the port to serve on (default {DEFAULT_PORT}; 0 picks a free one)")
    p.add_argument("--host", metavar="HOST",
                   help=f"with --serve: the address to serve on (default {DEFAULT_HOST}, this machine only)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems and the summary")
    p.add_argument("--version", action="version", version=f"triptych {__version__}")
    return p


def run(argv: list[str] | None = None) -> None:
    """The command (``triptych``, ``python build.py``, ``python -m triptych``): ``main``,
    then the process ends without Python taking its interpreter apart.

    A build's process holds WeasyPrint, fontTools and the PDF writers, imported and warmed
    for its workers (``triptych.pool``); freeing their modules and objects one by one when
    it exits took 0.17 s after the sample's last output was written (0.06 s before that
    warm-up existed), memory the operating system takes back at once when the process
    ends. What exiting owes is still done: the ``atexit`` handlers run (logging flushes its
    handlers, multiprocessing ends its children) and the standard streams are flushed.
    Python's own exit is kept when another thread is still running (it would wait for
    it), and when a stream cannot be flushed. A reader that goes away (``| head``) is not
    such a failure: what follows goes nowhere and the status is the build's (``Unbroken``).
    ``main`` raising (``SystemExit`` from a usage error, Ctrl-C) is not caught."""
    # Every message of the command, not only the build's progress lines, may meet a
    # reader that has gone: the summary after ``-q``, --check's and --validate's lines.
    sys.stdout, sys.stderr = Unbroken(sys.stdout), Unbroken(sys.stderr)
    status = main(argv)
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None or threading.active_count() > 1:
        sys.exit(status)
    run_exit_handlers()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        sys.exit(status)
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.themes:
        return _list_themes()
    if args.with_templates and args.init is None:
        p.error("--with-templates goes with --init DIR")
    if (args.port is not None or args.host is not None) and not args.serve:
        p.error("--port and --host go with --serve")
    if args.png and args.only and not any(r.images for r in records() if r.name in args.only):
        drawn = [r.name for r in records() if r.images]
        p.error(f"--png writes the pages of the {' and '.join(drawn)} outputs as pictures, but --only builds none "
                f"of them: add {' or '.join(drawn)} to --only")
    if args.serve and (args.check or args.validate or args.init is not None or args.import_file):
        p.error("--serve builds and previews: it does not go with --check, --validate, --init or --import")
    if args.init is not None:
        if args.files:
            p.error("--init takes a folder, not content files")
        return _init(args.init, args.with_templates, args.quiet)
    if args.validate:
        return _validate_only(args.files)
    if args.import_file:
        return _import(args)
    options = Options(
        out_dir=args.out,
        outputs=args.only or _default_outputs(args.png),
        templates=args.templates or project_templates(),
        theme_file=args.theme,
        page_size=args.paper,
        png=args.png,
        master=args.master.resolve() if args.master else None,
        writer_options={switch.name: getattr(args, switch.name) for switch in _switches()},
        check=not args.no_check,
        force=args.force,
        jobs=args.jobs,
        strict=args.strict,
    )
    if args.check:
        return _check_only(args, options, sys.argv[1:] if argv is None else argv)
    if args.serve:
        from .serve.run import serve

        return serve(args.files, options, args.host or DEFAULT_HOST,
                     DEFAULT_PORT if args.port is None else args.port)
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
    except (KeyboardInterrupt, Exception) as err:
        progress.close()
        # Ctrl-C, SIGTERM or SIGHUP (triptych/stop.py), possibly wrapped by an import it arrived in
        stopped = err if isinstance(err, KeyboardInterrupt) else cause(err)
        if stopped is None:  # a bug of ours: show everything we know
            return _internal_error()
        print("interrupted; outputs already written are complete, the rest untouched", file=sys.stderr)
        return getattr(stopped, "exit_status", 130)
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


def _list_themes() -> int:
    """``--themes``: each built-in theme's name and description."""
    themes = {name: load_theme(path) for name, path in builtin_themes().items()}
    width = max(map(len, themes))
    for name, theme in themes.items():
        print(f"{name:<{width}}  {theme.description}")
    print("use one with --theme NAME or 'theme: NAME' in a content file; "
          "start your own theme file with 'extends: NAME'")
    return 0


def _internal_error() -> int:
    """A bug of ours escaped: show everything we know, exit 1."""
    traceback.print_exc()
    print("internal error: this is a bug in triptych, not in your content; please report it "
          "with the traceback above", file=sys.stderr)
    return 1


def _no_content() -> int:
    print("no content files found (looked for content/*.yaml); "
          f"`{_command()} --init .` starts a project here with a starter talk", file=sys.stderr)
    return 2


def _check_only(args: argparse.Namespace, options: Options, argv: list[str]) -> int:
    """``--check``: the parity check on outputs already written; one count line per output
    read back (``output/x.pptx: 143/143 pieces``), every problem once on stderr. An output
    that is not there is named with the command that builds it: this one without
    ``--check`` (so ``--out DIR``, ``--only`` and the files given are kept). The summary
    counts only the outputs that were read back, and says how many were missing."""
    build_it = " ".join([_as_run(), *(shlex.quote(a) for a in argv if not (len(a) > 3 and "--check".startswith(a)))])

    def on_result(result: FileResult) -> None:
        if not args.quiet:
            for check in result.checks:
                if not check.unchecked:
                    print(check.summary(display_path(check.path)))
        for problem in result.problems:
            print(problem, file=sys.stderr)

    try:
        report = check_built(args.files, options, on_result, missing=f"not found; build it first: {build_it}")
    except Exception:  # a bug of ours, as in a build
        return _internal_error()
    if not report.files:
        return _no_content()
    failed = [f for f in report.files if not f.ok]
    checks = [c for f in report.files for c in f.checks]
    counts = [f"{sum(not c.unchecked for c in checks)} output(s) checked"]
    counts += [f"{n} {state}" for state in ("missing", "unreadable") if (n := sum(c.unchecked == state for c in checks))]
    print(f"{len(report.files) - len(failed)} of {len(report.files)} content file(s) match, "
          + ", ".join(counts) + (f"; {len(failed)} failed" if failed else ""),
          file=sys.stderr if failed else sys.stdout)
    return report.exit_status


def _init(folder: Path, with_templates: bool, quiet: bool) -> int:
    """``--init DIR``: the starter project, one ``created`` line per file, then how to build
    it. A file that exists is named and nothing is written (exit 2); a folder that cannot
    be written is named in one line (exit 1)."""
    try:
        written = init(folder, with_templates)
    except ExistsError as err:
        for path in err.paths:
            print(f"{display_path(path)}: already exists; --init never overwrites anything", file=sys.stderr)
        print("nothing written: move them away or start the project in another folder", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"{display_path(Path(err.filename or folder))}: cannot create: {err.strerror or err}", file=sys.stderr)
        return 1
    if not quiet:
        for path in written:
            print(f"created {display_path(path)}")
    here = folder.resolve() == Path.cwd().resolve()
    print(f"next: {'' if here else f'cd {display_path(folder)} && '}{_command()}  "
          "(builds content/ into output/)")
    return 0


def _validate_only(files: list[Path]) -> int:
    """``--validate``: load and check each content file (default: every content/*.yaml) and
    print every problem (exit 2) and the platform warnings a build prints (exit 0).
    Nothing is rendered or written, so it takes a fraction of a build's time; what only
    rendering can find (a glyph no font has, a template mistake) is left to the build."""
    from .charts.words import warnings as chart_warnings
    from .writers.article import platform_warnings

    paths = content_files(files)
    if not paths:
        return _no_content()
    failed = 0
    status = 0
    for path in paths:
        try:
            talk = load(path)
            # The theme the talk names (a build with --theme would not read it, but it is the talk's).
            low = contrast_problems(load_talk_theme(talk.theme, talk.base_dir)) if talk.theme else []
        except ContentError as err:
            failed += 1
            status = max(status, err.exit_status)
            for problem in err.problems:
                print(problem, file=sys.stderr)
            continue
        for message in [*map(str, talk.notices), *map(str, low), *platform_warnings(talk), *chart_warnings(talk)]:
            print(f"warning: {message}", file=sys.stderr)
    print(f"{len(paths) - failed} of {len(paths)} content file(s) valid" + (f"; {failed} failed" if failed else ""),
          file=sys.stderr if failed else sys.stdout)
    return status


def _import(args: argparse.Namespace) -> int:
    """``--import FILE``: write a content file from an article; exit 2 naming the file when
    it cannot be read or the content file exists (without ``--force``)."""
    from .importer import describe, import_article

    if args.files:
        print("--import takes one article and builds nothing: drop the content files", file=sys.stderr)
        return 2
    try:
        result = import_article(args.import_file, args.content, force=args.force)
    except ContentError as err:
        print(err, file=sys.stderr)
        return 2
    except Exception:  # a bug of ours
        return _internal_error()
    print(f"wrote {display_path(result.path)}")
    for line in describe(result):
        print(line)
    return 0
