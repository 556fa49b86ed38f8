#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the tests need
# (oslo.config in a local venv, for the differential tests), then runs them.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${GLANCE_LINT_VENV:-$PWD/.venv}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
# oslo.config as glance 33.0.0 pins it: the parser the differential tests compare against.
"$VENV/bin/python" -c 'import oslo_config' 2>/dev/null ||
  "$VENV/bin/pip" install --quiet --disable-pip-version-check 'oslo.config==10.7.0'
export GLANCE_LINT_PYTHON="$VENV/bin/python"
# pre-commit, for the test that installs the hook from a clone (tests/precommit.rs);
# PyYAML comes with it.
"$VENV/bin/python" -c 'import pre_commit' 2>/dev/null ||
  "$VENV/bin/pip" install --quiet --disable-pip-version-check 'pre-commit==4.3.0'
export GLANCE_LINT_PRE_COMMIT="$VENV/bin/pre-commit"

cargo test --all-targets "$@"
