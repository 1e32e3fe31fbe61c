"""Two models that fail once, in the build DAG run by Airflow's scheduler: the build's `dbt build` runs once (the
producer's retry builds nothing) and each model's own task, on its retry, builds that model alone, one retry at
a time on the build file (docs/airflow.md, "Retries of the dbt build")."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.harness.scratch_pipeline import BUILD, scratch_pipeline
from warehouse.settings import DBT_EXECUTABLE, REPO_ROOT
from warehouse.transform.dbt import dbt_env

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# fails the first time it is built, then builds; every build of it is a line in BUILDS
FLAKY = ("int_flaky_once", "int_flaky_twin")
FLAKY_MODEL = """
from pathlib import Path

FAILED_ONCE = Path({failed_once!r})
BUILDS = Path({builds!r})


def model(dbt, session):
    dbt.config(materialized="table")
    with BUILDS.open("a", encoding="utf-8") as builds:
        builds.write("built\\n")
    if not FAILED_ONCE.exists():
        FAILED_ONCE.touch()
        raise RuntimeError("fails on its first build")
    return session.sql("select 1 as built")
"""


def _project_with_flaky_model(root: Path) -> Path:
    project = root / "dbt_project"
    shutil.copytree(REPO_ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs"))
    for name in FLAKY:
        model = FLAKY_MODEL.format(failed_once=str(root / f"{name}.failed"), builds=str(root / f"{name}.builds"))
        (project / "models" / "intermediate" / f"{name}.py").write_text(model, encoding="utf-8")
    parsed = subprocess.run(
        [str(DBT_EXECUTABLE), "--quiet", "parse", "--project-dir", str(project), "--profiles-dir", str(project)],
        env=dbt_env(project / "raw-unused", project / "unused.duckdb"),
        capture_output=True,
        text=True,
        cwd=project,
    )
    assert parsed.returncode == 0, parsed.stdout[-2000:]
    return project


def test_models_that_fail_once_are_rebuilt_alone_by_their_tasks_retries(tmp_path):
    project = _project_with_flaky_model(tmp_path)
    with scratch_pipeline(tmp_path, extra_env={"MINZHENG_DBT_PROJECT": str(project)}) as running:
        _, build = running.ingest_then_build()
        assert build, "the ingest did not succeed"
        instances = {ti["task_id"]: ti for ti in running.client.task_instances(BUILD, build["dag_run_id"])}
    states = {task: (ti["state"], ti["try_number"]) for task, ti in instances.items()}
    flaky = [task for task in instances if any(name in task for name in FLAKY)]
    assert len(flaky) == len(FLAKY), states
    for name in FLAKY:  # built by the build, then by its task's retry
        assert (tmp_path / f"{name}.builds").read_text(encoding="utf-8").count("built") == 2, states
    assert all(states[task] == ("success", 2) for task in flaky), states
    # the producer's retry is a skip: the whole `dbt build` ran once
    assert states["dbt_build.dbt_producer_watcher"] == ("skipped", 2), states
    others = {task: state for task, state in states.items() if task.startswith("dbt_build.") and task not in flaky}
    assert all(state[1] == 1 for task, state in others.items() if task != "dbt_build.dbt_producer_watcher"), states
    assert build["state"] == "success", states
