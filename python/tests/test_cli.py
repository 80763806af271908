"""The console scripts are the programs: the same files, lines and exit
codes as the Rust binaries, and ``--help`` works from the venv."""

import subprocess

import novawireless
from conftest import run_script, script

PROGRAMS = [
    "run_all",
    "generate_customers",
    "build_master_account_ledger",
    "inject_imei_anomalies",
    "fix_ledger_contract_proxy",
    "profile",
    "score_detector",
]


def test_every_script_answers_help():
    for name in PROGRAMS:
        result = run_script(name, "--help")
        assert "Usage:" in result.stdout, name
        assert result.stderr == "", name


def test_version_is_the_package_version():
    result = run_script("run_all", "--version")
    assert result.stdout.strip() == f"run_all {novawireless.__version__}"


def test_run_all_script_and_function_write_the_same_bytes(tmp_path):
    flags = ["--n_customers", "3000", "--no_params_mirror", "--quiet"]
    result = run_script("run_all", *flags, "--out_dir", str(tmp_path / "script"))
    assert "customers 3000 lines" in result.stdout
    novawireless.run_all(
        tmp_path / "function", n_customers=3000, no_params_mirror=True, quiet=True
    )
    script_files = sorted(p.name for p in (tmp_path / "script").iterdir())
    function_files = sorted(p.name for p in (tmp_path / "function").iterdir())
    assert script_files == function_files
    assert "master_account_ledger.csv" in script_files
    for name in script_files:
        a = (tmp_path / "script" / name).read_bytes()
        b = (tmp_path / "function" / name).read_bytes()
        assert a == b, name


def test_steps_one_by_one_give_the_run_all_ledger(tmp_path):
    out = tmp_path / "steps"
    novawireless.generate_customers(out, n_customers=2000, quiet=True)
    novawireless.build_master_account_ledger(out, no_params_mirror=True, quiet=True)
    novawireless.inject_imei_anomalies(
        out, overwrite_base=True, no_params_mirror=True, quiet=True
    )
    novawireless.fix_ledger_contract_proxy(out, no_params_mirror=True, quiet=True)
    novawireless.run_all(
        tmp_path / "all", n_customers=2000, no_params_mirror=True, quiet=True
    )
    name = "master_account_ledger.csv"
    assert (out / name).read_bytes() == (tmp_path / "all" / name).read_bytes()
    novawireless.profile(tmp_path / "all")
    assert (tmp_path / "all" / "report.html").exists()


def test_a_bad_flag_exits_2_with_one_line():
    result = run_script("run_all", "--n_customers", "0", check=False)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: ")


def test_score_detector_script_scores(tmp_path):
    out = tmp_path / "out"
    novawireless.run_all(out, n_customers=1500, no_params_mirror=True, quiet=True)
    predictions = tmp_path / "predictions.csv"
    predictions.write_text("line_id,flag\n")
    result = subprocess.run(
        [
            script("score_detector"),
            "--manifest",
            str(out / "anomaly_manifest.csv"),
            "--ledger",
            str(out / "master_account_ledger.csv"),
            "--predictions",
            str(predictions),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "recall" in result.stdout
