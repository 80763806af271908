"""NovaWireless: a synthetic wireless carrier's customers, account graph and
IMEI-defect ledger.

- :func:`generate` runs every step in memory and returns each table as a
  ``pyarrow.Table``, with the types of the Parquet files.
- :func:`run_all` and one function per step write the same files as the
  command-line programs of the same names.
- :mod:`novawireless.spark` generates the tables on Spark executors.

Keyword arguments are the programs' flags (``n_customers=1000`` is
``--n_customers 1000``); each is parsed and checked by the programs' own
code. A bad flag raises :class:`FlagError` (a ``ValueError``) and a failed
run :class:`RunError` (a ``RuntimeError``), each with the one-line message
the program prints; a failed run leaves its output folder as it was.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Iterable, List, Optional, Tuple

import pyarrow as pa

from . import _native

__version__: str = _native.__version__

__all__ = [
    "NovaWirelessError",
    "FlagError",
    "RunError",
    "generate",
    "table_names",
    "schemas",
    "run_all",
    "generate_customers",
    "build_master_account_ledger",
    "inject_imei_anomalies",
    "fix_ledger_contract_proxy",
    "profile",
    "score_detector",
]


class NovaWirelessError(Exception):
    """A program's failure: ``code`` is the exit code the binary gives."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


class FlagError(NovaWirelessError, ValueError):
    """A bad flag or an unusable output folder (the binaries' exit code 2)."""


class RunError(NovaWirelessError, RuntimeError):
    """A run that failed, on a full disk for example (exit code 1)."""


# The flags that take no value: ``True`` gives the flag, ``False`` omits it.
_SWITCHES = frozenset(
    {"clean_twin", "report", "no_params_mirror", "quiet", "overwrite_base"}
)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return str(value)


def _argv(program: str, flags: Dict[str, Any]) -> List[Any]:
    """The command line of ``program`` with ``flags``; ``None`` values are
    left out (the program's default applies)."""
    argv: List[Any] = [program]
    for name, value in flags.items():
        if value is None:
            continue
        flag = "--" + name
        if name in _SWITCHES and isinstance(value, bool):
            if value:
                argv.append(flag)
        elif name == "shard" and isinstance(value, (tuple, list)):
            if len(value) != 2:
                raise FlagError(
                    f"error: invalid value {value!r} for '--shard <K/N>': "
                    "a shard is (K, N)",
                    2,
                )
            argv += [flag, f"{value[0]}/{value[1]}"]
        else:
            argv += [flag, _value(value)]
    return argv


def _raise(failed: Optional[Tuple[int, str]]) -> None:
    if failed is not None:
        code, message = failed
        raise (FlagError if code == 2 else RunError)(message, code)


def _table(stream: Any) -> pa.Table:
    return pa.RecordBatchReader.from_stream(stream).read_all()


def generate(
    n_customers: Optional[int] = None,
    seed: Optional[int] = None,
    *,
    tables: Optional[Iterable[str]] = None,
    quiet: bool = True,
    **flags: Any,
) -> Dict[str, pa.Table]:
    """Runs all four steps in memory and returns every table.

    The flags are those of ``run_all`` (see the README): ``n_customers``
    (default 10000), ``seed`` (42), ``month_to_month_plan_rate``,
    ``p_inject_eip_usage_mismatch``, ``p_voice_eip_attach_if_plan``,
    ``usage_snapshot_date``, ``config``, ``anomaly_seed`` (1337),
    ``p_mismatch``, ``p_missing``, ``within_customer_only``,
    ``shard=(k, n)`` and ``clean_twin``. ``tables`` keeps only the tables
    named; ``quiet=False`` shows progress bars on a terminal.

    Returns a dict from table name (``"customers"``, ``"lines"``, …,
    ``"master_account_ledger"``, ``"anomaly_manifest"``) to a
    ``pyarrow.Table`` equal, in types and values, to the Parquet file
    ``run_all --format parquet`` writes with the same flags. The data comes
    from Rust through the Arrow C stream interface, without a copy.
    """
    argv = _argv(
        "run_all", {"n_customers": n_customers, "seed": seed, "quiet": quiet, **flags}
    )
    wanted = None if tables is None else [str(t) for t in tables]
    streams, failed = _native.generate(argv, wanted)
    _raise(failed)
    return {name: _table(stream) for name, stream in streams}


def table_names(**flags: Any) -> List[str]:
    """The names of the tables :func:`generate` returns with ``flags``."""
    streams, failed = _native.schemas(_argv("run_all", flags))
    _raise(failed)
    return [name for name, _ in streams]


def schemas(**flags: Any) -> Dict[str, pa.Schema]:
    """The Arrow schema of each table :func:`generate` returns with ``flags``."""
    streams, failed = _native.schemas(_argv("run_all", flags))
    _raise(failed)
    return {name: _table(stream).schema for name, stream in streams}


def _run(program: str, flags: Dict[str, Any]) -> None:
    _raise(_native.run(program, _argv(program, flags)))


def run_all(out_dir: "str | os.PathLike[str]" = "output", **flags: Any) -> None:
    """Runs the four steps into ``out_dir``, as the ``run_all`` program does
    with the same flags, and prints the same lines on stdout."""
    _run("run_all", {"out_dir": out_dir, **flags})


def generate_customers(out_dir: "str | os.PathLike[str]" = "output", **flags: Any) -> None:
    """Step 1, as the ``generate_customers`` program."""
    _run("generate_customers", {"out_dir": out_dir, **flags})


def build_master_account_ledger(
    out_dir: "str | os.PathLike[str]" = "output", **flags: Any
) -> None:
    """Step 2, as the ``build_master_account_ledger`` program."""
    _run("build_master_account_ledger", {"out_dir": out_dir, **flags})


def inject_imei_anomalies(
    out_dir: "str | os.PathLike[str]" = "output", **flags: Any
) -> None:
    """Step 3, as the ``inject_imei_anomalies`` program."""
    _run("inject_imei_anomalies", {"out_dir": out_dir, **flags})


def fix_ledger_contract_proxy(
    out_dir: "str | os.PathLike[str]" = "output", **flags: Any
) -> None:
    """Step 4, as the ``fix_ledger_contract_proxy`` program."""
    _run("fix_ledger_contract_proxy", {"out_dir": out_dir, **flags})


def profile(out_dir: "str | os.PathLike[str]" = "output") -> None:
    """The data profile of a ``run_all`` output folder, as ``profile``."""
    _run("profile", {"out_dir": out_dir})


def score_detector(predictions: "str | os.PathLike[str]", **flags: Any) -> None:
    """Scores a detector's predictions against the manifest, as
    ``score_detector``; ``json=`` also writes the scores as JSON."""
    _run("score_detector", {"predictions": predictions, **flags})

