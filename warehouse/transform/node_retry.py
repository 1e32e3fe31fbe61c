"""The retry of one dbt node's task in the build DAG runs that node alone, after the build has finished.

Cosmos (watcher mode) runs the whole `dbt build` once, in its producer task; every model and test has a task
that watches its node. When a node fails, its task's retry is meant to run that node alone (`dbt run --select
<model>`), but Cosmos 1.15.1 does so only when it finds the producer finished: a retry that starts while the
build is still running (a node that failed early) or while the producer waits for its own retry reads the first
try's failure again and fails for good, never running dbt (astronomer-cosmos#2947, #3001; docs/airflow.md).

`wait_for_the_build` is the tasks' pre_execute hook: a retry first waits until the producer has finished, so
that Cosmos' retry runs the node, then takes the node retries' lock beside the build file, so that two retries
never open it at once (DuckDB takes one writer; the watching tasks are outside the one-slot `duckdb` pool). The
producer's own retry builds nothing (Cosmos skips it), so the build is never run twice. Imported by the DAG
file: nothing heavy at import time."""

from __future__ import annotations

import logging
import time
from contextlib import ExitStack
from typing import Any

from warehouse.locks import exclusive
from warehouse.settings import BUILD_WAREHOUSE

log = logging.getLogger(__name__)

# states after which the producer writes no more node statuses (Cosmos' own terminal states for it)
FINISHED = frozenset({"success", "failed", "skipped", "upstream_failed"})
POLL_SECONDS = 5.0
REPORT_EVERY_SECONDS = 60.0
LONGEST_WAIT_SECONDS = 6 * 3600.0  # past this the retry goes on as Cosmos decides, rather than hang
RETRY_LOCK = BUILD_WAREHOUSE.parent / "node-retry.lock"
RETRY_LOCK_TIMEOUT = 3600.0
# The lock must span pre_execute and the task's execute, and Airflow calls no hook after an execute that
# failed: it is held by this task process until the process ends (the OS releases it then).
_HELD = ExitStack()


def wait_for_the_build(context: Any) -> None:
    """On a retry of a node's task (it has a producer), wait until the producer's try has finished, then hold
    the node retries' lock for the rest of this task's process."""
    task, ti = context["task"], context["ti"]
    producer = getattr(task, "producer_task_id", None)
    if producer is None or ti.try_number <= 1:
        return
    waited, started = 0.0, time.monotonic()
    next_report = 0.0
    while waited < LONGEST_WAIT_SECONDS:
        state = producer_state(ti, producer, context["run_id"])
        if state in FINISHED:
            log.info("the build (%s) is %s: retrying %s alone", producer, state, task.task_id)
            _HELD.enter_context(exclusive(RETRY_LOCK, f"retry of {task.task_id}", RETRY_LOCK_TIMEOUT))
            return
        if waited >= next_report:
            log.info("retry of %s waits for the build (%s is %s) to finish", task.task_id, producer, state)
            next_report = waited + REPORT_EVERY_SECONDS
        time.sleep(POLL_SECONDS)
        waited = time.monotonic() - started
    log.warning(
        "the build (%s) did not finish in %.0f s: retrying %s as Cosmos decides", producer, waited, task.task_id
    )


def producer_state(ti: Any, producer: str, run_id: str) -> str | None:
    """The producer task's state in this run, asked of Airflow's execution API (as Cosmos asks it)."""
    states: dict[str, dict[str, Any]] = ti.get_task_states(dag_id=ti.dag_id, task_ids=[producer], run_ids=[run_id])
    state = states.get(run_id, {}).get(producer)
    return None if state is None else str(state)
