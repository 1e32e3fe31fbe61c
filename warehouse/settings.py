"""Every path and setting the product takes from the environment, read here and nowhere else.

Paths are read once, when this module is first imported, each from its variable or its default. The
connection settings of services a test may start while the process runs (PostgreSQL copy, Redis) are read
when asked for, through the functions at the end. Standard library only: DAG files import this at parse time.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _path(variable: str, default: Path) -> Path:
    return Path(os.environ.get(variable) or default)


# --- the three stages' files ----------------------------------------------------------------------
RAW_DIR = _path("MINZHENG_RAW_DIR", REPO_ROOT / "warehouse" / "raw")  # raw layer: blobs + raw.duckdb
BUILD_WAREHOUSE = _path("MINZHENG_WAREHOUSE", REPO_ROOT / "warehouse" / "build" / "warehouse.duckdb")
SERVING_WAREHOUSE = _path("MINZHENG_SERVING", REPO_ROOT / "warehouse" / "serving" / "warehouse.duckdb")

# --- scraping ---------------------------------------------------------------------------------------
SOURCES = _path("MINZHENG_SOURCES", REPO_ROOT / "scrapers" / "sources.yml")
INGEST_SCHEDULE = os.environ.get("MINZHENG_INGEST_SCHEDULE") or "@daily"

# --- dbt ------------------------------------------------------------------------------------------------
DBT_PROJECT = _path("MINZHENG_DBT_PROJECT", REPO_ROOT / "dbt_project")
DBT_MANIFEST = DBT_PROJECT / "target" / "manifest.json"
DBT_PROFILES = DBT_PROJECT / "profiles.yml"
# what DuckDB may hold in memory in a build (dbt_project/profiles.yml reads the same variable) and an audit
DUCKDB_MEMORY_LIMIT = os.environ.get("MINZHENG_DUCKDB_MEMORY_LIMIT") or "2GB"
# processes the Python models extract in when a build has many documents to do (default: one per core)
BUILD_WORKERS = int(os.environ.get("MINZHENG_BUILD_WORKERS") or os.cpu_count() or 1)
DBT_EXECUTABLE = _path("MINZHENG_DBT", Path(sys.executable).parent / "dbt")  # dbt of the interpreter's venv

# --- quality gate, publishing, documentation --------------------------------------------------------------
GX_ROOT = REPO_ROOT / "expectations"
DATA_DOCS_SITE = GX_ROOT / "gx" / "uncommitted" / "data_docs" / "local_site"
DBT_DOCS = _path("MINZHENG_DBT_DOCS", DATA_DOCS_SITE.parent / "dbt_docs")
# the CSS, JS and fonts of the Data Docs pages, from npm (make install); copied into each site by the audit
DATA_DOCS_ASSETS = _path("MINZHENG_DATA_DOCS_ASSETS", GX_ROOT / "data_docs_assets" / "node_modules")
PUBLISH_LOCK_TIMEOUT = float(os.environ.get("MINZHENG_PUBLISH_LOCK_TIMEOUT") or 30)
ALERTS = _path("MINZHENG_ALERTS", REPO_ROOT / ".run" / "alerts.jsonl")

# --- the local PostgreSQL (Airflow metadata, the dbt build on PostgreSQL, the BI serving copy) -------------
POSTGRES_HOST = os.environ.get("MINZHENG_PG_HOST") or "127.0.0.1"
POSTGRES_PORT = int(os.environ.get("MINZHENG_PG_PORT") or 5432)
POSTGRES_USER = os.environ.get("MINZHENG_PG_USER") or "postgres"


def analytics_pg_dsn() -> str | None:
    """libpq connection string of the PostgreSQL serving copy; None: the DuckDB serving file is the only copy."""
    return os.environ.get("MINZHENG_ANALYTICS_PG") or None


def bi_role() -> str:
    """The read-only role BI tools log in as on the PostgreSQL serving copy."""
    return os.environ.get("MINZHENG_BI_ROLE") or "bi_reader"


def alert_webhook() -> str | None:
    """URL an alert is POSTed to as JSON (a chat or pager webhook); None: alerts go to ALERTS and the log only."""
    return os.environ.get("MINZHENG_ALERT_WEBHOOK") or None


def alert_email() -> list[str]:
    """Addresses (comma-separated in MINZHENG_ALERT_EMAIL) an alert is mailed to through Airflow's [smtp] settings."""
    return [address.strip() for address in (os.environ.get("MINZHENG_ALERT_EMAIL") or "").split(",") if address.strip()]


ALERT_TIMEOUT = float(os.environ.get("MINZHENG_ALERT_TIMEOUT") or 5)  # seconds a webhook or mail server may take


def rate_limit_redis_url() -> str | None:
    """Redis that holds per-host politeness for every worker; None: each process keeps its own."""
    return os.environ.get("MINZHENG_RATE_LIMIT_REDIS") or None
