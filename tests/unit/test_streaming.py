"""The Python models' streams: input read a batch at a time on a cursor of its own, output written by DuckDB
as it is produced."""

from __future__ import annotations

import functools

import duckdb
import pytest

from warehouse.transform.extraction.mentions import MENTION_TYPES, split_batch
from warehouse.transform.streaming import arrow_schema, fetch_arrow, in_processes, read_batches, stream


def test_a_stream_is_written_while_its_input_is_read_from_the_same_database():
    con = duckdb.connect()
    con.execute("create table documents as select 'v' || lpad(i::varchar, 3, '0') as version_id from range(25) t(i)")
    schema = arrow_schema({"version_id": "string", "part": "int64", "note": "string", "processed_at": "timestamp"})
    batches = read_batches(con, "select version_id from documents order by version_id", 10)

    def split(batch):
        return [{"version_id": row["version_id"], "part": part} for row in batch.to_pylist() for part in (1, 2)]

    con.register("produced", stream(schema, batches, split))
    con.execute("create table parts as select * from produced")
    assert con.execute("select count(*), count(distinct version_id), count(note) from parts").fetchall() == [
        (50, 25, 0)
    ]
    assert con.execute("select count(distinct processed_at) from parts").fetchall() == [(1,)]
    assert [type_ for _, type_, *_ in con.execute("describe parts").fetchall()] == [
        "VARCHAR",
        "BIGINT",
        "VARCHAR",
        "TIMESTAMP",
    ]


def test_batches_have_the_size_asked_and_empty_values_are_none():
    con = duckdb.connect()
    sizes = [len(rows) for rows in read_batches(con, "select i, null::varchar as t from range(25) r(i)", 10)]
    assert sizes == [10, 10, 5]
    table = fetch_arrow(con, "select null::integer as n, $x as x", {"x": "a"})
    assert table.to_pylist() == [{"n": None, "x": "a"}]


def test_an_empty_input_is_an_empty_table_with_its_columns():
    con = duckdb.connect()
    schema = arrow_schema({"version_id": "string", "value": "float64"})
    con.register("produced", stream(schema, iter([]), lambda rows: rows))
    con.execute("create table empty as select * from produced")
    assert con.execute("select count(*) from empty").fetchall() == [(0,)]
    assert [row[1] for row in con.execute("describe empty").fetchall()] == ["VARCHAR", "DOUBLE"]


def test_batches_worked_on_in_two_processes_give_the_rows_of_one_in_the_same_order():
    documents = [
        {"version_id": f"v{number:03d}", "text": f"第{number}条。全县低保标准提高到每人每月{800 + number}元。"}
        for number in range(40)
    ]
    batches = [documents[start : start + 7] for start in range(0, 40, 7)]
    split = functools.partial(split_batch, code_version="c1")
    in_order = [rows for rows in map(split, batches)]
    assert list(in_processes(split, batches, workers=2)) == in_order
    schema = arrow_schema({"segment_id": "string", "segment_text": "string", "processed_at": "timestamp"})
    con = duckdb.connect()
    con.register("produced", stream(schema, iter(batches), split, workers=2))
    texts = [text for (text,) in con.execute("select segment_text from produced").fetchall()]
    assert texts == [row["segment_text"] for rows in in_order for row in rows]


def test_a_workers_error_reaches_the_build():
    broken = [[{"version_id": "v"}]]  # no text: the worker raises KeyError
    with pytest.raises(KeyError):
        list(in_processes(functools.partial(split_batch, code_version="c1"), broken, workers=2))


def test_a_segment_carries_its_mentions_as_records():
    documents = [{"version_id": "v1", "text": "全县低保标准提高到每人每月800元。共有3家养老机构。没有数字的句子。"}]
    segments = split_batch(documents, code_version="c1")
    schema = arrow_schema({"segment_id": "string", "mentions": MENTION_TYPES})
    con = duckdb.connect()
    con.register("produced", stream(schema, iter([documents]), functools.partial(split_batch, code_version="c1")))
    rows = con.execute(
        "select segment_id, m.raw_mention, m.value, m.unit from produced, unnest(mentions) t(m) order by 1"
    ).fetchall()
    assert rows == [("v1:1", "800元", 800.0, "元/月"), ("v1:2", "3家", 3.0, "家")]
    assert [len(segment["mentions"]) for segment in segments] == [1, 1, 0]
