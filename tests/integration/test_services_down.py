"""A service that is down is named in one line with the setting that points at it, never a traceback.

The closed port is a real one on 127.0.0.1: bound, then let go, so nothing listens and the kernel refuses."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from tools.airflow_up import free_port as closed_port
from warehouse.settings import REPO_ROOT

pytestmark = pytest.mark.integration


def test_dbt_on_postgres_with_postgres_down_says_where_and_which_setting(tmp_path):
    duckdb.connect(str(tmp_path / "raw.duckdb")).close()  # a raw layer exists: the command gets to PostgreSQL
    port = closed_port()
    postgres_down = {"MINZHENG_PG_HOST": "127.0.0.1", "MINZHENG_PG_PORT": str(port)}
    finished = subprocess.run(
        [sys.executable, "-m", "warehouse.transform.dbt_on_postgres", "--raw-dir", str(tmp_path)],
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **postgres_down},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode != 0
    assert finished.stderr.strip().splitlines() == [
        f"nothing built on PostgreSQL: PostgreSQL at 127.0.0.1:{port} (MINZHENG_PG_HOST/MINZHENG_PG_PORT) "
        "refused the connection"
    ], finished.stderr


def test_airflow_distributed_with_postgres_down_says_where_and_which_setting(tmp_path):
    port = closed_port()
    env = {key: value for key, value in os.environ.items() if key != "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"}
    finished = subprocess.run(
        [sys.executable, "-m", "tools.airflow_up", "--distributed"],
        env={**env, "PYTHONPATH": str(REPO_ROOT), "AIRFLOW_HOME": str(tmp_path), "MINZHENG_PG_PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode != 0
    assert finished.stderr.strip().splitlines() == [
        f"Airflow not started: PostgreSQL at 127.0.0.1:{port} (MINZHENG_PG_HOST/MINZHENG_PG_PORT) refused the "
        "connection (or set AIRFLOW__DATABASE__SQL_ALCHEMY_CONN to another metadata database)"
    ], finished.stderr
