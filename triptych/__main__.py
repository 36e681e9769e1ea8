"""``python -m triptych``: the ``triptych`` command."""

import sys

from .cli import main

sys.exit(main())
