"""A service that is down is named in one line with the setting that points at it, never a traceback.

The closed port is a real one on 127.0.0.1: bound, then let go, so nothing listens and the kernel refuses."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import duckdb
import pytest

from warehouse.settings import REPO_ROOT

pytestmark = pytest.mark.integration


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
