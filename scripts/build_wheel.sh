#!/usr/bin/env bash
# Builds the Python package's wheel (abi3: one wheel for CPython 3.9 and
# newer) into target/wheels, with maturin in a venv of its own. Extra
# arguments go to `maturin build`.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/build-venv
if [ ! -x "$venv/bin/maturin" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "maturin>=1.9.4,<2"
fi
rm -f target/wheels/novawireless-*.whl
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/python}" \
  "$venv/bin/maturin" build --release --manifest-path python/Cargo.toml \
  --out target/wheels "$@"
