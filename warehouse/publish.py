"""Write-audit-publish: dbt builds the candidate warehouse (warehouse/build/), the quality gate audits it,
and only a candidate that passes is published to the file BI tools read (warehouse/serving/), by an
atomic rename. The previous good version is kept beside it for `make rollback`.

Readers that have the serving file open keep reading the version they opened (the rename swaps the
directory entry, not the bytes under them); new readers see the new version. Nobody sees half of one.

One publisher at a time (a lock beside the serving file says who holds it). `make publish` builds into a
copy of the build file made for this run, audits that copy and publishes that very file, so a build
started meanwhile cannot change what was audited; the DAG's publish refuses a build file that changed
since its audit. Every file copy is written to a temporary name, fsynced and renamed: a crash leaves the
old file or the new one, never a torn one, and rollback opens the previous version before it serves it.
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
from warehouse.locks import Busy, exclusive
from warehouse.quality import AuditReport, audit

log = logging.getLogger(__name__)
BUILD = Path(os.environ.get("MINZHENG_WAREHOUSE", REPO_ROOT / "warehouse" / "build" / "warehouse.duckdb"))
SERVING = Path(os.environ.get("MINZHENG_SERVING", REPO_ROOT / "warehouse" / "serving" / "warehouse.duckdb"))
RAW = Path(os.environ.get("MINZHENG_RAW_DIR", REPO_ROOT / "warehouse" / "raw"))
# dbt's docs site (lineage, model and column descriptions), one static page next to the Data Docs
DBT_DOCS = Path(os.environ.get("MINZHENG_DBT_DOCS",
                               REPO_ROOT / "expectations" / "gx" / "uncommitted" / "data_docs" / "dbt_docs"))


PUBLISH_LOCK_TIMEOUT = float(os.environ.get("MINZHENG_PUBLISH_LOCK_TIMEOUT", 30))


class NotServable(RuntimeError):
    """A file that is not a warehouse BI tools can read."""


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

    @property
    def lock(self) -> Path:
        return self.serving.with_name("publish.lock")

    def for_run(self) -> "Paths":
        """The same paths with a build file of this run's own (a copy of the shared one)."""
        return Paths(self.raw, self.build.with_name(f"{self.build.stem}.run-{os.getpid()}{self.build.suffix}"),
                     self.serving)


def build(paths: Paths, full_refresh: bool = False) -> None:
    result = run_dbt(["build", *(["--full-refresh"] if full_refresh else [])], paths.raw, paths.build)
    if result.returncode != 0:
        raise RuntimeError("dbt build failed:\n" + result.stdout[-4000:] + result.stderr[-2000:])


def build_fingerprint(path: Path) -> str:
    """What identifies one state of a build file: a publish checks the file is the one audited."""
    status = Path(path).stat()
    return f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"


def checkpoint(path: Path) -> None:
    con = duckdb.connect(str(path))  # fold any WAL into the file so one file is the whole warehouse
    con.execute("checkpoint")
    con.close()


def publish_candidate(paths: Paths, audited: str | None = None) -> Path:
    """Swap the audited candidate in. `audited` is its fingerprint at the audit: a file rebuilt since is refused."""
    with exclusive(paths.lock, "publishing", PUBLISH_LOCK_TIMEOUT):
        if audited is not None and build_fingerprint(paths.build) != audited:
            raise RuntimeError(f"{paths.build} changed after it was audited (another build ran): not published")
        return _swap_in(paths.build, paths)


def copy_durably(source: Path, target: Path) -> Path:
    """Copy to a temporary name beside the target, fsync, rename over it, fsync the folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(source, temporary)
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_folder(target.parent)
    return target


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def check_servable(path: Path) -> None:
    """The file opens as DuckDB and holds the fact table BI tools read."""
    if not path.exists() or path.stat().st_size == 0:
        raise NotServable(f"{path} is missing or empty")
    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            con.execute("select count(*) from marts.fct_indicator_values").fetchall()
        finally:
            con.close()
    except duckdb.Error as exc:
        raise NotServable(f"{path} is not a warehouse BI tools can read: {exc}") from exc


def _swap_in(source: Path, paths: Paths) -> Path:
    """Stage a copy of `source` beside the serving file, keep the current one as previous, rename over it."""
    if source == paths.build:
        checkpoint(source)
    staged = copy_durably(source, paths.serving.with_name(paths.serving.name + ".incoming"))
    check_servable(staged)
    if paths.serving.exists():
        copy_durably(paths.serving, paths.previous)
    os.replace(staged, paths.serving)
    _fsync_folder(paths.serving.parent)
    return paths.serving


def write_audit_publish(paths: Paths = Paths(), full_refresh: bool = False, build_first: bool = True) -> AuditReport:
    """Build into this run's own copy of the build file, audit that copy, publish it, then keep it as the
    build file the next incremental build starts from. One run at a time."""
    with exclusive(paths.lock.with_name("write-audit-publish.lock"), "make publish", PUBLISH_LOCK_TIMEOUT):
        run = paths.for_run() if build_first else paths
        try:
            if build_first:
                if paths.build.exists():
                    checkpoint(paths.build)
                    copy_durably(paths.build, run.build)
                build(run, full_refresh)
            report = audit(run.build, run.raw, serving_path=run.serving)
            log.info(report.summary())
            if not report.success:
                raise AuditFailed(report)
            publish_candidate(run)
            if run.build != paths.build:
                os.replace(run.build, paths.build)
        finally:
            if run.build != paths.build:
                run.build.unlink(missing_ok=True)
                Path(f"{run.build}.wal").unlink(missing_ok=True)
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
    """Put the previous published version back (the current one becomes the previous), once it is known to
    open and hold the marts."""
    with exclusive(paths.lock, "publishing", PUBLISH_LOCK_TIMEOUT):
        if not paths.previous.exists():
            raise NotServable(f"there is no previous version to roll back to ({paths.previous} does not exist): "
                              "a rollback needs two publishes")
        check_servable(paths.previous)
        return _swap_in(paths.previous, paths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warehouse.publish", description=__doc__)
    parser.add_argument("command", choices=["publish", "rollback"])
    parser.add_argument("--full-refresh", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.command == "rollback":
        try:
            print(f"rolled back: {rollback()}")
        except (NotServable, Busy) as problem:
            print(f"nothing rolled back: {problem}", file=sys.stderr)
            return 1
        serve_postgres(Paths())
        return 0
    try:
        report = write_audit_publish(full_refresh=args.full_refresh)
    except AuditFailed as failed:
        print(failed.report.summary(), file=sys.stderr)
        print("nothing published; the serving file is unchanged", file=sys.stderr)
        return 1
    except Busy as busy:
        print(f"nothing published: {busy}", file=sys.stderr)
        return 1
    print(report.summary())
    print(f"published {SERVING}; data docs: {report.data_docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
