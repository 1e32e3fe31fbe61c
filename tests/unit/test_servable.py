"""A file is served only after every block of it reads back: a count answered from metadata proves nothing."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.release.publish import NotServable, check_servable

BLOCK = 256 * 1024  # DuckDB's default block size
HEADERS = 3 * 4096  # the file header and the two database headers before the first block


@pytest.fixture
def warehouse_file(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.fct_indicator_values as select i, md5(i::varchar) as s from range(200000) t(i)")
    con.execute("create view marts.indicator_facts as select * from marts.fct_indicator_values")
    con.close()
    return path


def data_blocks(path) -> list[int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [
            row[0]
            for row in con.execute(
                "select distinct block_id from pragma_storage_info('marts.fct_indicator_values')"
                " where block_id >= 0 order by 1"
            ).fetchall()
        ]
    finally:
        con.close()


def test_a_whole_file_is_servable(warehouse_file):
    check_servable(warehouse_file)


def test_a_flipped_byte_in_a_data_block_is_refused_though_count_passes(warehouse_file):
    block = data_blocks(warehouse_file)[-1]
    with open(warehouse_file, "r+b") as handle:
        handle.seek(HEADERS + block * BLOCK + 1000)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))
    con = duckdb.connect(str(warehouse_file), read_only=True)
    assert con.execute("select count(*) from marts.fct_indicator_values").fetchall() == [(200000,)]
    con.close()
    with pytest.raises(NotServable, match=r"is damaged: reading marts.fct_indicator_values failed \(.*checksum"):
        check_servable(warehouse_file)


def test_a_file_without_the_fact_table_or_with_a_broken_mart_view_is_refused(tmp_path, warehouse_file):
    con = duckdb.connect(str(warehouse_file))
    con.execute("create table marts.gone as select 1 as i")
    con.execute("create view marts.broken as select * from marts.gone")
    con.execute("drop table marts.gone")
    con.close()
    with pytest.raises(NotServable, match=r"reading marts.broken failed"):
        check_servable(warehouse_file)
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    with pytest.raises(NotServable, match=r"holds no marts\.fct_indicator_values"):
        check_servable(other)
