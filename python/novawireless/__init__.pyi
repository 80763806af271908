"""Type stubs of the ``novawireless`` package: every flag of every program,
so that editors complete them. ``None`` means the program's default (see
the README's flag table)."""

import os
from typing import Any, Dict, Iterable, List, Literal, Optional, Tuple, Union

import pyarrow as pa

_Path = Union[str, "os.PathLike[str]"]
_Format = Literal["csv", "parquet"]
_Layout = Literal["flat", "tables"]

__version__: str

class NovaWirelessError(Exception):
    code: int
    def __init__(self, message: str, code: int) -> None: ...

class FlagError(NovaWirelessError, ValueError): ...
class RunError(NovaWirelessError, RuntimeError): ...

def generate(
    n_customers: Optional[int] = None,
    seed: Optional[int] = None,
    *,
    tables: Optional[Iterable[str]] = None,
    quiet: bool = True,
    month_to_month_plan_rate: Optional[float] = None,
    p_inject_eip_usage_mismatch: Optional[float] = None,
    p_voice_eip_attach_if_plan: Optional[float] = None,
    usage_snapshot_date: Optional[str] = None,
    config: Optional[_Path] = None,
    anomaly_seed: Optional[int] = None,
    p_mismatch: Optional[float] = None,
    p_missing: Optional[float] = None,
    within_customer_only: Optional[bool] = None,
    shard: Optional[Tuple[int, int]] = None,
    clean_twin: bool = False,
) -> Dict[str, pa.Table]:
    """Runs all four steps in memory; every table as a ``pyarrow.Table``."""

def table_names(**flags: Any) -> List[str]: ...
def schemas(**flags: Any) -> Dict[str, pa.Schema]: ...
def run_all(
    out_dir: _Path = "output",
    *,
    n_customers: Optional[int] = None,
    seed: Optional[int] = None,
    month_to_month_plan_rate: Optional[float] = None,
    p_inject_eip_usage_mismatch: Optional[float] = None,
    p_voice_eip_attach_if_plan: Optional[float] = None,
    usage_snapshot_date: Optional[str] = None,
    config: Optional[_Path] = None,
    anomaly_seed: Optional[int] = None,
    p_mismatch: Optional[float] = None,
    p_missing: Optional[float] = None,
    within_customer_only: Optional[bool] = None,
    params_dir: Optional[_Path] = None,
    no_params_mirror: bool = False,
    shard: Optional[Tuple[int, int]] = None,
    clean_twin: bool = False,
    report: bool = False,
    format: Optional[_Format] = None,
    layout: Optional[_Layout] = None,
    quiet: bool = False,
) -> None:
    """All four steps into ``out_dir``, as the ``run_all`` program."""

def generate_customers(
    out_dir: _Path = "output",
    *,
    n_customers: Optional[int] = None,
    seed: Optional[int] = None,
    month_to_month_plan_rate: Optional[float] = None,
    p_inject_eip_usage_mismatch: Optional[float] = None,
    p_voice_eip_attach_if_plan: Optional[float] = None,
    usage_snapshot_date: Optional[str] = None,
    config: Optional[_Path] = None,
    format: Optional[_Format] = None,
    layout: Optional[_Layout] = None,
    quiet: bool = False,
) -> None:
    """Step 1, as the ``generate_customers`` program."""

def build_master_account_ledger(
    out_dir: _Path = "output",
    *,
    in_dir: Optional[_Path] = None,
    params_dir: Optional[_Path] = None,
    no_params_mirror: bool = False,
    format: Optional[_Format] = None,
    layout: Optional[_Layout] = None,
    quiet: bool = False,
) -> None:
    """Step 2, as the ``build_master_account_ledger`` program."""

def inject_imei_anomalies(
    out_dir: _Path = "output",
    *,
    seed: Optional[int] = None,
    p_mismatch: Optional[float] = None,
    p_missing: Optional[float] = None,
    within_customer_only: Optional[bool] = None,
    overwrite_base: bool = False,
    in_dir: Optional[_Path] = None,
    params_dir: Optional[_Path] = None,
    no_params_mirror: bool = False,
    format: Optional[_Format] = None,
    layout: Optional[_Layout] = None,
    quiet: bool = False,
) -> None:
    """Step 3, as the ``inject_imei_anomalies`` program."""

def fix_ledger_contract_proxy(
    out_dir: _Path = "output",
    *,
    in_dir: Optional[_Path] = None,
    params_dir: Optional[_Path] = None,
    no_params_mirror: bool = False,
    format: Optional[_Format] = None,
    layout: Optional[_Layout] = None,
    quiet: bool = False,
) -> None:
    """Step 4, as the ``fix_ledger_contract_proxy`` program."""

def profile(out_dir: _Path = "output") -> None:
    """The data profile of a ``run_all`` output folder."""

def score_detector(
    predictions: _Path,
    *,
    manifest: Optional[_Path] = None,
    ledger: Optional[_Path] = None,
    threshold: Optional[float] = None,
    json: Optional[_Path] = None,
) -> None:
    """Scores a detector's predictions against the defect manifest."""
