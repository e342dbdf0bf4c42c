#!/usr/bin/env bash
# Creates .venv (once) and installs the project with its dev tools into it.
# Sourced by scripts/run and scripts/test so that both work on a fresh clone.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
STAMP="$VENV/.installed-$(sha1sum "$ROOT/pyproject.toml" | cut -c1-12)"
if [ ! -f "$STAMP" ]; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
    # pip's chatter goes to a log; it is shown only when the install fails.
    if ! "$VENV/bin/python" -m pip install --quiet -e "$ROOT[dev]" >"$VENV/install.log" 2>&1; then
        cat "$VENV/install.log" >&2
        exit 1
    fi
    rm -f "$VENV"/.installed-* && touch "$STAMP"
fi
