"""What a failed audit says about itself: the documents behind its unexpected rows, and the figures its Airflow
Asset event carries."""

from __future__ import annotations

import json
import math

from warehouse.release.audit import DOCUMENT_COLUMNS, AuditReport, Failure, documents_behind, result_format


def test_documents_behind_are_distinct_titled_and_in_order():
    rows = [
        {"value": 9.0, "document_id": "v2", "document_title": "乙县2024年工作总结"},
        {"value": 8.0, "document_id": "v1", "document_title": math.nan},  # pandas' missing title
        {"value": 7.0, "document_id": "v2", "document_title": "乙县2024年工作总结"},
    ]
    assert documents_behind(rows, ["document_id", "document_title"]) == ["乙县2024年工作总结 (v2)", "v1"]
    assert documents_behind([{"url": "http://a/1"}], ["url"]) == ["http://a/1"]


def test_every_checkpoint_returns_the_columns_that_name_a_document():
    for suite, columns in DOCUMENT_COLUMNS.items():
        assert result_format(suite)["unexpected_index_column_names"] == columns
        committed = json.loads((_checkpoints() / f"{suite}.json").read_text(encoding="utf-8"))
        assert committed["result_format"] == result_format(suite), suite


def test_the_committed_facts_suite_knows_every_scope_and_keys_facts_on_it():
    """The suite holds the scopes of the seed dim_scope is made of (a scope added there and not here would fail
    every audit), and a fact is unique on FACTS.md's key, scope included."""
    from expectations.define_suites import FACT_KEY, scopes

    suite = json.loads((_checkpoints().parent / "expectations" / "marts_facts.json").read_text(encoding="utf-8"))
    on_scope = {e["type"]: e["kwargs"] for e in suite["expectations"] if e["kwargs"].get("column") == "scope"}
    assert set(on_scope) == {"expect_column_values_to_not_be_null", "expect_column_values_to_be_in_set"}
    assert on_scope["expect_column_values_to_be_in_set"]["value_set"] == scopes()
    assert "" in scopes() and "rural+dispersed" in scopes()
    [unique] = [e["kwargs"] for e in suite["expectations"] if e["type"] == "expect_compound_columns_to_be_unique"]
    assert unique["column_list"] == FACT_KEY
    assert FACT_KEY == ["document_id", "indicator_code", "region_name", "period_id", "value_type", "scope", "value"]


def test_a_failed_report_names_what_failed_and_publishes_nothing():
    failure = Failure(
        "raw_documents",
        "expect_column_values_to_be_between",
        "days_published_in_future",
        1,
        [70],
        documents=["甲市公告 (http://a/1)"],
    )
    report = AuditReport(
        success=False,
        row_counts={"marts_facts": 300, "staging_documents": 20},
        failures=[failure],
        evaluated=31,
        documents_new=1,
    )
    figures = report.figures()
    assert figures["audit"] == "FAILED" and figures["facts_published"] == 0 and figures["expectations_failed"] == 1
    assert figures["failed_expectations"] == [
        {
            "suite": "raw_documents",
            "expectation": "expect_column_values_to_be_between",
            "column": "days_published_in_future",
            "unexpected_rows": 1,
            "documents": ["甲市公告 (http://a/1)"],
        }
    ]
    assert json.dumps(figures, ensure_ascii=False)  # an Asset event's extra is JSON
    assert "documents: 甲市公告 (http://a/1)" in report.summary()


def test_a_passed_report_says_what_was_published():
    report = AuditReport(
        success=True, row_counts={"marts_facts": 300, "staging_documents": 20}, evaluated=31, documents_new=2
    )
    assert report.figures() == {
        "audit": "passed",
        "facts_published": 300,
        "documents_published": 20,
        "documents_new": 2,
        "expectations_evaluated": 31,
        "expectations_failed": 0,
    }


def _checkpoints():
    from warehouse.settings import GX_ROOT

    return GX_ROOT / "gx" / "checkpoints"
