#!/usr/bin/env bash
# Make (or refresh) the project's virtual environment in .venv.
# Sourced by run-app.sh and run-tests.sh; EXTRAS selects optional dependencies.
set -euo pipefail

python_bin=${PYTHON:-python3}
if ! command -v "$python_bin" >/dev/null 2>&1; then
    echo "Consult Aid needs Python 3.11 or newer: '$python_bin' was not found." >&2
    exit 1
fi
if ! "$python_bin" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Consult Aid needs Python 3.11 or newer; '$python_bin' is $("$python_bin" -V 2>&1)." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    if ! "$python_bin" -m venv .venv; then
        echo "Could not make a virtual environment: on Debian/Ubuntu install python3-venv." >&2
        exit 1
    fi
fi
# Reinstall only when pyproject.toml changed since the last install.
stamp=".venv/.installed-${EXTRAS:-app}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".${EXTRAS:+[$EXTRAS]}"
    touch "$stamp"
fi
