"""``python -m consult_aid`` runs the same entry point as ``consult-aid``."""

import sys

from consult_aid.cli import main

sys.exit(main())
