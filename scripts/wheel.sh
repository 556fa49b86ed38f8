#!/usr/bin/env bash
# Builds the glance-lint wheel (python/glance-lint/pyproject.toml, maturin,
# `bindings = "bin"`) into target/wheels/ and prints its path. manylinux2014
# (glibc 2.17 or newer) through maturin's --zig: maturin and the ziglang
# package come from PyPI into .venv-build, so no system zig or old-glibc
# container is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-venv.sh
BVENV=${GLANCE_LINT_BUILD_VENV:-$PWD/.venv-build}
[ -x "$BVENV/bin/python" ] || python3 -m venv "$BVENV"
if [ ! -x "$BVENV/bin/maturin" ] || ! "$BVENV/bin/python" -m ziglang version >/dev/null 2>&1; then
  "$BVENV/bin/pip" install --quiet --disable-pip-version-check 'maturin==1.16.0' 'ziglang==0.17.1'
fi
rm -f target/wheels/glance_lint-*.whl
(
  cd python/glance-lint
  PATH="$BVENV/bin:$PATH" maturin build --release --zig --compatibility manylinux2014 \
    --out ../../target/wheels >&2
)
ls "$PWD"/target/wheels/glance_lint-*.whl
