from __future__ import annotations

import subprocess
from contextlib import contextmanager

import pytest

from tools.airflow_env import REPO_ROOT, airflow_env
from tools.postgres import scratch_database, sqlalchemy_url

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
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis is not reachable on 127.0.0.1:6379: {exc}")


@pytest.fixture
def postgres_database():
    with temporary_postgres_database() as url:
        yield url


@contextmanager
def temporary_postgres_database():
    """A throw-away PostgreSQL database (SQLAlchemy URL) for Airflow's metadata; skips the test when no server
    answers."""
    try:
        import psycopg2
    except ImportError:
        pytest.skip("psycopg2 is not installed")
    try:
        scratch = scratch_database("airflow_test")
        name = scratch.__enter__()
    except psycopg2.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable on 127.0.0.1:5432: {exc}")
    try:
        yield sqlalchemy_url(name)
    finally:
        scratch.__exit__(None, None, None)
