"""The fleet benchmark (make benchmark-fleet) on a fleet of three, so the script cannot rot unnoticed between
the times someone measures with it. Needs Redis and PostgreSQL on 127.0.0.1, like the CeleryExecutor."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.airflow.conftest import temporary_postgres_database
from warehouse.settings import REPO_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.postgres]


def test_the_fleet_benchmark_crawls_every_site_and_reports_its_figures(redis_up):
    with temporary_postgres_database():  # skips when PostgreSQL is down; the script makes its own databases
        result = subprocess.run(
            [sys.executable, "-m", "benchmarks.fleet_ingest", "--sites", "3", "--workers", "1", "--interval", "0.2"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "run success" in result.stdout and "3/3 sites, 21 requests" in result.stdout, result.stdout
    assert "12 documents, 0 quarantined" in result.stdout and "sites/min" in result.stdout
