# Sourced by scripts/demo and scripts/test: find Python >= 3.11 and make .venv from pyproject.toml.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON=""
for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3 python; do
  [ -n "$candidate" ] || continue
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    PYTHON="$candidate"; break
  fi
done
if [ -z "$PYTHON" ]; then
  echo "harvester needs Python 3.11 or newer (python3 --version says: $(python3 --version 2>&1))" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
VENV_PY="$ROOT/.venv/bin/python"

# pip's output goes to a log that is shown only when an install fails.
pip_install() {
  local log
  log="$(mktemp)"
  if ! "$VENV_PY" -m pip install --quiet --disable-pip-version-check "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "error: pip install $* failed" >&2
    exit 2
  fi
  rm -f "$log"
}
