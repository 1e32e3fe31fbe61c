"""The marts show one value per region, indicator, period, value type and scope, chosen by one rule (the newest
document, then the later statement in it), never the largest; mart_indicator_conflicts lists the values not
shown, with their documents; a document's two targets for one year are one attainment row."""

from __future__ import annotations

import json

import duckdb
import pytest

from scrapers.drop_folder import ingest_folder
from tests.integration.old_builds import mart_rows, upgraded_and_from_scratch
from warehouse.landing.store import RawStore
from warehouse.transform.dbt import run_dbt

pytestmark = pytest.mark.integration

BEFORE_CHOICE = "aac742f"  # the last commit whose marts keep the largest value
# the columns that say when a row was made are left out: a build from scratch makes every row again
MARTS = {
    "mart_indicator_values": "* exclude (decided_at, refreshed_at)",
    "mart_target_attainment": "* exclude (refreshed_at)",
    "mart_latest_indicator_values": "* exclude (refreshed_at)",
    "mart_indicator_conflicts": "* exclude (refreshed_at)",
}

SUMMARY = "湖州市民政局{title}\n{before}全市低保标准提高到每人每月{dibao}元，全市共有养老机构50家。"
# one key-points document, two targets for 2025: the later sentence revises the earlier one
PLAN = (
    "湖州市民政局2025年工作要点\n现对2025年全市民政工作作出如下安排。力争全市低保标准提高到每人每月1200元。"
    "经测算，力争全市低保标准提高到每人每月1150元。"
)


def _write(docs, name: str, text: str, published_at: str) -> None:
    (docs / name).write_text(text, encoding="utf-8")
    meta = {"publisher": "湖州市民政局", "title": text.split("\n")[0], "published_at": published_at}
    (docs / name.replace(".txt", ".meta.json")).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def _write_documents(docs) -> None:
    # the older document states the larger value, and the newer one a larger value before its last word: a rule
    # keeping the largest shows either
    _write(docs, "old.txt", SUMMARY.format(title="2024年工作总结", before="", dibao=1000), "2025-01-10")
    before = "全市低保标准提高到每人每月980元。"
    _write(docs, "new.txt", SUMMARY.format(title="2024年民政事业发展情况", before=before, dibao=950), "2025-03-01")
    _write(docs, "plan.txt", PLAN, "2025-02-01")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("honest-marts")
    docs = root / "docs"
    docs.mkdir()
    _write_documents(docs)
    ingest_folder(docs, RawStore(root / "raw"))
    result = run_dbt(["build"], root / "raw", root / "warehouse.duckdb", root)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    con = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


def _dicts(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def test_the_latest_value_is_the_newest_documents_last_word_not_the_largest(warehouse):
    rows = _dicts(
        warehouse,
        "select * from marts.mart_latest_indicator_values "
        "where indicator_code = 'dibao_standard' and region_name = '湖州市' and scope = ''",
    )
    assert [(row["latest_period_id"], row["latest_value"]) for row in rows] == [("2024", 950.0 * 12)]
    assert rows[0]["choice_reason"] == "later statement in the same document"
    assert rows[0]["document_title"] == "湖州市民政局2024年民政事业发展情况"


def test_conflicting_documents_give_a_conflicts_row_with_both_sources(warehouse):
    rows = _dicts(
        warehouse,
        "select * from marts.mart_indicator_conflicts where indicator_code = 'dibao_standard' "
        "and region_name = '湖州市' order by period_id, other_value",
    )
    earlier, older, target = rows
    for actual in (earlier, older):
        assert (actual["period_id"], actual["value_type"], actual["scope"]) == ("2024", "actual", "")
        assert actual["chosen_value"] == 950.0 * 12 and "950" in actual["chosen_evidence"]
        assert actual["choice_reason"] == "later statement in the same document"
        assert actual["chosen_document_title"] == "湖州市民政局2024年民政事业发展情况"
    assert (earlier["other_value"], earlier["other_document_title"]) == (
        980.0 * 12,
        "湖州市民政局2024年民政事业发展情况",
    )
    assert (older["other_value"], older["other_document_title"]) == (1000.0 * 12, "湖州市民政局2024年工作总结")
    assert "1000" in older["other_evidence"]
    assert (target["period_id"], target["value_type"]) == ("2025", "target")
    assert (target["chosen_value"], target["other_value"]) == (1150.0 * 12, 1200.0 * 12)
    assert target["choice_reason"] == "later statement in the same document"


def test_a_documents_two_targets_for_one_year_are_one_attainment_row(warehouse):
    rows = _dicts(
        warehouse,
        "select * from marts.mart_target_attainment where indicator_code = 'dibao_standard' "
        "and region_name = '湖州市' and period_id = '2025'",
    )
    assert [row["target_value"] for row in rows] == [1150.0 * 12]  # one row, not one per target
    assert rows[0]["target_reports"] == 2
    assert rows[0]["target_choice_reason"] == "later statement in the same document"


def test_a_warehouse_built_before_the_rule_chooses_after_the_next_ordinary_build(tmp_path):
    docs, raw = tmp_path / "docs", tmp_path / "raw"
    docs.mkdir()
    _write_documents(docs)
    ingest_folder(docs, RawStore(raw))
    # the ordinary build after the old one, incremental where the models are: the marts lacking the rule's
    # columns are built whole
    warehouse, scratch = upgraded_and_from_scratch(BEFORE_CHOICE, raw, tmp_path)
    upgraded = mart_rows(warehouse, MARTS)
    assert upgraded == mart_rows(scratch, MARTS)
    columns, rows = upgraded["mart_latest_indicator_values"]
    latest = {
        (row[columns.index("indicator_code")], row[columns.index("scope")]): row[columns.index("latest_value")]
        for row in rows
    }
    assert latest[("dibao_standard", "")] == 950.0 * 12
