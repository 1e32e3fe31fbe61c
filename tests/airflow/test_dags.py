"""The DAGs through Airflow itself: they import cleanly and thinly, and the ingest DAG runs end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import pytest

from mirror.server import Mirror
from tests.airflow.conftest import run_airflow, temporary_postgres_database
from tests.harness.services import postgres_unreachable
from tools.airflow_env import airflow_env
from tools.airflow_up import free_port
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
    # docs/airflow.md, "Retries of the dbt build": the producer's retry is Cosmos' skip (the build runs once); a
    # model's task and its tests' task each have a retry, which runs that node alone
    retries = bag["retries"]
    assert retries["build_warehouse:dbt_build.dbt_producer_watcher"] == 1
    assert retries["build_warehouse:dbt_build.fct_indicator_values.run"] == 1
    assert retries["build_warehouse:dbt_build.fct_indicator_values.test"] == 1


def _run_ingest_dag(env) -> str:
    """`airflow db migrate` and `airflow dags test` of the ingest DAG against a mirror of its own; the output."""
    migrated = run_airflow(["db", "migrate"], env)
    assert migrated.returncode == 0, migrated.stdout[-3000:] + migrated.stderr[-3000:]
    with Mirror() as mirror:  # not running_mirror(): two runs at once must not share os.environ
        result = run_airflow(["dags", "test", "ingest_disclosure_sites"], {**env, **mirror.env()})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    return output


@pytest.fixture(scope="module")
def ingest_runs(tmp_path_factory):
    """The ingest DAG run by `airflow dags test` with the embedded SQLite and, when PostgreSQL answers, with
    PostgreSQL metadata — both at once: a run mostly waits (on the mirror, on task start-up), so side by side they
    take little longer than one. Yields {metadata: (env, raw folder, output or the error it raised)}."""
    with ExitStack() as stack:
        envs = {"sqlite": _scratch_env(tmp_path_factory.mktemp("ingest-sqlite"))}
        if postgres_unreachable() is None:
            envs["postgres"] = _scratch_env(tmp_path_factory.mktemp("ingest-postgres"))
            envs["postgres"]["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = stack.enter_context(temporary_postgres_database())
        with ThreadPoolExecutor(len(envs)) as pool:
            runs = {name: pool.submit(_run_ingest_dag, env) for name, env in envs.items()}
            results = {name: _outcome(run) for name, run in runs.items()}
        yield {name: (envs[name], Path(envs[name]["MINZHENG_RAW_DIR"]), results[name]) for name in envs}


def _scratch_env(root: Path) -> dict:
    home = root / "airflow"
    env = airflow_env(home=home, port=free_port())
    env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{home / 'airflow.db'}"
    env["MINZHENG_RAW_DIR"] = str(root / "raw")
    return env


def _outcome(run):
    try:
        return run.result()
    except BaseException as failed:  # an assertion of one run fails its own test, not the other's
        return failed


def _ingest_run(ingest_runs, metadata: str):
    if metadata not in ingest_runs:
        pytest.skip(postgres_unreachable() or f"no {metadata} run")
    env, raw_dir, output = ingest_runs[metadata]
    if isinstance(output, BaseException):
        raise output
    assert f"sources crawled: {len(MIRROR_SOURCES)}" in output
    return env, raw_dir


def _assert_raw_layer(raw_dir) -> None:
    store = RawStore(raw_dir)
    landed = dict(store.query("select source_id, count(*) from documents group by 1"))
    assert set(landed) == MIRROR_SOURCES
    assert sum(landed.values()) == 7 + 17  # five reports and two attachments; the corpus on the two portals
    assert store.query("select count(*) from quarantine_open") == [(0,)]


@pytest.mark.slow
def test_ingest_dag_runs_end_to_end_with_embedded_sqlite(ingest_runs):
    _, raw_dir = _ingest_run(ingest_runs, "sqlite")
    _assert_raw_layer(raw_dir)


@pytest.mark.slow
@pytest.mark.postgres
def test_ingest_dag_runs_end_to_end_with_postgres_metadata(ingest_runs):
    env, raw_dir = _ingest_run(ingest_runs, "postgres")
    _assert_raw_layer(raw_dir)
    import psycopg2

    from warehouse.postgres import libpq_dsn

    postgres_database = env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    with psycopg2.connect(libpq_dsn(postgres_database.rsplit("/", 1)[1])) as con:
        with con.cursor() as cursor:
            cursor.execute("select state from dag_run where dag_id = 'ingest_disclosure_sites'")
            assert cursor.fetchall() == [("success",)]
            cursor.execute(
                "select count(*) from task_instance where dag_id = 'ingest_disclosure_sites' and state = 'success'"
            )
            assert cursor.fetchone()[0] == 2 + len(MIRROR_SOURCES)  # enabled_source_ids, a crawl per source, publish


def test_analyst_models_build_after_the_publish_outside_the_core_group(sqlite_env, tmp_path):
    """With an analyst model in dbt_project/models/analyst/, the Cosmos group (the core, whose failure stops the
    audit and publish) has no task for it; analyst_models builds it after the publish, alone, without retries."""
    from tests.integration.test_analyst_isolation import project_with_analyst_models
    from warehouse.transform.dbt import run_dbt

    project = project_with_analyst_models(tmp_path)
    parsed = run_dbt(["parse"], tmp_path / "raw", tmp_path / "warehouse.duckdb", project, project_dir=project)
    assert parsed.returncode == 0, parsed.stdout[-3000:] + parsed.stderr[-2000:]
    (project / "target").mkdir(exist_ok=True)
    (project / "dbt_target" / "manifest.json").rename(project / "target" / "manifest.json")
    env = {**sqlite_env, "MINZHENG_DBT_PROJECT": str(project)}
    result = subprocess.run([sys.executable, str(PROBE)], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    bag = json.loads(result.stdout.strip().splitlines()[-1])
    assert bag["errors"] == {}
    tasks = bag["dags"]["build_warehouse"]
    assert "dbt_build.fct_indicator_values.run" in tasks
    assert not [task for task in tasks if "analyst_broken_mart" in task or "analyst_facts_per_indicator" in task]
    assert bag["upstream"]["build_warehouse:analyst_models"] == ["quality_gate.publish"]
    assert bag["retries"]["build_warehouse:analyst_models"] == 0
    # the freshness check runs beside the build: a stale source is reported, it does not hold the core back
    assert bag["upstream"]["build_warehouse:source_freshness"] == ["prepare_build_dir"]
    assert "source_freshness" not in bag["upstream"]["build_warehouse:dbt_build.dbt_producer_watcher"]
