"""Launcher: ``python main.py`` opens Consult Aid (same as the ``consult-aid`` command)."""

import sys

from consult_aid.cli import main

if __name__ == "__main__":
    sys.exit(main())
