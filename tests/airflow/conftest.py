from __future__ import annotations

import subprocess
from contextlib import contextmanager

import pytest

from tests.harness.postgres import scratch_database
from tests.harness.services import postgres_unreachable, redis_unreachable
from tools.airflow_env import airflow_env
from warehouse.postgres import sqlalchemy_url
from warehouse.settings import REPO_ROOT

AIRFLOW = str(REPO_ROOT / ".venv" / "bin" / "airflow")


def run_airflow(args, env, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run([AIRFLOW, *args], env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def airflow_home(tmp_path):
    return tmp_path / "airflow"


@pytest.fixture
def raw_dir(tmp_path):
    return tmp_path / "raw"


@pytest.fixture
def sqlite_env(airflow_home, raw_dir):
    env = airflow_env(home=airflow_home, port=28080)
    env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{airflow_home / 'airflow.db'}"
    env["MINZHENG_RAW_DIR"] = str(raw_dir)
    return env


@pytest.fixture(scope="session")
def redis_up():
    """Skips the test when no Redis answers on 127.0.0.1:6379 (the Celery broker and shared rate limit)."""
    reason = redis_unreachable()
    if reason:
        pytest.skip(reason)


@contextmanager
def temporary_postgres_database():
    """A throw-away PostgreSQL database (SQLAlchemy URL) for Airflow's metadata; skips the test when no server
    answers."""
    reason = postgres_unreachable()
    if reason:
        pytest.skip(reason)
    with scratch_database("airflow_test") as name:
        yield sqlalchemy_url(name)
