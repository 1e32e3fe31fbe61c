"""An analyst's broken model does not block the core: `make publish` (python -m warehouse.release publish) builds,
audits and publishes the core star schema, then the analysts' models (dbt_project/models/analyst/), whose failure
is reported with the model's name and dbt's error. Run as `make publish` runs it, in its own process, on a copy
of the dbt project holding one analyst model that works and one with an SQL error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import duckdb
import pytest

from tests.integration.conftest import land_seed_documents
from warehouse.settings import DBT_PROJECT, REPO_ROOT

pytestmark = pytest.mark.integration

GOOD = "select indicator_code, count(*) as facts from {{ ref('fct_indicator_values') }} group by 1\n"
BROKEN = "select indicator_code, no_such_column from {{ ref('fct_indicator_values') }}\n"


def project_with_analyst_models(folder):
    project = folder / "dbt_project"
    shutil.copytree(DBT_PROJECT, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    (project / "models" / "analyst").mkdir(exist_ok=True)
    (project / "models" / "analyst" / "analyst_facts_per_indicator.sql").write_text(GOOD)
    (project / "models" / "analyst" / "analyst_broken_mart.sql").write_text(BROKEN)
    return project


def make_publish(root, project) -> subprocess.CompletedProcess:
    """`make publish` of the seed documents, with every file under root and the dbt project at `project`."""
    _, raw = land_seed_documents(root)
    env = {
        **os.environ,
        "MINZHENG_DBT_PROJECT": str(project),
        "MINZHENG_RAW_DIR": str(raw),
        "MINZHENG_WAREHOUSE": str(root / "build" / "warehouse.duckdb"),
        "MINZHENG_SERVING": str(root / "serving" / "warehouse.duckdb"),
        "MINZHENG_DBT_DOCS": str(root / "dbt_docs"),
    }
    env.pop("MINZHENG_ANALYTICS_PG", None)
    return subprocess.run(
        [sys.executable, "-m", "warehouse.release", "publish"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )


@pytest.fixture(scope="module")
def publish_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("analyst-isolation")
    return root, make_publish(root, project_with_analyst_models(root))


def test_a_broken_analyst_model_leaves_the_core_published_and_is_named_with_dbts_error(publish_run):
    root, result = publish_run
    output = result.stdout + result.stderr
    assert result.returncode == 3, output[-5000:]
    con = duckdb.connect(str(root / "serving" / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from marts.fct_indicator_values").fetchone()[0] > 100
    finally:
        con.close()
    assert f"published {root / 'serving' / 'warehouse.duckdb'}" in result.stdout
    assert "analyst models failed (the core is published)" in result.stderr
    [failure] = [line for line in result.stderr.splitlines() if "analyst_broken_mart" in line]
    assert failure.startswith("model.minzheng.analyst_broken_mart error:") and "no_such_column" in failure
    # the analyst's other model was built, in its own schema of the build file
    con = duckdb.connect(str(root / "build" / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("select sum(facts) from analyst.analyst_facts_per_indicator").fetchone()[0] > 100
    finally:
        con.close()


def test_make_publish_prints_its_audit_line_once(tmp_path):
    result = make_publish(tmp_path, DBT_PROJECT)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    audit_lines = [line for line in output.splitlines() if line.startswith("audit passed")]
    assert len(audit_lines) == 1, output[-3000:]
