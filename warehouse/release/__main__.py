"""`python -m warehouse.release publish|rollback|copy-to-postgres` (make publish, make rollback): write-audit-
publish, the previous published version put back, or the serving file copied into PostgreSQL again. The DAG
build_warehouse runs the same steps (warehouse/release/steps.py).

Each target says what it now serves: DuckDB (the serving file) and, when MINZHENG_ANALYTICS_PG is set,
PostgreSQL. When one moved and the other did not, the output says so and which command brings them level.

`publish` then builds the analysts' own models (dbt_project/models/analyst/) on the published core: one that
fails is named with dbt's error and exits 3, the core staying published."""

from __future__ import annotations

import argparse
import logging
import sys

from warehouse.locks import Busy
from warehouse.release.publish import NotServable, Paths, rollback
from warehouse.release.steps import (
    AnalystModelsFailed,
    AuditFailed,
    PostgresBehind,
    build_analyst_models,
    check_serving,
    copy_to_postgres,
    write_audit_publish,
)

LEVEL_AGAIN = "`python -m warehouse.release copy-to-postgres` (or the next `make publish`) brings it level"


def main(argv: list[str] | None = None, paths: Paths | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warehouse.release", description=__doc__)
    parser.add_argument("command", choices=["publish", "rollback", "copy-to-postgres"])
    parser.add_argument("--full-refresh", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    paths = paths or Paths()
    if args.command == "rollback":
        return _rollback(paths)
    if args.command == "copy-to-postgres":
        return _copy_to_postgres(paths)
    try:
        report = write_audit_publish(paths, full_refresh=args.full_refresh)
    except AuditFailed as failed:
        print(failed.report.summary(), file=sys.stderr)
        print("nothing published; the serving file is unchanged", file=sys.stderr)
        return 1
    except (Busy, NotServable) as refused:
        print(f"nothing published: {refused}", file=sys.stderr)
        return 1
    except PostgresBehind as behind:
        if behind.report is not None:
            print(behind.report.summary())
        print(f"DuckDB: published {paths.serving}")
        print(
            f"PostgreSQL: NOT updated: {behind}; it serves the version before this publish until {LEVEL_AGAIN}",
            file=sys.stderr,
        )
        return 1
    print(report.summary())
    print(f"published {paths.serving}; data docs: {report.data_docs}")
    return _analyst_models(paths)


def _analyst_models(paths: Paths) -> int:
    """After the core's publish: the analysts' models; their failure is said, and the core stays published."""
    try:
        build_analyst_models(paths)
    except AnalystModelsFailed as failed:
        print(f"{failed}", file=sys.stderr)
        return 3
    return 0


def _rollback(paths: Paths) -> int:
    """DuckDB first (the serving file is the reference); PostgreSQL is then given the same version."""
    try:
        rollback(paths)
    except (NotServable, Busy) as problem:
        print(f"nothing rolled back: {problem}", file=sys.stderr)
        return 1
    print(f"DuckDB: rolled back: {paths.serving} is the version published before")
    try:
        counts = copy_to_postgres(paths)
    except PostgresBehind as behind:
        print(
            f"PostgreSQL: NOT rolled back: {behind}; it still serves the version DuckDB served before the "
            f"rollback; {LEVEL_AGAIN}",
            file=sys.stderr,
        )
        return 1
    if counts is None:
        print("PostgreSQL: no copy to roll back (MINZHENG_ANALYTICS_PG is not set)")
    else:
        print("PostgreSQL: rolled back: schema analytics holds the same version")
    return 0


def _copy_to_postgres(paths: Paths) -> int:
    try:
        check_serving(paths)
        counts = copy_to_postgres(paths)
    except NotServable as damaged:
        print(f"nothing copied: {damaged}", file=sys.stderr)
        return 1
    except PostgresBehind as behind:
        print(f"PostgreSQL: NOT updated: {behind}", file=sys.stderr)
        return 1
    if counts is None:
        print("MINZHENG_ANALYTICS_PG is not set: there is no PostgreSQL copy to make", file=sys.stderr)
        return 2
    print(f"PostgreSQL: schema analytics holds the marts of {paths.serving} ({sum(counts.values())} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
