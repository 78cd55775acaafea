#!/usr/bin/env bash
# Set up the virtual environment with the test tools, then run every check:
# lint, format, types, the import contracts, and the whole pytest suite.
# Arguments go to pytest (for example ./run-tests.sh -k walkthrough).
set -euo pipefail
cd "$(dirname "$0")"
EXTRAS=test source scripts/setup-venv.sh
export QT_QPA_PLATFORM=offscreen

echo "== ruff (lint and format)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy --strict"
.venv/bin/mypy
echo "== import contracts"
.venv/bin/lint-imports
echo "== pytest"
.venv/bin/pytest "$@"
