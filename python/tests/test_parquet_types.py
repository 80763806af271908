"""What engines see in the Parquet files: float statistics pyarrow uses,
categorical columns as categories, and the provenance footer."""

import hashlib
import json

import pandas as pd
import polars as pl
import pyarrow.parquet as pq

from conftest import FLAGS

FLOATS = [
    "monthly_charges",
    "device_monthly_payment",
    "churn_risk_score",
    "trust_baseline",
    "patience",
]


def test_pyarrow_sees_the_float_statistics(parquet_run):
    path = parquet_run / "customers.parquet"
    meta = pq.ParquetFile(path).metadata
    names = [meta.schema.column(i).name for i in range(meta.num_columns)]
    column = pd.read_parquet(path, columns=FLOATS)
    for name in FLOATS:
        i = names.index(name)
        lows, highs = [], []
        for g in range(meta.num_row_groups):
            stats = meta.row_group(g).column(i).statistics
            assert stats.has_min_max, name
            lows.append(stats.min)
            highs.append(stats.max)
        assert min(lows) == column[name].min(), name
        assert max(highs) == column[name].max(), name


def test_categorical_columns_read_as_categories(parquet_run):
    customers = parquet_run / "customers.parquet"
    frame = pd.read_parquet(customers)
    assert frame["payment_method"].dtype == "category"
    assert set(frame["payment_method"].cat.categories) <= {
        "Electronic check",
        "Mailed check",
        "Bank transfer (automatic)",
        "Credit card (automatic)",
    }
    assert frame["customer_id"].dtype == object
    assert pl.read_parquet(customers)["contract_proxy"].dtype == pl.Categorical
    manifest = pd.read_parquet(parquet_run / "anomaly_manifest.parquet")
    assert list(manifest["field"].cat.categories) == ["usage_imei"]


def test_each_file_names_its_provenance(parquet_run):
    receipt = json.loads((parquet_run / "customer_generation_receipt.json").read_text())
    digest = hashlib.sha256(
        json.dumps(receipt["parameters"], separators=(",", ":")).encode()
    ).hexdigest()
    assert receipt["parameters_sha256"] == digest
    for path in sorted(parquet_run.glob("*.parquet")):
        pairs = {
            k.decode(): v.decode()
            for k, v in pq.read_metadata(path).metadata.items()
            if k.startswith(b"novawireless.")
        }
        assert pairs == {
            "novawireless.tool": receipt["tool"],
            "novawireless.step": "run_all",
            "novawireless.seed": str(FLAGS["seed"]),
            "novawireless.anomaly_seed": str(FLAGS["anomaly_seed"]),
            "novawireless.receipt": "customer_generation_receipt.json",
            "novawireless.parameters_sha256": digest,
        }, path.name
