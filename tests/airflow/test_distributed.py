"""The same pipeline, unchanged, on Airflow's CeleryExecutor: Redis broker, PostgreSQL metadata and result
backend, two Celery workers. Skipped with the reason when Redis or PostgreSQL is not on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.airflow.conftest import temporary_postgres_database
from tests.harness.scratch_pipeline import BUILD, INGEST, scratch_pipeline, serving_has
from tools.airflow_up import tasks_received

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.postgres]


def test_ingest_and_warehouse_run_on_two_celery_workers(redis_up, tmp_path):
    with temporary_postgres_database() as metadata_url:
        with scratch_pipeline(tmp_path, metadata_url=metadata_url, celery_workers=2) as running:
            assert running.env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
            ingest, build = running.ingest_then_build()
            assert ingest["state"] == "success", running.client.task_states(INGEST, ingest["dag_run_id"])
            assert build["state"] == "success", running.client.task_states(BUILD, build["dag_run_id"])
            tasks = running.client.task_instances(INGEST, ingest["dag_run_id"]) + running.client.task_instances(
                BUILD, build["dag_run_id"]
            )
            assert {ti["executor"] or "CeleryExecutor" for ti in tasks} == {"CeleryExecutor"}
            assert serving_has(running.serving, "select 1 from marts.indicator_facts where region = '舟山市'")
    received = tasks_received(tmp_path / "logs", 2)
    ran = sum(1 for ti in tasks if ti["state"] == "success")
    assert sum(received.values()) >= ran, received
    assert all(count > 0 for count in received.values()), f"one worker did all the work: {received}"
