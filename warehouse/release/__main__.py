"""`python -m warehouse.release publish|rollback` (make publish, make rollback): write-audit-publish, or the
previous published version put back. The DAG build_warehouse runs the same steps (warehouse/release/steps.py)."""

from __future__ import annotations

import argparse
import logging
import sys

from warehouse.locks import Busy
from warehouse.release.publish import NotServable, Paths, rollback
from warehouse.release.steps import AuditFailed, copy_to_postgres, write_audit_publish


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warehouse.release", description=__doc__)
    parser.add_argument("command", choices=["publish", "rollback"])
    parser.add_argument("--full-refresh", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    paths = Paths()
    if args.command == "rollback":
        try:
            print(f"rolled back: {rollback(paths)}")
        except (NotServable, Busy) as problem:
            print(f"nothing rolled back: {problem}", file=sys.stderr)
            return 1
        copy_to_postgres(paths)
        return 0
    try:
        report = write_audit_publish(paths, full_refresh=args.full_refresh)
    except AuditFailed as failed:
        print(failed.report.summary(), file=sys.stderr)
        print("nothing published; the serving file is unchanged", file=sys.stderr)
        return 1
    except Busy as busy:
        print(f"nothing published: {busy}", file=sys.stderr)
        return 1
    print(report.summary())
    print(f"published {paths.serving}; data docs: {report.data_docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
