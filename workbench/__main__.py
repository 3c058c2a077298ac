"""``python -m workbench``: the command-line interface (see :mod:`workbench.cli`)."""

from __future__ import annotations

import sys

from workbench.cli import main

if __name__ == "__main__":
    sys.exit(main())
