"""Failure alerts are delivered: a JSON POST to MINZHENG_ALERT_WEBHOOK (a real HTTP server on 127.0.0.1 here) with
where it failed and the actual error, once per failure (a retry is recorded, not sent); a webhook that does not
answer is logged and never fails the callback."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace

import pytest

from tests.harness.webhook import webhook_receiver
from tools.airflow_up import free_port
from warehouse.alerts import record_failure, record_retry, record_source_failure
from warehouse.release.steps import AnalystModelsFailed


@pytest.fixture
def webhook(monkeypatch, tmp_path):
    """A webhook on 127.0.0.1 that keeps the JSON bodies POSTed to it; alerts.jsonl in tmp_path."""
    with webhook_receiver() as (url, received):
        monkeypatch.setenv("MINZHENG_ALERT_WEBHOOK", url)
        monkeypatch.delenv("MINZHENG_ALERT_EMAIL", raising=False)
        monkeypatch.setattr("warehouse.alerts.ALERTS", tmp_path / "alerts.jsonl")
        yield received


def airflow_context(task_id: str, error: Exception, try_number: int = 1, max_tries: int = 1) -> dict:
    """What Airflow hands a callback: the task instance (the Task SDK's attributes) and the exception."""
    ti = SimpleNamespace(
        dag_id="build_warehouse",
        task_id=task_id,
        map_index=-1,
        try_number=try_number,
        max_tries=max_tries,
        log_url=f"http://127.0.0.1:8080/dags/build_warehouse/runs/manual__1/tasks/{task_id}?try_number={try_number}",
    )
    return {"ti": ti, "run_id": "manual__1", "exception": error}


def alerts_written(tmp_path) -> list[dict]:
    return [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_failed_task_posts_where_and_the_actual_dbt_error(webhook, tmp_path):
    failed = AnalystModelsFailed(
        ['model.minzheng.analyst_broken_mart error: Binder Error: Referenced column "no_such_column" not found']
    )
    record_failure(airflow_context("analyst_models", failed, try_number=1, max_tries=0))
    [posted] = webhook
    assert posted["dag_id"] == "build_warehouse" and posted["task_id"] == "analyst_models"
    assert posted["run_id"] == "manual__1" and posted["try_number"] == 1 and posted["final"] is True
    assert posted["log_url"].endswith("/tasks/analyst_models?try_number=1")
    assert "model.minzheng.analyst_broken_mart" in posted["error"] and "no_such_column" in posted["error"]
    assert alerts_written(tmp_path) == [posted]


def test_a_retry_is_recorded_as_such_and_not_sent(webhook, tmp_path):
    record_retry(airflow_context("quality_gate.publish", RuntimeError("lock busy"), try_number=1, max_tries=1))
    record_failure(airflow_context("quality_gate.publish", RuntimeError("lock busy"), try_number=2, max_tries=1))
    assert [alert["try_number"] for alert in webhook] == [2]
    assert [(alert["kind"], alert["final"]) for alert in alerts_written(tmp_path)] == [
        ("task_retry", False),
        ("task_failed", True),
    ]


def test_a_dead_source_alerts_once_on_its_last_try(webhook, tmp_path):
    for final in (False, False, True):
        record_source_failure("dead_bureau", "run-1", "connection_refused", "http://127.0.0.1:9/", "refused", final)
    [posted] = webhook
    assert posted["source_id"] == "dead_bureau" and posted["outcome"] == "connection_refused"
    assert [alert["final"] for alert in alerts_written(tmp_path)] == [False, False, True]


def test_a_webhook_that_does_not_answer_is_logged_and_the_callback_goes_on(monkeypatch, tmp_path, caplog):
    port = free_port()  # nothing listens there
    monkeypatch.setenv("MINZHENG_ALERT_WEBHOOK", f"http://127.0.0.1:{port}/hook")
    monkeypatch.delenv("MINZHENG_ALERT_EMAIL", raising=False)
    monkeypatch.setattr("warehouse.alerts.ALERTS", tmp_path / "alerts.jsonl")
    with caplog.at_level(logging.WARNING, logger="warehouse.alerts"):
        record = record_failure(airflow_context("quality_gate.audit", RuntimeError("audit FAILED")))
    assert record["error"] == "audit FAILED" and alerts_written(tmp_path) == [record]
    assert any("MINZHENG_ALERT_WEBHOOK" in message and str(port) in message for message in caplog.messages)


def test_stale_raw_tables_are_one_alert_for_the_run(webhook, tmp_path):
    from warehouse.alerts import record_stale_sources

    record_stale_sources("manual__1", ["raw.documents_current: newest row 2026-12-01 (6.0 days ago), warn after 2"])
    [posted] = webhook
    assert posted["kind"] == "source_stale" and posted["run_id"] == "manual__1"
    assert posted["error"].startswith("raw.documents_current: newest row")


def test_a_failure_is_mailed_through_airflows_smtp_settings(monkeypatch, tmp_path):
    from tests.harness.mail import mail_receiver

    with mail_receiver() as (port, mailbox):
        monkeypatch.delenv("MINZHENG_ALERT_WEBHOOK", raising=False)
        monkeypatch.setenv("MINZHENG_ALERT_EMAIL", "data-engineering@example.org")
        monkeypatch.setenv("AIRFLOW__SMTP__SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("AIRFLOW__SMTP__SMTP_PORT", str(port))
        monkeypatch.setenv("AIRFLOW__SMTP__SMTP_STARTTLS", "False")
        monkeypatch.setenv("AIRFLOW__SMTP__SMTP_SSL", "False")
        monkeypatch.setenv("AIRFLOW__SMTP__SMTP_MAIL_FROM", "airflow@example.org")
        monkeypatch.setattr("warehouse.alerts.ALERTS", tmp_path / "alerts.jsonl")
        record_failure(airflow_context("quality_gate.audit", RuntimeError("expect_column_values_to_not_be_null")))
    [mail] = mailbox
    assert mail["To"] == "data-engineering@example.org"
    assert "build_warehouse.quality_gate.audit failed" in mail["Subject"]
    assert "expect_column_values_to_not_be_null" in mail.get_body().get_content()
