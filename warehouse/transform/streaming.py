"""Python models that stream: their input is read from DuckDB a batch at a time and their output handed to dbt
as an Arrow stream, which DuckDB writes as it reads, so a build holds one batch of documents in memory
whatever the size of the corpus (dbt-duckdb registers whatever a Python model returns and runs
`create table … as select * from` it; an Arrow RecordBatchReader is consumed once, batch by batch).

The input is read on a cursor of its own: the model's connection is busy writing the model's table while the
stream is drained."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime

import pyarrow as pa

ARROW_TYPES = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "timestamp": pa.timestamp("us"),
}
DOCUMENTS_PER_BATCH = 500


def arrow_schema(types: dict[str, str]) -> pa.Schema:
    """column → one of ARROW_TYPES, in table order (every column may be empty)."""
    return pa.schema([(column, ARROW_TYPES[kind]) for column, kind in types.items()])


def read_batches(session, sql: str, rows_per_batch: int, params: list | None = None) -> Iterator[list[dict]]:
    """The rows of `sql` as lists of dicts (None for empty values), a batch at a time."""
    cursor = session.cursor()
    try:
        reader = cursor.sql(sql, params=params).fetch_record_batch(rows_per_batch)
        for batch in reader:
            yield batch.to_pylist()
    finally:
        cursor.close()


def fetch_all(session, sql: str, params: list | None = None) -> list[dict]:
    cursor = session.cursor()
    try:
        return cursor.sql(sql, params=params).to_arrow_table().to_pylist()
    finally:
        cursor.close()


def stream(
    schema: pa.Schema, batches: Iterable[list[dict]], produce: Callable[[list[dict]], list[dict]]
) -> pa.RecordBatchReader:
    """produce(batch of input rows) → output rows, as one Arrow stream with `schema`. Each output row gets
    `processed_at` (which build made it) when the schema has that column."""
    stamp = datetime.now(UTC).replace(tzinfo=None)

    def output() -> Iterator[pa.RecordBatch]:
        for rows in batches:
            produced = produce(rows)
            if "processed_at" in schema.names:
                for row in produced:
                    row["processed_at"] = stamp
            if produced:
                yield pa.RecordBatch.from_pylist(produced, schema=schema)

    return pa.RecordBatchReader.from_batches(schema, output())
