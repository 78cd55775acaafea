#!/usr/bin/env bash
# Set up the virtual environment if needed, then open Consult Aid.
# Arguments are passed on: ./run-app.sh --demo, ./run-app.sh content check FILE.
set -euo pipefail
cd "$(dirname "$0")"
EXTRAS="" source scripts/setup-venv.sh
exec .venv/bin/consult-aid "$@"
