"""Failure alerts of the pipeline's DAGs: an append-only JSON Lines record plus a log line.

This is where a real notifier (mail, chat webhook, pager) plugs in: it would read the same record.
Kept free of heavy imports, since DAG files import it at parse time."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from warehouse.settings import ALERTS

log = logging.getLogger(__name__)


def record_failure(context) -> dict:
    """Airflow on_failure_callback: write what failed, where, and why."""
    task_instance = context.get("task_instance") or context.get("ti")
    record = {
        "at": datetime.now(UTC).isoformat(),
        "dag_id": getattr(task_instance, "dag_id", None),
        "task_id": getattr(task_instance, "task_id", None),
        "map_index": getattr(task_instance, "map_index", None),
        "run_id": context.get("run_id"),
        "try_number": getattr(task_instance, "try_number", None),
        "error": str(context.get("exception"))[:4000],
    }
    _append(record)
    log.error("ALERT %s.%s failed (run %s): %s", record["dag_id"], record["task_id"], record["run_id"], record["error"])
    return record


def record_source_failure(source_id: str, run_id: str, outcome: str, url: str, error: str) -> dict:
    """A source whose crawl got nothing (no list page answered): one record per crawl, whatever runs it (the
    ingest DAG's task, `make crawl`), so that a dead site is not a green task. A notifier groups on source_id."""
    record = {
        "at": datetime.now(UTC).isoformat(),
        "kind": "source_yielded_nothing",
        "source_id": source_id,
        "run_id": run_id,
        "outcome": outcome,
        "url": url,
        "error": error[:4000],
    }
    _append(record)
    log.error("ALERT source %s yielded nothing (run %s): %s", source_id, run_id, error)
    return record


def _append(record: dict) -> None:
    ALERTS.parent.mkdir(parents=True, exist_ok=True)
    with ALERTS.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
