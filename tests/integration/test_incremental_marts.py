"""The fact table and the marts keyed by indicator and region are incremental: after builds that add documents,
change one, land a copy of another and then change the original (the copy becomes the canonical text), they
hold exactly what a build from scratch holds."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from scrapers.drop_folder import ingest_folder
from warehouse.landing.store import RawStore
from warehouse.transform.dbt import run_dbt

pytestmark = pytest.mark.integration

# the columns that say when a row was made are left out: a build from scratch makes every row again
MARTS = {
    "fct_indicator_values": "* exclude (decided_at, refreshed_at)",
    "mart_indicator_values": "* exclude (decided_at, refreshed_at)",
    "mart_target_attainment": "* exclude (refreshed_at)",
    "mart_latest_indicator_values": "* exclude (refreshed_at)",
    "mart_indicator_conflicts": "* exclude (refreshed_at)",
    "dim_document": "* exclude (refreshed_at)",
}
# the build from scratch the incremental one is compared with skips the data tests: only its tables matter here
WITHOUT_TESTS = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
SUMMARY = "某市民政局2024年工作总结\n全市低保标准提高到每人每月{dibao}元，全市共有养老机构{homes}家。"
PLAN = "某市民政局2025年工作要点\n现对2025年全市民政工作作出如下安排。力争全市低保标准提高到每人每月{dibao}元。"


def _write(docs, name: str, publisher: str, text: str) -> None:
    (docs / name).write_text(text, encoding="utf-8")
    (docs / name.replace(".txt", ".meta.json")).write_text(
        json.dumps({"publisher": publisher}, ensure_ascii=False), encoding="utf-8"
    )


def _build(root, docs, warehouse, *args) -> None:
    ingest_folder(docs, RawStore(root / "raw"))
    result = run_dbt(["build", *args], root / "raw", warehouse, root)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def _rows(warehouse) -> dict[str, set]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            name: set(con.execute(f"select {columns} from marts.{name}").fetchall()) for name, columns in MARTS.items()
        }
    finally:
        con.close()


def test_incremental_marts_hold_what_a_build_from_scratch_holds(tmp_path):
    docs, warehouse = tmp_path / "docs", tmp_path / "warehouse.duckdb"
    docs.mkdir()
    _write(docs, "a.txt", "湖州市民政局", SUMMARY.format(dibao=1000, homes=50))
    _write(docs, "b.txt", "衢州市民政局", SUMMARY.format(dibao=900, homes=40))
    _build(tmp_path, docs, warehouse)
    first = _rows(warehouse)
    assert {row[2] for row in first["fct_indicator_values"]} == {"dibao_standard", "elderly_institutions"}

    # a new version of a, a target for a's city, a copy of b under another name (it adds no facts)
    _write(docs, "a.txt", "湖州市民政局", SUMMARY.format(dibao=1010, homes=52))
    _write(docs, "plan.txt", "湖州市民政局", PLAN.format(dibao=1100))
    shutil.copy(docs / "b.txt", docs / "b_copy.txt")
    shutil.copy(docs / "b.meta.json", docs / "b_copy.meta.json")
    # a file named as b.txt from another folder: both are named by their document keys from now on, also the
    # b.txt that did not change
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _write(elsewhere, "b.txt", "丽水市民政局", SUMMARY.format(dibao=950, homes=30))
    ingest_folder(elsewhere, RawStore(tmp_path / "raw"))
    _build(tmp_path, docs, warehouse)
    second = _rows(warehouse)
    assert "a.txt" in {row[1] for row in second["dim_document"]}
    assert "b.txt" not in {row[1] for row in second["dim_document"]}
    values = {(row[3], row[7]) for row in second["fct_indicator_values"]}  # region_name, value
    assert ("湖州市", 1000.0 * 12) not in values and ("湖州市", 1010.0 * 12) in values
    # the target and the other folder's two facts
    assert len(second["fct_indicator_values"]) == len(first["fct_indicator_values"]) + 3

    # b changes: its old text lives on in the copy, which now stands for it; a's new version names no homes,
    # so 湖州市's elderly_institutions is left with no facts at all
    _write(docs, "b.txt", "衢州市民政局", SUMMARY.format(dibao=920, homes=41))
    _write(docs, "a.txt", "湖州市民政局", SUMMARY.format(dibao=1020, homes=52).split("，")[0] + "。")
    _build(tmp_path, docs, warehouse)
    incremental = _rows(warehouse)
    assert {(row[3], row[7]) for row in incremental["fct_indicator_values"]} >= {("衢州市", 900.0 * 12)}
    con = duckdb.connect(str(warehouse), read_only=True)
    pairs = con.execute("select distinct indicator_code, region_name from marts.mart_indicator_values").fetchall()
    # and incremental they stayed: 丽水市's rows are the second build's (a table lacking a column of its grain is
    # built whole, macros/should_full_refresh.sql; these have every column)
    builds = {
        table: con.execute(f"select count(distinct refreshed_at) from marts.{table}").fetchall()[0][0]
        for table in ("fct_indicator_values", "mart_indicator_values", "mart_latest_indicator_values")
    }
    # the pair left with no facts is gone from the marts built on mart_indicator_values too: each found it from its
    # own rows (the document of the value it showed), with no log of changed pairs
    latest = con.execute("select distinct indicator_code, region_name from marts.mart_latest_indicator_values")
    latest_pairs = latest.fetchall()
    con.close()
    assert all(count > 1 for count in builds.values()), builds
    assert ("dibao_standard", "湖州市") in pairs and ("elderly_institutions", "湖州市") not in pairs
    assert ("elderly_institutions", "湖州市") not in latest_pairs

    scratch = tmp_path / "scratch.duckdb"
    shutil.copyfile(warehouse, scratch)
    _build(tmp_path, docs, scratch, "--full-refresh", *WITHOUT_TESTS)
    assert incremental == _rows(scratch)
