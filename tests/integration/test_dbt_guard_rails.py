"""Guard rails for analysts adding dbt models (tools/check_models.py, run by `make check-models` and `make lint`):
the project parses, every model has YAML that says what it is and is tested, published models keep enforced
contracts and document every column (BI users read those descriptions as column comments), names say the
layer, and the manifest the warehouse DAG renders knows every model. Each problem is one line naming the model."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tools.check_models import model_problems, rendered_manifest
from warehouse.settings import DBT_PROJECT, REPO_ROOT

pytestmark = pytest.mark.integration


def test_every_model_passes_the_guard_rails(manifest):
    assert model_problems(manifest, rendered_manifest()) == []


@pytest.fixture
def scratch_project(tmp_path):
    """A copy of the dbt project (with the manifest the DAG renders) an analyst can break."""
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT, project, ignore=shutil.ignore_patterns("logs", "dbt_packages", "target"))
    (project / "target").mkdir()
    shutil.copy(DBT_PROJECT / "target" / "manifest.json", project / "target" / "manifest.json")
    return project


def _check_models(project):
    return subprocess.run(
        [sys.executable, "-m", "tools.check_models", "--project-dir", str(project)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_model_with_no_yaml_fails_with_one_line_naming_it(scratch_project):
    (scratch_project / "models" / "marts" / "fct_orphans.sql").write_text("select 1 as orphan_id\n")
    marts_yml = scratch_project / "models" / "marts" / "_marts__models.yml"
    # a published model that loses its contract and a column's description, an intermediate model misnamed
    text = marts_yml.read_text()
    text = text.replace("    contract:\n      enforced: true", "    contract:\n      enforced: false", 1)
    marts_yml.write_text(text)
    (scratch_project / "models" / "intermediate" / "documents_tidied.sql").write_text("select 1 as version_id\n")

    result = _check_models(scratch_project)

    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("models/marts/fct_orphans.sql: fct_orphans: no YAML entry") for line in lines), lines
    assert any(": fct_orphans: not in dbt_project/target/manifest.json" in line for line in lines), lines
    assert any(
        line.startswith("models/intermediate/documents_tidied.sql: documents_tidied: ") and "int_" in line
        for line in lines
    ), lines
    assert any("published without an enforced contract" in line for line in lines), lines
    assert all(": " in line and "Traceback" not in line for line in lines)


def test_a_project_dbt_cannot_parse_is_one_line(scratch_project):
    (scratch_project / "models" / "marts" / "dim_broken.sql").write_text("select {{ ref('no_such_model') }}\n")
    result = _check_models(scratch_project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("dbt parse failed:") and "no_such_model" in result.stderr, result.stderr


def test_the_manifest_cosmos_renders_is_current(manifest):
    """The warehouse DAG renders from dbt_project/target/manifest.json (make install refreshes it)."""
    assert not [line for line in model_problems(manifest, rendered_manifest()) if "make install" in line]
