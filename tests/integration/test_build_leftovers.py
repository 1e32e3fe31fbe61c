"""A build leaves nothing of its own behind in the warehouse (issue 34 item 9): the Python models' incremental
runs wrote `<model>__dbt_tmp<timestamp>` tables that were never dropped (24 after 8 builds, the file doubled)."""

from __future__ import annotations

import duckdb
import pytest

from tests.integration.conftest import land_seed_documents
from warehouse.transform.dbt import run_dbt

pytestmark = pytest.mark.integration
PYTHON_MODELS = ["+int_segments_split", "+stg_gbt2260__regions"]


def test_two_builds_leave_no_dbt_tmp_relations(tmp_path):
    _, raw = land_seed_documents(tmp_path)
    warehouse = tmp_path / "warehouse.duckdb"
    for _ in range(2):  # the second run is incremental: the one that made the temporary tables
        result = run_dbt(["build", "-s", *PYTHON_MODELS, "--exclude", "resource_type:test"], raw, warehouse, tmp_path)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        left = con.execute(
            "select schema_name, table_name from duckdb_tables() where table_name like '%dbt_tmp%'"
            " union all select schema_name, view_name from duckdb_views() where view_name like '%dbt_tmp%'"
        ).fetchall()
    finally:
        con.close()
    assert left == []
