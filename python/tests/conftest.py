"""Shared fixtures: reference outputs written by the console scripts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent

#: The flags of the reference run: not all defaults, so a flag that is
#: dropped on the way shows.
FLAGS = {
    "n_customers": 20_000,
    "seed": 7,
    "anomaly_seed": 99,
    "p_mismatch": 0.1,
    "clean_twin": True,
}


def cli_flags(flags):
    argv = []
    for name, value in flags.items():
        if value is True:
            argv.append(f"--{name}")
        else:
            argv += [f"--{name}", str(value)]
    return argv


def script(name):
    path = BIN / name
    assert path.exists(), f"the console script {name} is not installed in {BIN}"
    return str(path)


def run_script(name, *args, check=True):
    result = subprocess.run(
        [script(name), *args], capture_output=True, text=True, env={**os.environ}
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="session")
def parquet_run(tmp_path_factory):
    """``run_all --format parquet`` with FLAGS, through the console script."""
    out = tmp_path_factory.mktemp("parquet_run")
    run_script(
        "run_all",
        *cli_flags(FLAGS),
        "--format",
        "parquet",
        "--no_params_mirror",
        "--quiet",
        "--out_dir",
        str(out),
    )
    return out
