"""The DAGs through Airflow itself: they import cleanly and thinly, and the ingest DAG runs end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.airflow.conftest import run_airflow
from tests.conftest import running_mirror
from warehouse.landing.store import RawStore

pytestmark = pytest.mark.integration
PROBE = Path(__file__).with_name("dagbag_probe.py")
MIRROR_SOURCES = {
    "zhoushan_mirror",
    "huzhou_mirror",
    "cixi_mirror",
    "wenzhou_mirror",
    "zhoushan_plan_docshare_mirror",
    "provinces_mirror",
    "counties_mirror",
}


def test_dagbag_imports_without_errors_and_without_heavy_imports(sqlite_env):
    result = subprocess.run([sys.executable, str(PROBE)], env=sqlite_env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    bag = json.loads(result.stdout.strip().splitlines()[-1])
    assert bag["errors"] == {}
    assert bag["dags"]["ingest_disclosure_sites"] == ["crawl_source", "enabled_source_ids", "report_raw_layer"]
    warehouse_tasks = bag["dags"]["build_warehouse"]
    assert {
        "dbt_build.fct_indicator_values.run",
        "dbt_build.fct_indicator_values.test",
        "quality_gate.audit",
        "quality_gate.record_audit",
        "quality_gate.publish",
    } <= set(warehouse_tasks)
    assert bag["heavy"] == [], "DAG files must not import the pipeline's modules at parse time"


def _run_ingest_dag(env) -> None:
    migrated = run_airflow(["db", "migrate"], env)
    assert migrated.returncode == 0, migrated.stdout[-3000:] + migrated.stderr[-3000:]
    with running_mirror() as mirror:
        env = {**env, **mirror.env()}
        result = run_airflow(["dags", "test", "ingest_disclosure_sites"], env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    assert f"sources crawled: {len(MIRROR_SOURCES)}" in output


def _assert_raw_layer(raw_dir) -> None:
    store = RawStore(raw_dir)
    landed = dict(store.query("select source_id, count(*) from documents group by 1"))
    assert set(landed) == MIRROR_SOURCES
    assert sum(landed.values()) == 7 + 17  # five reports and two attachments; the corpus on the two portals
    assert store.query("select count(*) from quarantine_open") == [(0,)]


@pytest.mark.slow
def test_ingest_dag_runs_end_to_end_with_embedded_sqlite(sqlite_env, raw_dir):
    _run_ingest_dag(sqlite_env)
    _assert_raw_layer(raw_dir)


@pytest.mark.slow
@pytest.mark.postgres
def test_ingest_dag_runs_end_to_end_with_postgres_metadata(sqlite_env, raw_dir, postgres_database):
    env = {**sqlite_env, "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": postgres_database}
    _run_ingest_dag(env)
    _assert_raw_layer(raw_dir)
    import psycopg2

    from warehouse.postgres import libpq_dsn

    with psycopg2.connect(libpq_dsn(postgres_database.rsplit("/", 1)[1])) as con:
        with con.cursor() as cursor:
            cursor.execute("select state from dag_run where dag_id = 'ingest_disclosure_sites'")
            assert cursor.fetchall() == [("success",)]
            cursor.execute(
                "select count(*) from task_instance where dag_id = 'ingest_disclosure_sites' and state = 'success'"
            )
            assert cursor.fetchone()[0] == 2 + len(MIRROR_SOURCES)  # enabled_source_ids, a crawl per source, publish
