"""The console scripts: each runs its program in this process exactly as
the binary of the same name does (flags, output, messages, exit codes)."""

import sys

from . import _native


def _main(name: str) -> "None":
    sys.stdout.flush()
    code = _native.main(name, [name, *sys.argv[1:]])
    sys.exit(code)


def run_all() -> None:
    _main("run_all")


def generate_customers() -> None:
    _main("generate_customers")


def build_master_account_ledger() -> None:
    _main("build_master_account_ledger")


def inject_imei_anomalies() -> None:
    _main("inject_imei_anomalies")


def fix_ledger_contract_proxy() -> None:
    _main("fix_ledger_contract_proxy")


def profile() -> None:
    _main("profile")


def score_detector() -> None:
    _main("score_detector")
