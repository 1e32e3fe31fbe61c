"""`dbt source freshness` on a real raw layer: fresh documents pass, documents older than the sources' warn_after
(2 days) are a warning naming the table and how old its newest row is."""

from __future__ import annotations

import duckdb
import pytest

from tests.integration.conftest import land_seed_documents
from warehouse.transform.freshness import source_freshness

pytestmark = pytest.mark.integration


def test_a_fresh_raw_layer_passes_and_a_stale_one_warns(tmp_path):
    _, raw = land_seed_documents(tmp_path)
    fresh = source_freshness(raw)
    assert fresh.passed == ["raw.documents_current"] and not fresh.warnings and not fresh.errors
    assert fresh.summary().startswith("source freshness: fresh (1 fresh")

    con = duckdb.connect(str(raw / "raw.duckdb"))
    con.execute("update documents set ingested_at = ingested_at - interval 3 days")
    con.close()
    stale = source_freshness(raw)
    [warning] = stale.warnings
    assert warning.startswith("raw.documents_current: newest row ") and "warn after 2 day(s)" in warning
    assert " (3.0 days ago)" in warning and not stale.errors
    assert stale.summary().splitlines()[0] == "source freshness: WARN (0 fresh, 1 stale, 0 error)"
