"""Failure alerts of the pipeline's DAGs: an append-only JSON Lines record, a log line, and delivery.

Delivery: a JSON POST to MINZHENG_ALERT_WEBHOOK and a mail to MINZHENG_ALERT_EMAIL (through Airflow's [smtp]
settings), each only when set. One alert per failure: Airflow calls on_failure_callback (record_failure) once,
when a task fails for good; a try that will be retried is recorded by on_retry_callback (record_retry) with
`final: false` and delivered nowhere. A webhook or mail server that does not answer is logged, never raised: an
alert must not fail the task it reports.

The error is the one the task raised: the build's and the analysts' tasks raise dbt's failing nodes with
dbt's message, the audit its failing expectations (warehouse/release/steps.py), not just an exit code.
Kept free of heavy imports, since DAG files import it at parse time."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from datetime import UTC, datetime

from warehouse.settings import ALERT_TIMEOUT, ALERTS, alert_email, alert_webhook

log = logging.getLogger(__name__)


def record_failure(context) -> dict:
    """Airflow on_failure_callback: write what failed, where, and why, and deliver it."""
    record = _task_record(context, final=True)
    _append(record)
    log.error("ALERT %s.%s failed (run %s): %s", record["dag_id"], record["task_id"], record["run_id"], record["error"])
    deliver(record)
    return record


def record_retry(context) -> dict:
    """Airflow on_retry_callback: the failed try recorded as a retry (`final: false`), not delivered."""
    record = _task_record(context, final=False)
    _append(record)
    log.warning(
        "%s.%s try %s failed, will retry: %s",
        record["dag_id"],
        record["task_id"],
        record["try_number"],
        record["error"][:300],
    )
    return record


def _task_record(context, final: bool) -> dict:
    task_instance = context.get("task_instance") or context.get("ti")
    try:
        log_url = task_instance.log_url
    except Exception:  # a context without a task instance of the Task SDK (a test's, an old callback)
        log_url = None
    return {
        "at": datetime.now(UTC).isoformat(),
        "kind": "task_failed" if final else "task_retry",
        "final": final,
        "dag_id": getattr(task_instance, "dag_id", None),
        "task_id": getattr(task_instance, "task_id", None),
        "map_index": getattr(task_instance, "map_index", None),
        "run_id": context.get("run_id"),
        "try_number": getattr(task_instance, "try_number", None),
        "max_tries": getattr(task_instance, "max_tries", None),
        "log_url": log_url,
        "error": str(context.get("exception"))[:4000],
    }


def record_source_failure(source_id: str, run_id: str, outcome: str, url: str, error: str, final: bool = True) -> dict:
    """A source whose crawl got nothing (no list page answered): one record per crawl, whatever runs it (the
    ingest DAG's task, `make crawl`), so that a dead site is not a green task. A crawl Airflow will retry is
    recorded with `final: false` and not delivered: the alert goes out once, for the last try."""
    record = {
        "at": datetime.now(UTC).isoformat(),
        "kind": "source_yielded_nothing",
        "final": final,
        "source_id": source_id,
        "run_id": run_id,
        "outcome": outcome,
        "url": url,
        "error": error[:4000],
    }
    _append(record)
    if final:
        log.error("ALERT source %s yielded nothing (run %s): %s", source_id, run_id, error)
        deliver(record)
    else:
        log.warning("source %s yielded nothing (run %s), will retry: %s", source_id, run_id, error)
    return record


def record_stale_sources(run_id: str, stale: list[str]) -> dict:
    """Raw tables older than their dbt source freshness allows (a warning: the build goes on), once per run."""
    record = {
        "at": datetime.now(UTC).isoformat(),
        "kind": "source_stale",
        "final": True,
        "run_id": run_id,
        "error": "\n".join(stale)[:4000],
    }
    _append(record)
    log.warning("ALERT stale raw tables (run %s): %s", run_id, record["error"])
    deliver(record)
    return record


def deliver(record: dict) -> dict[str, str]:
    """Send the record to the configured webhook and mail addresses; what happened to each (for the log and the
    tests): "sent", or why not. Never raises."""
    outcomes = {}
    url = alert_webhook()
    if url:
        outcomes["webhook"] = _post(url, record)
    addresses = alert_email()
    if addresses:
        outcomes["email"] = _mail(addresses, record)
    return outcomes


def _post(url: str, record: dict) -> str:
    request = urllib.request.Request(
        url,
        data=json.dumps(record, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=ALERT_TIMEOUT) as response:
            response.read()
    except (urllib.error.URLError, OSError, ValueError) as failed:
        log.warning("alert not delivered to the webhook MINZHENG_ALERT_WEBHOOK (%s): %s", url, failed)
        return f"not sent: {failed}"
    return "sent"


def _mail(addresses: list[str], record: dict) -> str:
    subject = f"[minzheng] {record.get('dag_id') or record.get('source_id')}.{record.get('task_id') or ''} failed"
    body = "<pre>" + json.dumps(record, ensure_ascii=False, indent=2).replace("<", "&lt;") + "</pre>"
    try:
        from airflow.utils.email import send_email  # Airflow's [smtp] settings; imported only when mail is on

        send_email(addresses, subject, body)
    except Exception as failed:  # no SMTP server, no Airflow: logged, the callback goes on
        log.warning("alert not mailed to MINZHENG_ALERT_EMAIL (%s): %s", ", ".join(addresses), failed)
        return f"not sent: {failed}"
    return "sent"


def _append(record: dict) -> None:
    ALERTS.parent.mkdir(parents=True, exist_ok=True)
    with ALERTS.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
