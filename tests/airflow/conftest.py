from __future__ import annotations

import subprocess
from contextlib import contextmanager
import uuid

import pytest

from tools.airflow_env import REPO_ROOT, airflow_env

AIRFLOW = str(REPO_ROOT / ".venv" / "bin" / "airflow")
POSTGRES_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/{database}"


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


@pytest.fixture
def postgres_database():
    with temporary_postgres_database() as url:
        yield url


@contextmanager
def temporary_postgres_database():
    """A throw-away PostgreSQL database for Airflow's metadata; skips the test when no server answers."""
    try:
        import psycopg2
    except ImportError:
        pytest.skip("psycopg2 is not installed")
    try:
        admin = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres", connect_timeout=3)
    except psycopg2.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable on 127.0.0.1:5432: {exc}")
    admin.autocommit = True
    name = f"airflow_test_{uuid.uuid4().hex[:8]}"
    with admin.cursor() as cursor:
        cursor.execute(f"create database {name}")
    try:
        yield POSTGRES_URL.format(database=name)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"drop database if exists {name} with (force)")
            # the BI role a test's publish may have created for this database (bi_reader_<suffix>)
            cursor.execute(f"drop role if exists bi_reader_{name.rsplit('_', 1)[1]}")
        admin.close()
