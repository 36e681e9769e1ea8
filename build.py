#!/usr/bin/env python3
"""Build every content/*.yaml into output/: see ``python build.py --help``."""

import sys

from triptych.cli import main

if __name__ == "__main__":
    sys.exit(main())
