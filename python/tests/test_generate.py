"""``novawireless.generate`` returns the tables of ``run_all --format
parquet`` with the same flags, in types and values, through the Arrow C
stream interface; its shards concatenate to the full tables."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import novawireless
from conftest import FLAGS

TABLES = [
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
    "master_account_ledger__clean",
]


def decoded(table):
    """``table`` with its dictionary (categorical) columns as plain
    strings: two tables can hold the same values under different
    dictionaries (one per chunk here, one per row group in a file)."""
    for i, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            plain = pa.field(field.name, field.type.value_type, field.nullable)
            table = table.set_column(i, plain, table.column(i).cast(plain.type))
    return table


@pytest.fixture(scope="module")
def tables():
    return novawireless.generate(**FLAGS)


def test_every_table_equals_the_parquet_file(tables, parquet_run):
    assert list(tables) == TABLES
    for name, table in tables.items():
        file = pq.read_table(parquet_run / f"{name}.parquet")
        assert table.num_rows == file.num_rows > 0, name
        assert table.schema.equals(file.schema, check_metadata=False), name
        assert decoded(table).equals(decoded(file)), name


def test_types_are_those_of_the_parquet_files(tables):
    customers = tables["customers"]
    assert customers.schema.field("customer_id").type == pa.string()
    assert customers.schema.field("tenure_months").type == pa.int32()
    assert customers.schema.field("monthly_charges").type == pa.float64()
    categories = pa.dictionary(pa.int32(), pa.string())
    assert customers.schema.field("payment_method").type == categories
    usage = tables["line_device_usage"]
    assert usage.schema.field("usage_snapshot_date").type == pa.date32()
    # The Arrow data arrives as Arrow: a chunk per 2,048 customers.
    assert customers.column("customer_id").num_chunks == 10


def test_shards_concatenate_to_the_full_tables(tables):
    flags = {k: v for k, v in FLAGS.items() if k != "clean_twin"}
    shards = [
        novawireless.generate(**flags, shard=(k, 3), tables=["lines", "anomaly_manifest"])
        for k in (1, 2, 3)
    ]
    for name in ["lines", "anomaly_manifest"]:
        parts = [s[name] for s in shards]
        assert all(0 < p.num_rows < tables[name].num_rows for p in parts), name
        assert decoded(pa.concat_tables(parts)).equals(decoded(tables[name])), name


def test_a_choice_of_tables_keeps_that_choice():
    got = novawireless.generate(n_customers=1500, tables=["anomaly_manifest", "lines"])
    assert list(got) == ["lines", "anomaly_manifest"]


def test_table_names_and_schemas_need_no_run():
    assert novawireless.table_names() == TABLES[:-1]
    assert novawireless.table_names(clean_twin=True) == TABLES
    schemas = novawireless.schemas()
    assert schemas["anomaly_manifest"].names[:3] == ["defect_id", "defect_type", "stage"]
    assert schemas["line_device_usage"].field("usage_snapshot_date").type == pa.date32()

def test_pandas_and_polars_read_the_tables(tables):
    import pandas as pd
    import polars as pl

    customers = tables["customers"]
    frame = customers.to_pandas(types_mapper=pd.ArrowDtype)
    assert str(frame["customer_id"].dtype) == "string[pyarrow]"
    assert len(frame) == 20_000
    polars = pl.from_arrow(customers)
    assert polars.height == 20_000
    assert polars.schema["tenure_months"] == pl.Int32
