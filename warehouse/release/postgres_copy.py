"""A PostgreSQL copy of the published marts for BI tools that speak PostgreSQL (schema `analytics`).

The serving DuckDB file stays the embedded default; this copy is made after each publish when
MINZHENG_ANALYTICS_PG (a libpq connection string, e.g. "host=127.0.0.1 dbname=warehouse user=postgres") is set.

One transaction: the marts are loaded into a fresh schema `analytics_incoming`, the old `analytics` is
dropped and the new one renamed into its place, and the read-only BI role is granted SELECT. PostgreSQL's
DDL is transactional, so a reader sees the whole previous load or the whole new one, never half of either.
Table and column comments (the dbt descriptions) travel with the data. A PostgreSQL that does not take the
connection raises warehouse.postgres.Unreachable, naming MINZHENG_ANALYTICS_PG.
"""

from __future__ import annotations

import logging
from pathlib import Path

from warehouse.postgres import copy_schema
from warehouse.settings import bi_role as configured_bi_role

log = logging.getLogger(__name__)
SCHEMA = "analytics"


def copy_marts(serving_path: Path | str, dsn: str, schema: str = SCHEMA, bi_role: str | None = None) -> dict[str, int]:
    """Copy every table and view of the serving file's `marts` schema into PostgreSQL schema `schema`, readable
    by `bi_role` (MINZHENG_BI_ROLE, bi_reader by default)."""
    counts = copy_schema(
        serving_path, "marts", dsn, schema, bi_role=bi_role or configured_bi_role(), setting="MINZHENG_ANALYTICS_PG"
    )
    log.info("copied the marts into PostgreSQL schema %s: %s", schema, counts)
    return counts
