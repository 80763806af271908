"""The data dictionary (``datapackage.json``) is a valid Frictionless Data
Package that catches a corrupted cell, and the README's one-line reads
keep every id a string in pandas, polars and DuckDB."""

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest

from conftest import run_script

#: Columns that hold ids or digit strings: a number type would lose leading
#: digits, widths or the exact value.
IDS = [
    "customer_id",
    "account_id",
    "line_id",
    "msisdn",
    "agreement_number",
    "eip_imei",
    "usage_imei",
    "current_imei",
    "usage_eip_agreement_number",
]


@pytest.fixture(scope="module")
def csv_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("csv_run")
    run_script(
        "run_all",
        "--n_customers",
        "1500",
        "--no_params_mirror",
        "--quiet",
        "--out_dir",
        str(out),
    )
    return out


def frictionless(path):
    exe = Path(sys.executable).parent / "frictionless"
    return subprocess.run(
        [str(exe), "validate", "--json", str(path)], capture_output=True, text=True
    )


def string_fields(out, table):
    """The README's line: the names of a table's string fields."""
    pkg = json.load(open(out / "datapackage.json"))
    fields = {r["name"]: r["schema"]["fields"] for r in pkg["resources"]}
    return [f["name"] for f in fields[table] if f["type"] == "string"]


def csv_column(path, name):
    with open(path, newline="") as f:
        return [row[name] for row in csv.DictReader(f)]


def test_the_package_describes_every_table_and_validates(csv_run):
    pkg = json.loads((csv_run / "datapackage.json").read_text())
    names = [r["name"] for r in pkg["resources"]]
    assert names == [
        "customers",
        "customers_v1",
        "lines",
        "devices",
        "eip_agreements",
        "line_device_usage",
        "master_account_ledger",
        "master_account_ledger__anomalies",
        "imei_anomaly_examples",
        "anomaly_manifest",
    ]
    for r in pkg["resources"]:
        with open(csv_run / r["path"], newline="") as f:
            header = next(csv.reader(f))
        assert [f["name"] for f in r["schema"]["fields"]] == header, r["name"]
    result = frictionless(csv_run / "datapackage.json")
    report = json.loads(result.stdout)
    assert report["valid"] is True, json.dumps(report["tasks"][0]["errors"][:3])
    assert result.returncode == 0
    assert len(report["tasks"]) == len(names)


def test_a_corrupted_cell_fails_validation(csv_run, tmp_path):
    copy = tmp_path / "out"
    shutil.copytree(csv_run, copy)
    lines = copy / "lines.csv"
    text = lines.read_text().splitlines(keepends=True)
    cells = text[5].split(",")
    assert len(cells[3]) == 10  # the msisdn
    cells[3] = "0" + cells[3][1:]  # an NPA may not start with 0
    text[5] = ",".join(cells)
    lines.write_text("".join(text))
    result = frictionless(copy / "datapackage.json")
    report = json.loads(result.stdout)
    assert result.returncode != 0
    assert report["valid"] is False
    errors = [e for t in report["tasks"] for e in t["errors"]]
    assert [(e["type"], e["fieldName"], e["rowNumber"]) for e in errors] == [
        ("constraint-error", "msisdn", 6)
    ]


def test_the_readme_reads_keep_every_id_a_string(csv_run):
    table = "master_account_ledger"
    path = str(csv_run / f"{table}.csv")
    text = string_fields(csv_run, table)
    assert set(IDS) <= set(text)
    expected = {name: csv_column(path, name) for name in IDS}

    # Without the types, the ids become numbers (what the package fixes).
    plain = pd.read_csv(path)
    assert plain["msisdn"].dtype == "int64"
    assert plain["usage_imei"].dtype == "float64"

    frames = {
        "pandas": pd.read_csv(path, dtype=dict.fromkeys(text, "string")),
        "polars": pl.read_csv(path, schema_overrides=dict.fromkeys(text, pl.String)),
        "duckdb": duckdb.sql(
            f"select * from read_csv('{path}', types={dict.fromkeys(text, 'VARCHAR')})"
        ).pl(),
    }
    for engine, frame in frames.items():
        for name in IDS:
            if engine == "pandas":
                assert frame[name].dtype == "string", (engine, name)
                values = frame[name].fillna("").tolist()
            else:
                assert frame[name].dtype == pl.String, (engine, name)
                values = frame[name].fill_null("").to_list()
            assert values == expected[name], (engine, name)


def test_the_package_of_two_shards_in_table_folders_validates(tmp_path):
    out = tmp_path / "tables"
    for shard in ("1/2", "2/2"):
        run_script(
            "run_all",
            "--n_customers",
            "1500",
            "--layout",
            "tables",
            "--shard",
            shard,
            "--no_params_mirror",
            "--quiet",
            "--out_dir",
            str(out),
        )
    pkg = json.loads((out / "datapackage.json").read_text())
    customers = next(r for r in pkg["resources"] if r["name"] == "customers")
    assert customers["path"] == ["customers/part-1-of-2.csv", "customers/part-2-of-2.csv"]
    report = json.loads(frictionless(out / "datapackage.json").stdout)
    assert report["valid"] is True, json.dumps(report["tasks"][0]["errors"][:3])
    rows = {t["name"]: t["stats"]["rows"] for t in report["tasks"]}
    assert rows["customers"] == 1500
    assert rows["lines"] == len(csv_column(out / "lines" / "part-1-of-2.csv", "line_id")) + len(
        csv_column(out / "lines" / "part-2-of-2.csv", "line_id")
    )
