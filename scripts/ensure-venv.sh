#!/usr/bin/env bash
# Python's venv module, which scripts/test.sh and scripts/wheel.sh need: on
# Debian and Ubuntu it is the python3-venv package (ensurepip), which a stock
# install lacks. Installed here when we may (root, or sudo without a
# password), else asked for (exit status 1).
set -euo pipefail
need_venv() { ! python3 -c 'import ensurepip, venv' 2>/dev/null; }
if need_venv; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then
      if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO="no"; fi
    fi
    if [ "$SUDO" != no ]; then
      echo "installing python3-venv (Python's venv module)" >&2
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
    fi
  fi
  if need_venv; then
    echo "Python's venv module is missing: install it (Debian/Ubuntu: sudo apt-get install python3-venv) and run again" >&2
    exit 1
  fi
fi
