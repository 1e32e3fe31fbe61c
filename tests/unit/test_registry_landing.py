"""The source registry landed as the raw table `sources`: rewritten whole each time, as the file says."""

from __future__ import annotations

import duckdb

from warehouse.landing.registry import land_registry
from warehouse.landing.snapshot import take_snapshot

REGISTRY = """
sources:
  - {id: a, publisher: 甲局, region: 舟山市, adapter: pages, base_url: "http://x", enabled: true}
  - {id: b, publisher: 乙局, adapter: pages, base_url: "http://y"}
"""


def _rows(con) -> list[tuple]:
    return con.execute("select source_id, publisher, region, enabled from sources order by 1").fetchall()


def test_the_registry_is_landed_whole_and_replaced_each_time(tmp_path):
    registry = tmp_path / "sources.yml"
    registry.write_text(REGISTRY, encoding="utf-8")
    con = duckdb.connect()
    assert land_registry(con, registry) == 2
    assert _rows(con) == [("a", "甲局", "舟山市", True), ("b", "乙局", None, False)]
    registry.write_text(REGISTRY.replace("舟山市", "湖州市").split("  - {id: b")[0], encoding="utf-8")
    land_registry(con, registry)
    assert _rows(con) == [("a", "甲局", "湖州市", True)]


def test_an_unreadable_registry_lands_an_empty_table(tmp_path):
    con = duckdb.connect()
    assert land_registry(con, tmp_path / "missing.yml") == 0
    (tmp_path / "broken.yml").write_text("sources: [", encoding="utf-8")
    assert land_registry(con, tmp_path / "broken.yml") == 0
    assert _rows(con) == []


def test_every_snapshot_a_build_reads_holds_the_registry_as_it_is_now(tmp_path):
    registry = tmp_path / "sources.yml"
    registry.write_text(REGISTRY, encoding="utf-8")
    snapshot = take_snapshot(tmp_path / "raw", tmp_path / "snapshot", registry=registry)
    con = duckdb.connect(str(snapshot / "raw.duckdb"), read_only=True)
    try:
        assert [row[0] for row in _rows(con)] == ["a", "b"]
    finally:
        con.close()
