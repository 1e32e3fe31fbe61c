"""A warehouse built before facts had a scope (commit a0055b9) upgrades in the next ordinary build: no mart is left
with a row whose scope is NULL, and the marts hold what a build from scratch holds, column for column."""

from __future__ import annotations

import json

import duckdb
import pytest

from scrapers.drop_folder import ingest_folder
from tests.integration.old_builds import WITHOUT_TESTS, build, code_at, mart_rows
from warehouse.landing.store import RawStore

pytestmark = pytest.mark.integration

BEFORE_SCOPE = "a0055b9"  # the last commit whose fact table has no scope
# the columns that say when a row was made are left out: a build from scratch makes every row again
MARTS = {
    "fct_indicator_values": "* exclude (decided_at, refreshed_at)",
    "mart_indicator_values": "* exclude (decided_at, refreshed_at)",
    "mart_target_attainment": "* exclude (refreshed_at)",
    "mart_latest_indicator_values": "* exclude (refreshed_at)",
    "indicator_facts": "*",
}
DOCUMENTS = {  # parts of the whole (urban, rural) beside a figure of the whole, and a rural target
    "summary.txt": "某市民政局2024年工作总结\n全市城市低保标准提高到每人每月1000元，农村低保标准提高到每人每月800元，"
    "全市共有养老机构50家。",
    "plan.txt": "某市民政局2025年工作要点\n现对2025年全市民政工作作出如下安排。"
    "力争全市农村低保标准提高到每人每月900元。",
}


def test_a_warehouse_built_before_scope_has_scope_everywhere_after_the_next_build(tmp_path):
    docs, raw = tmp_path / "docs", tmp_path / "raw"
    docs.mkdir()
    for name, text in DOCUMENTS.items():
        (docs / name).write_text(text, encoding="utf-8")
        (docs / name.replace(".txt", ".meta.json")).write_text(
            json.dumps({"publisher": "湖州市民政局"}, ensure_ascii=False), encoding="utf-8"
        )
    ingest_folder(docs, RawStore(raw))
    warehouse = tmp_path / "warehouse.duckdb"
    build(raw, warehouse, tmp_path / "old", *WITHOUT_TESTS, old_code=code_at(BEFORE_SCOPE, tmp_path / "before-scope"))
    con = duckdb.connect(str(warehouse), read_only=True)
    old_columns = con.execute("select column_name from duckdb_columns() where schema_name = 'marts'").fetchall()
    con.close()
    assert ("scope",) not in old_columns and ("value_type",) in old_columns

    build(raw, warehouse, tmp_path / "new")  # the ordinary build, incremental where the models are
    con = duckdb.connect(str(warehouse), read_only=True)
    with_scope = con.execute(
        "select table_name from duckdb_columns() where schema_name = 'marts' and column_name = 'scope'"
    ).fetchall()
    nulls = {
        table: con.execute(f"select count(*) from marts.{table} where scope is null").fetchall()[0][0]
        for (table,) in with_scope
    }
    con.close()
    assert set(MARTS) | {"dim_scope"} <= set(nulls)
    assert not any(nulls.values()), nulls

    scratch = tmp_path / "scratch.duckdb"
    build(raw, scratch, tmp_path / "scratch", *WITHOUT_TESTS)
    upgraded, from_scratch = mart_rows(warehouse, MARTS), mart_rows(scratch, MARTS)
    assert upgraded == from_scratch
    columns, facts = upgraded["fct_indicator_values"]
    dibao = {
        (fact["period_id"], fact["value_type"], fact["value"])
        for fact in (dict(zip(columns, row)) for row in facts)
        if fact["indicator_code"] == "dibao_standard"
    }
    assert dibao == {("2024", "actual", 12000.0), ("2024", "actual", 9600.0), ("2025", "target", 10800.0)}
