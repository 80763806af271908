"""Spark, local[2] with 4 partitions and 50,000 customers: each table
generated on the executors, written as Parquet, holds the rows of
``run_all``'s file of the same name. Java is required: where it is missing
the test fails, saying so; it is never skipped."""

import os
import shutil
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import novawireless
import novawireless.spark
from conftest import cli_flags, run_script

N = 50_000
FLAGS = {"seed": 11, "clean_twin": True}


def sorted_rows(table: pa.Table) -> pa.Table:
    return table.sort_by([(name, "ascending") for name in table.column_names])


@pytest.fixture(scope="module")
def spark():
    assert shutil.which("java"), (
        "the Spark test needs a Java runtime (java on PATH); install one, "
        "for example Debian's default-jre-headless"
    )
    from pyspark.sql import SparkSession

    # The executors' Python is this one, where novawireless is installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable

    session = (
        SparkSession.builder.master("local[2]")
        .appName("novawireless-test")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_tables_written_by_spark_hold_the_rows_of_run_all(spark, tmp_path):
    out = tmp_path / "run_all"
    run_script(
        "run_all",
        "--n_customers",
        str(N),
        *cli_flags(FLAGS),
        "--format",
        "parquet",
        "--no_params_mirror",
        "--quiet",
        "--out_dir",
        str(out),
    )
    frames = novawireless.spark.generate(spark, N, partitions=4, **FLAGS)
    assert list(frames) == novawireless.table_names(clean_twin=True)
    for name, frame in frames.items():
        assert frame.rdd.getNumPartitions() == 4, name
        written = tmp_path / "spark" / name
        frame.write.parquet(str(written))
        got = pq.read_table(written)
        expected = pq.read_table(out / f"{name}.parquet")
        assert got.column_names == expected.column_names, name
        assert got.num_rows == expected.num_rows > 0, name
        # Spark writes categories as strings; compare values as such.
        plain = [
            t.value_type if pa.types.is_dictionary(t) else t
            for t in expected.schema.types
        ]
        got = pa.table(
            [got.column(i).cast(plain[i]) for i in range(got.num_columns)],
            names=got.column_names,
        )
        expected = pa.table(
            [expected.column(i).cast(plain[i]) for i in range(expected.num_columns)],
            names=expected.column_names,
        )
        assert sorted_rows(got).equals(sorted_rows(expected)), name


def test_shard_is_refused(spark):
    with pytest.raises(novawireless.FlagError):
        novawireless.spark.generate(spark, 1000, partitions=2, shard=(1, 2))


def test_bad_partitions_are_refused(spark):
    with pytest.raises(novawireless.FlagError):
        novawireless.spark.generate(spark, 1000, partitions=0)


def test_spark_reads_each_table_folder_of_two_shards_as_the_full_table(
    spark, tmp_path
):
    """``run_all --layout tables`` with two shards into one folder: every
    table folder reads in Spark as the flat full run's table, in Parquet
    (same schema, same rows) and in CSV (same row count, header per part)."""
    names = novawireless.table_names(clean_twin=True)
    for fmt in ("parquet", "csv"):
        common = [
            "--n_customers",
            "5000",
            *cli_flags(FLAGS),
            "--format",
            fmt,
            "--no_params_mirror",
            "--quiet",
        ]
        flat = tmp_path / f"flat_{fmt}"
        tables = tmp_path / f"tables_{fmt}"
        run_script("run_all", *common, "--out_dir", str(flat))
        for shard in ("2/2", "1/2"):
            run_script(
                "run_all",
                *common,
                "--layout",
                "tables",
                "--shard",
                shard,
                "--out_dir",
                str(tables),
            )
        assert sorted(p.name for p in tables.iterdir()) == sorted(
            [*names, "_receipts", "datapackage.json"]
        )
        for name in names:
            folder = tables / name
            parts = sorted(p.name for p in folder.iterdir())
            assert parts == [f"part-1-of-2.{fmt}", f"part-2-of-2.{fmt}"], name
            if fmt == "parquet":
                got = spark.read.parquet(str(folder))
                want = spark.read.parquet(str(flat / f"{name}.parquet"))
                assert got.schema == want.schema, name
            else:
                got = spark.read.csv(str(folder), header=True)
                want = spark.read.csv(str(flat / f"{name}.csv"), header=True)
                assert got.columns == want.columns, name
            assert got.count() == want.count() > 0, name
            assert got.exceptAll(want).count() == 0, name
            assert want.exceptAll(got).count() == 0, name
