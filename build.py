#!/usr/bin/env python3
"""Build every content/*.yaml into output/: see ``python build.py --help``."""

from triptych.cli import run

if __name__ == "__main__":
    run()
