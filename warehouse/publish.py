"""Write-audit-publish: dbt builds the candidate warehouse (warehouse/build/), the quality gate audits it,
and only a candidate that passes is published to the file BI tools read (warehouse/serving/), by an
atomic rename. The previous good version is kept beside it for `make rollback`.

Readers that have the serving file open keep reading the version they opened (the rename swaps the
directory entry, not the bytes under them); new readers see the new version. Nobody sees half of one.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.dbt import REPO_ROOT, run_dbt
from warehouse.quality import AuditReport, audit

log = logging.getLogger(__name__)
BUILD = Path(os.environ.get("MINZHENG_WAREHOUSE", REPO_ROOT / "warehouse" / "build" / "warehouse.duckdb"))
SERVING = Path(os.environ.get("MINZHENG_SERVING", REPO_ROOT / "warehouse" / "serving" / "warehouse.duckdb"))
RAW = Path(os.environ.get("MINZHENG_RAW_DIR", REPO_ROOT / "warehouse" / "raw"))
# dbt's docs site (lineage, model and column descriptions), one static page next to the Data Docs
DBT_DOCS = Path(os.environ.get("MINZHENG_DBT_DOCS",
                               REPO_ROOT / "expectations" / "gx" / "uncommitted" / "data_docs" / "dbt_docs"))


class AuditFailed(RuntimeError):
    def __init__(self, report: AuditReport):
        super().__init__(report.summary())
        self.report = report


@dataclass(frozen=True)
class Paths:
    raw: Path = RAW
    build: Path = BUILD
    serving: Path = SERVING

    @property
    def previous(self) -> Path:
        return self.serving.with_name(self.serving.stem + ".previous" + self.serving.suffix)


def build(paths: Paths, full_refresh: bool = False) -> None:
    result = run_dbt(["build", *(["--full-refresh"] if full_refresh else [])], paths.raw, paths.build)
    if result.returncode != 0:
        raise RuntimeError("dbt build failed:\n" + result.stdout[-4000:] + result.stderr[-2000:])


def publish_candidate(paths: Paths) -> Path:
    """Copy the audited candidate next to the serving file and swap it in atomically."""
    con = duckdb.connect(str(paths.build))  # fold any WAL into the file so one file is the whole warehouse
    con.execute("checkpoint")
    con.close()
    return _swap_in(paths.build, paths)


def _swap_in(source: Path, paths: Paths) -> Path:
    """Stage a copy of `source` beside the serving file, keep the current one as previous, rename over it."""
    paths.serving.parent.mkdir(parents=True, exist_ok=True)
    staged = paths.serving.with_name(paths.serving.name + ".incoming")
    shutil.copyfile(source, staged)
    with open(staged, "rb") as handle:
        os.fsync(handle.fileno())
    if paths.serving.exists():
        shutil.copyfile(paths.serving, paths.previous)
    os.replace(staged, paths.serving)
    return paths.serving


def write_audit_publish(paths: Paths = Paths(), full_refresh: bool = False, build_first: bool = True) -> AuditReport:
    if build_first:
        build(paths, full_refresh)
    report = audit(paths.build, paths.raw, serving_path=paths.serving)
    log.info(report.summary())
    if not report.success:
        raise AuditFailed(report)
    publish_candidate(paths)
    serve_postgres(paths)
    generate_dbt_docs(paths)
    return report


def generate_dbt_docs(paths: Paths, out_dir: Path = DBT_DOCS) -> Path:
    """`dbt docs generate --static` on the audited build: one self-contained index.html."""
    with tempfile.TemporaryDirectory(prefix="dbt-docs-") as work:
        result = run_dbt(["docs", "generate", "--static"], paths.raw, paths.build, work)
        if result.returncode != 0:
            raise RuntimeError("dbt docs generate failed:\n" + result.stdout[-3000:] + result.stderr[-2000:])
        out_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(work) / "dbt_target" / "static_index.html", out_dir / "index.html")
    return out_dir / "index.html"


def serve_postgres(paths: Paths) -> dict[str, int] | None:
    """Mirror the published marts into PostgreSQL's `analytics` schema when MINZHENG_ANALYTICS_PG is set."""
    from warehouse.serving_postgres import configured_dsn, mirror_marts

    dsn = configured_dsn()
    return mirror_marts(paths.serving, dsn) if dsn else None


def rollback(paths: Paths = Paths()) -> Path:
    """Put the previous published version back (the current one becomes the previous)."""
    if not paths.previous.exists():
        raise FileNotFoundError(f"no previous version at {paths.previous}")
    return _swap_in(paths.previous, paths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warehouse.publish", description=__doc__)
    parser.add_argument("command", choices=["publish", "rollback"])
    parser.add_argument("--full-refresh", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.command == "rollback":
        print(f"rolled back: {rollback()}")
        serve_postgres(Paths())
        return 0
    try:
        report = write_audit_publish(full_refresh=args.full_refresh)
    except AuditFailed as failed:
        print(failed.report.summary(), file=sys.stderr)
        print("nothing published; the serving file is unchanged", file=sys.stderr)
        return 1
    print(report.summary())
    print(f"published {SERVING}; data docs: {report.data_docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
