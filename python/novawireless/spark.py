"""The tables as Spark DataFrames, generated on the executors.

Each partition of a DataFrame generates one shard (``--shard K/N``) of the
customers with :func:`novawireless.generate`, on its executor, through
``mapInArrow``: nothing is generated or collected on the driver. Shards hold
the ids, values and defects they have in the full run, so the union of a
table's partitions is the table ``run_all`` writes.

Every executor needs the ``novawireless`` package (``pip install`` it on the
cluster's Python, or ship the wheel with ``spark-submit --py-files``).
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator, Optional

import pyarrow as pa

import novawireless

__all__ = ["generate"]


def _plain_schema(schema: pa.Schema) -> pa.Schema:
    """``schema`` with its dictionary (categorical) columns as strings:
    Spark's Arrow path reads no dictionary vectors, and a category is a
    string column in Spark."""
    fields = [
        pa.field(f.name, f.type.value_type, f.nullable)
        if pa.types.is_dictionary(f.type)
        else f
        for f in schema
    ]
    return pa.schema(fields)


def _plain(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """``batch`` with its columns cast to ``schema`` (dictionaries decoded)."""
    columns = [c.cast(f.type) for c, f in zip(batch.columns, schema)]
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def _spark_schema(schema: pa.Schema) -> Any:
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(_plain_schema(schema))


def _shards(
    name: str, n_customers: int, partitions: int, flags: Dict[str, Any]
):
    def generate_shards(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for k in batch.column(0).to_pylist():
                tables = novawireless.generate(
                    n_customers,
                    shard=(k + 1, partitions),
                    tables=[name],
                    **flags,
                )
                table = tables[name]
                plain = _plain_schema(table.schema)
                for batch in table.to_batches():
                    yield _plain(batch, plain)

    return generate_shards


def generate(
    spark: Any,
    n_customers: int = 10000,
    partitions: Optional[int] = None,
    *,
    tables: Optional[Iterable[str]] = None,
    **flags: Any,
) -> Dict[str, Any]:
    """One Spark DataFrame per table of :func:`novawireless.generate`, each
    of ``partitions`` partitions (default: the session's default
    parallelism), partition K generating shard K of the customers.

    ``flags`` are those of :func:`novawireless.generate` but ``shard``.
    Writing a DataFrame as Parquet gives the rows of ``run_all``'s file of
    the same name (in another order).
    """
    if "shard" in flags:
        raise novawireless.FlagError(
            "error: --shard does not apply here: each partition is a shard", 2
        )
    if partitions is None:
        partitions = spark.sparkContext.defaultParallelism
    if not isinstance(partitions, int) or isinstance(partitions, bool) or partitions < 1:
        raise novawireless.FlagError(
            f"error: partitions must be a whole number of at least 1, not {partitions!r}",
            2,
        )
    schemas = novawireless.schemas(n_customers=n_customers, **flags)
    names = list(schemas) if tables is None else list(tables)
    unknown = [n for n in names if n not in schemas]
    if unknown:
        raise novawireless.FlagError(
            f"error: no table is named {unknown[0]!r}; the tables are {', '.join(schemas)}",
            2,
        )
    shards = spark.range(0, partitions, 1, numPartitions=partitions)
    return {
        name: shards.mapInArrow(
            _shards(name, n_customers, partitions, flags),
            _spark_schema(schemas[name]),
        )
        for name in names
    }
