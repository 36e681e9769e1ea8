"""Tests for triptych.progress: plain lines off a terminal, a bar on one, and no rich
import for builds that end before the bar's delay."""

from __future__ import annotations

import io
import subprocess
import sys

from conftest import ROOT
from triptych.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_off_a_terminal_only_plain_lines_are_printed():
    out, err = io.StringIO(), io.StringIO()
    progress = Progress(out=out, err=err, delay=0)
    for done in range(4):
        progress.update(done, 3)
    progress.line("wrote output/a.pdf")
    progress.line("content/a.yaml:3: title: is required", error=True)
    progress.close()
    assert out.getvalue() == "wrote output/a.pdf\n"
    assert err.getvalue() == "content/a.yaml:3: title: is required\n"


def test_on_a_terminal_a_bar_counts_outputs_and_lines_scroll_above_it():
    term = Terminal()
    progress = Progress(out=term, err=term, delay=0)
    progress.update(1, 4)
    progress.line("wrote output/a.pptx")
    progress.update(2, 4)
    progress.close()
    shown = term.getvalue()
    assert "wrote output/a.pptx" in shown
    assert "2/4" in shown and "outputs" in shown


def test_a_build_that_ends_within_the_delay_never_draws_or_imports_rich():
    script = ("import io, sys; from triptych.progress import Progress\n"
              "class T(io.StringIO):\n    isatty = lambda self: True\n"
              "t = T(); p = Progress(out=t, err=t, delay=60); p.update(1, 5); p.update(5, 5); p.close()\n"
              "print(repr(t.getvalue()), 'rich' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["''", "False"], done.stderr


def test_a_closed_pipe_takes_the_lines_that_follow_quietly():
    """The reader went away: the line is dropped, the next ones too, and flushing the
    stream later (a fork, the exit) no longer fails."""
    import os

    read, write = os.pipe()
    os.close(read)
    out = os.fdopen(write, "w")
    try:
        progress = Progress(out=out, err=io.StringIO(), delay=0)
        progress.line("wrote output/a.pdf")
        progress.line("wrote output/b.pdf")
        out.write("more")
        out.flush()
    finally:
        out.close()
