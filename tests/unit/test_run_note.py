"""The note a build_warehouse run gets when it finishes (set by plugins/run_notes.py in the scheduler)."""

from __future__ import annotations

from warehouse.run_note import run_note

PASSED = {
    "audit": "passed",
    "facts_published": 153,
    "documents_published": 5,
    "documents_new": 2,
    "expectations_evaluated": 40,
    "expectations_failed": 0,
}
FAILED = {
    "audit": "FAILED",
    "facts_published": 0,
    "documents_published": 0,
    "documents_new": 1,
    "expectations_evaluated": 40,
    "expectations_failed": 1,
    "failed_expectations": [
        {
            "suite": "raw_documents",
            "expectation": "expect_column_values_to_be_between",
            "column": "days_published_in_future",
            "unexpected_rows": 1,
            "documents": ["养老服务补贴发放情况 (http://127.0.0.1/misdated.html)"],
        }
    ],
}


def test_a_passed_audit_and_a_failed_analyst_task():
    note = run_note(PASSED, ["analyst_models"])
    assert note.splitlines() == [
        "**Audit passed**: 40 expectations; 153 facts from 5 documents (2 new) audited for publishing.",
        "**Failed tasks**: analyst_models (alerts sent; see each task's log).",
    ]


def test_a_failed_audit_names_the_expectation_and_the_document():
    note = run_note(FAILED, ["quality_gate.audit"])
    assert note.splitlines()[:2] == [
        "**Audit FAILED**: 1 of 40 expectations failed; nothing published.",
        "- raw_documents.days_published_in_future expect_column_values_to_be_between: 1 rows "
        "(养老服务补贴发放情况 (http://127.0.0.1/misdated.html))",
    ]


def test_a_run_that_stopped_before_the_audit():
    assert run_note(None, []).startswith("**Audit: no verdict**")
