"""Bad flags raise ``FlagError`` (a ``ValueError``) with the program's own
one-line message; a failed run leaves the output folder as it was."""

import os

import pytest

import novawireless
from conftest import run_script


def cli_message(*args):
    result = run_script("run_all", *args, check=False)
    assert result.returncode == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


BAD = [
    ({"n_customers": 0}, ["--n_customers", "0"]),
    ({"n_customers": "ten"}, ["--n_customers", "ten"]),
    ({"p_mismatch": 1.5}, ["--p_mismatch", "1.5"]),
    ({"seed": -1}, ["--seed", "-1"]),
    ({"usage_snapshot_date": "2026-02-30"}, ["--usage_snapshot_date", "2026-02-30"]),
    ({"within_customer_only": "maybe"}, ["--within_customer_only", "maybe"]),
    ({"shard": (4, 3)}, ["--shard", "4/3"]),
    ({"format": "xlsx"}, ["--format", "xlsx"]),
    ({"n_customer": 10}, ["--n_customer", "10"]),
]


@pytest.mark.parametrize("flags,argv", BAD, ids=[str(f) for f, _ in BAD])
def test_generate_raises_the_cli_message(flags, argv):
    expected = cli_message(*argv)
    with pytest.raises(ValueError) as caught:
        novawireless.generate(**flags)
    assert isinstance(caught.value, novawireless.FlagError)
    assert caught.value.code == 2
    assert str(caught.value) == expected


@pytest.mark.parametrize("flags,argv", BAD, ids=[str(f) for f, _ in BAD])
def test_run_all_raises_the_cli_message_and_writes_nothing(flags, argv, tmp_path):
    out = tmp_path / "out"
    expected = cli_message(*argv, "--out_dir", str(out))
    with pytest.raises(novawireless.FlagError) as caught:
        novawireless.run_all(out, no_params_mirror=True, **flags)
    assert str(caught.value) == expected
    assert not out.exists()


def test_a_missing_config_is_a_flag_error(tmp_path):
    with pytest.raises(novawireless.NovaWirelessError) as caught:
        novawireless.generate(n_customers=100, config=tmp_path / "none.json")
    assert "none.json" in str(caught.value)


def test_a_failed_run_leaves_the_folder_as_it_was(tmp_path):
    out = tmp_path / "out"
    novawireless.run_all(out, n_customers=1200, no_params_mirror=True, quiet=True)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # The mirror cannot be a folder under a file: refused before any change.
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(novawireless.NovaWirelessError) as caught:
        novawireless.run_all(
            out, n_customers=2400, params_dir=blocker / "params", quiet=True
        )
    assert "--params_dir" in str(caught.value)
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before


def test_a_step_reports_a_missing_input(tmp_path):
    with pytest.raises(novawireless.NovaWirelessError) as caught:
        novawireless.build_master_account_ledger(tmp_path, no_params_mirror=True)
    assert str(caught.value).startswith("error: ")
    assert os.listdir(tmp_path) == []
