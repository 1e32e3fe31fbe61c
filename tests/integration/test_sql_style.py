"""The dbt models are sqlfluff-clean with the dbt templater (rules in dbt_project/.sqlfluff)."""

import subprocess
import sys
from pathlib import Path

import pytest

from warehouse.landing.store import RawStore
from warehouse.settings import DBT_PROJECT
from warehouse.transform.dbt import dbt_env

pytestmark = pytest.mark.integration


def test_models_are_sqlfluff_clean(tmp_path):
    RawStore(tmp_path / "raw")  # the profile attaches a raw layer; an empty one compiles
    env = dbt_env(tmp_path / "raw", tmp_path / "warehouse.duckdb")
    sqlfluff = Path(sys.executable).parent / "sqlfluff"
    result = subprocess.run(
        [str(sqlfluff), "lint", "models", "--disable-progress-bar"],
        cwd=DBT_PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
