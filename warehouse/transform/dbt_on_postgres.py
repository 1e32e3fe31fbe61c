"""The dbt project on PostgreSQL: the step after one DuckDB file, kept honest by running it.

Loads the raw layer's current documents and open quarantine into PostgreSQL schema `raw` (the dbt source
`raw` points there on a postgres target), then runs `dbt build --target postgres --selector portable`:
every seed, model and test that depends on no DuckDB-only feature. The models that do are tagged
`duckdb_only` in their YAML, with the feature in `meta.duckdb_only`; docs/scaling.md lists them.

    python -m warehouse.transform.dbt_on_postgres [--database minzheng]      (make dbt-postgres)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from warehouse.postgres import HOST, PG_SETTINGS, PORT, USER, Unreachable, copy_schema, ensure_database, libpq_dsn
from warehouse.settings import DBT_MANIFEST, RAW_DIR
from warehouse.transform.dbt import run_dbt

RAW_RELATIONS = ("documents_current", "current_versions", "document_locations", "quarantine_open", "sources")


def load_raw_layer(raw_dir: Path | str, database: str) -> dict[str, int]:
    """Copy the raw layer's current documents, open quarantine and source registry into schema `raw`, replacing
    it: from a snapshot, which is where the registry is landed (warehouse.landing.registry), as for a build."""
    from warehouse.landing.snapshot import take_snapshot

    with tempfile.TemporaryDirectory(prefix="raw-for-postgres-") as folder:
        snapshot = take_snapshot(raw_dir, folder)
        return copy_schema(snapshot / "raw.duckdb", "main", libpq_dsn(database), "raw", only=RAW_RELATIONS)


def postgres_env(database: str) -> dict[str, str]:
    return {
        "MINZHENG_DBT_PG_HOST": HOST,
        "MINZHENG_DBT_PG_PORT": str(PORT),
        "MINZHENG_DBT_PG_USER": USER,
        "MINZHENG_DBT_PG_DATABASE": database,
    }


def build_on_postgres(
    raw_dir: Path | str, database: str, work_dir: Path | str, selector: str = "portable"
) -> tuple[subprocess.CompletedProcess, list[dict]]:
    """Load the raw layer, then `dbt build` the selector on PostgreSQL. Returns dbt's process and its
    per-node results (run_results.json)."""
    load_raw_layer(raw_dir, database)
    work_dir = Path(work_dir)
    process = run_dbt(
        ["build", "--target", "postgres", "--selector", selector],
        raw_dir,
        work_dir / "unused.duckdb",
        work_dir=work_dir,
        extra_env=postgres_env(database),
    )
    results_file = work_dir / "dbt_target" / "run_results.json"
    results = json.loads(results_file.read_text())["results"] if results_file.exists() else []
    return process, results


def duckdb_only_models(manifest_path: Path | str = DBT_MANIFEST) -> dict[str, str]:
    """The models tagged duckdb_only, with the DuckDB feature each depends on (from the parsed manifest)."""
    manifest = json.loads(Path(manifest_path).read_text())
    return {
        node["name"]: node["config"].get("meta", {}).get("duckdb_only", "")
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and "duckdb_only" in node["config"].get("tags", [])
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database", default="minzheng", help=f"PostgreSQL database on {HOST}:{PORT} ({PG_SETTINGS}; created)"
    )
    parser.add_argument("--raw-dir", type=Path, default=RAW_DIR)
    args = parser.parse_args()
    if not (args.raw_dir / "raw.duckdb").exists():
        print(f"no raw layer at {args.raw_dir}: run `make crawl` (or `make demo`) first", file=sys.stderr)
        return 2
    try:
        ensure_database(args.database)
        with tempfile.TemporaryDirectory(prefix="minzheng-dbt-pg-") as work_dir:
            process, results = build_on_postgres(args.raw_dir, args.database, work_dir)
    except Unreachable as down:
        print(f"nothing built on PostgreSQL: {down}", file=sys.stderr)
        return 2
    for result in results:
        print(f"{result['status']:>7}  {result['unique_id']}")
    print(
        f"dbt build on PostgreSQL database {args.database}: {len(results)} nodes, "
        f"{sum(r['status'] in ('success', 'pass') for r in results)} succeeded (exit {process.returncode})"
    )
    if process.returncode:
        print(process.stdout[-4000:], process.stderr[-2000:], sep="\n", file=sys.stderr)
    print("left on DuckDB (tag duckdb_only): " + ", ".join(sorted(duckdb_only_models())))
    return process.returncode


if __name__ == "__main__":
    sys.exit(main())
