"""Which versions an incremental Python model still has to process: few are written out as constants (a filter
DuckDB takes into the scan, so only their texts are read), many fall back to the anti-join."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.transform import pending
from warehouse.transform.pending import versions_to_process


@pytest.fixture()
def con():
    con = duckdb.connect()
    con.execute(
        "create table documents as select 'v' || i as version_id, repeat('民政', 100) as text from range(50) t(i)"
    )
    con.execute("create table done as select version_id from documents where version_id not in ('v3', 'v7')")
    return con


def test_a_few_pending_versions_are_written_out_as_constants(con):
    where, count = versions_to_process(con, "select * from documents", "select version_id from done")
    assert count == 2
    assert where in ("version_id in ('v3', 'v7')", "version_id in ('v7', 'v3')")
    assert con.execute(f"select version_id from documents where {where} order by 1").fetchall() == [("v3",), ("v7",)]


def test_many_pending_versions_keep_the_anti_join(con, monkeypatch):
    monkeypatch.setattr(pending, "WRITTEN_OUT_MAX", 1)
    where, count = versions_to_process(con, "select * from documents", "select version_id from done")
    assert (where, count) == ("version_id not in (select version_id from done)", 2)
    assert con.execute(f"select count(*) from documents where {where}").fetchall() == [(2,)]


def test_nothing_pending_keeps_no_row_and_quotes_are_escaped(con):
    con.execute("insert into documents values ('it''s', 'x')")
    con.execute("insert into done select version_id from documents")
    where, count = versions_to_process(con, "select * from documents", "select version_id from done")
    assert (where, count) == ("version_id in (null)", 0)
    con.execute("delete from done where version_id = 'it''s'")
    where, _ = versions_to_process(con, "select * from documents", "select version_id from done")
    assert con.execute(f"select version_id from documents where {where}").fetchall() == [("it's",)]
