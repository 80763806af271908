#!/usr/bin/env bash
# Every test: the Rust workspace's, then the Python package's. The wheel is
# built and installed into a fresh venv with pytest, pandas, polars and
# pyspark; the Spark test needs a Java runtime on PATH and fails, saying
# so, without one.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --workspace

bash scripts/build_wheel.sh
venv=target/test-venv
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet target/wheels/novawireless-*.whl \
  pytest "pandas<3" polars "pyspark>=3.5" duckdb frictionless
cd python/tests
"../../$venv/bin/python" -m pytest -q -p no:cacheprovider
