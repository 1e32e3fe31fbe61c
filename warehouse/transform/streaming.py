"""Python models that stream: their input is read from DuckDB a batch at a time and their output handed to dbt
as an Arrow stream, which DuckDB writes as it reads, so a build holds one batch of documents in memory
whatever the size of the corpus (dbt-duckdb registers whatever a Python model returns and runs
`create table … as select * from` it; an Arrow RecordBatchReader is consumed once, batch by batch).

The input is read on a cursor of its own: the model's connection is busy writing the model's table while the
stream is drained. A big input is worked on in processes of its own (`workers`): the model's process reads
and writes, the workers extract, a few batches ahead, and the output keeps the input's order."""

from __future__ import annotations

import functools
import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime

import numpy
import pyarrow as pa

from warehouse.settings import BUILD_WORKERS

ARROW_TYPES = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "timestamp": pa.timestamp("us"),
}
DOCUMENTS_PER_BATCH = 500
BATCHES_AHEAD_PER_WORKER = 2  # bounds memory: a worker has its next batch waiting, no more


def workers_for(pending_rows: int, rows_per_batch: int) -> int:
    """BUILD_WORKERS processes for an input of more than two batches; one (no start-up cost) for less."""
    return BUILD_WORKERS if pending_rows > 2 * rows_per_batch else 1


def arrow_schema(types: dict[str, str | dict[str, str]]) -> pa.Schema:
    """column → one of ARROW_TYPES, or a dict of them for a list of records, in table order (every column may
    be empty)."""
    return pa.schema([(column, _arrow_type(kind)) for column, kind in types.items()])


def _arrow_type(kind: str | dict[str, str]) -> pa.DataType:
    if isinstance(kind, dict):
        return pa.list_(pa.struct([(field, ARROW_TYPES[field_kind]) for field, field_kind in kind.items()]))
    return ARROW_TYPES[kind]


def read_batches(session, sql: str, rows_per_batch: int, params: list | None = None) -> Iterator[pa.RecordBatch]:
    """The rows of `sql`, a batch at a time, as Arrow: cheap to hand to a worker, which makes rows of them where
    the work is done."""
    cursor = session.cursor()
    try:
        yield from cursor.sql(sql, params=params).fetch_record_batch(rows_per_batch)
    finally:
        cursor.close()


def fetch_arrow(session, sql: str, params: list | dict | None = None) -> pa.Table:
    cursor = session.cursor()
    try:
        return cursor.sql(sql, params=params).to_arrow_table()
    finally:
        cursor.close()


def stream(
    schema: pa.Schema,
    batches: Iterable,
    produce: Callable[[object], list[dict]],
    *,
    workers: int = 1,
    initializer: Callable | None = None,
    initargs: tuple = (),
) -> pa.RecordBatchReader:
    """produce(batch) → output rows, as one Arrow stream with `schema`. Each output row gets `processed_at`
    (which build made it) when the schema has that column. With workers > 1, `produce` (and `initializer`, run
    once in each worker) must be importable functions; their arguments are pickled to the workers."""
    to_arrow = functools.partial(_record_batch, produce, schema, datetime.now(UTC).replace(tzinfo=None))

    def output() -> Iterator[pa.RecordBatch]:
        if workers > 1:  # the workers hand back Arrow batches: cheaper to pickle than rows of dicts
            results = in_processes(to_arrow, batches, workers, initializer, initargs)
        else:
            if initializer:
                initializer(*initargs)
            results = map(to_arrow, batches)
        for batch in results:
            if batch.num_rows:
                yield batch

    return pa.RecordBatchReader.from_batches(schema, output())


def _record_batch(produce: Callable, schema: pa.Schema, stamp: datetime, item) -> pa.RecordBatch:
    produced = produce(item)
    if "processed_at" not in schema.names:
        return _from_rows(produced, schema)
    stamped = schema.get_field_index("processed_at")
    batch = _from_rows(produced, schema.remove(stamped))
    stamps = pa.array(numpy.full(batch.num_rows, numpy.datetime64(stamp, "us")), type=schema.field(stamped).type)
    return batch.add_column(stamped, schema.field(stamped), stamps)


def _from_rows(rows: list[dict], schema: pa.Schema) -> pa.RecordBatch:
    """The rows as a batch of `schema` (a key a row lacks is null), converted column by column: the same batch
    as RecordBatch.from_pylist, which is several times slower on int_segments_split's list-of-structs column,
    where converting is a sizeable part of splitting."""
    return pa.RecordBatch.from_pydict({name: [row.get(name) for row in rows] for name in schema.names}, schema=schema)


def in_processes(
    function: Callable, items: Iterable, workers: int, initializer: Callable | None = None, initargs: tuple = ()
) -> Iterator:
    """function(item) for every item, in `workers` processes, in the items' order, with at most
    BATCHES_AHEAD_PER_WORKER items per worker in flight. A worker's exception is raised here."""
    with ProcessPoolExecutor(
        workers, mp_context=_forkserver(), initializer=_start_worker, initargs=(initializer, initargs)
    ) as pool:
        pending: deque = deque()
        for item in items:
            pending.append(pool.submit(function, item))
            if len(pending) > workers * BATCHES_AHEAD_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _start_worker(initializer: Callable | None, initargs: tuple) -> None:
    """Extraction makes and drops hundreds of thousands of small dicts and lists a batch, few of them in
    reference cycles: the cyclic garbage collector, run every 700 allocations by default and over every object
    the worker inherited, took a share of splitting for next to nothing found. Inherited objects are frozen out
    of its passes, and it runs every 50,000 allocations (reference counting frees the rest as before)."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    if initializer:
        initializer(*initargs)


def _forkserver() -> multiprocessing.context.BaseContext:
    """Workers forked from a server process that imported the extraction code once. Not fork: the dbt process
    runs DuckDB threads. Not spawn: a spawned worker imports the parent's main script again, and dbt's is
    slow to import, in every worker of every model; the server imports it once a build (and only the
    server, so that a worker finds the main module it would otherwise import)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(WORKER_PRELOAD))
    return context


WORKER_PRELOAD = (
    "__main__",
    "warehouse.transform.streaming",
    "warehouse.transform.extraction.mentions",
    "warehouse.transform.extraction.decisions",
)
