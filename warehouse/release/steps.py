"""Write-audit-publish, step by step: dbt builds the candidate warehouse (warehouse/build/), the quality gate
audits it, only a candidate that passes is published (warehouse/release/publish.py), then the published marts
are copied into PostgreSQL (when configured) and dbt's docs site is generated for them.

The DAG `build_warehouse` runs these steps one task each (its build is Cosmos' task group); `make publish`
runs them in the same order through write_audit_publish. Neither repeats what a step does.

A damaged serving file stops a publish before its build, in one line naming the command that repairs it. A
PostgreSQL copy that fails after the DuckDB publish raises PostgresBehind: DuckDB serves the new version,
PostgreSQL the one before, until `python -m warehouse.release copy-to-postgres` or the next publish.

The build is the core star schema (dbt selector `core`); an analyst's own models (selector `analyst`,
dbt_project/models/analyst/) are built after the core is published, into the build file, by
build_analyst_models: one that fails raises AnalystModelsFailed naming the model and dbt's error, and the core
is already published.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from warehouse.locks import exclusive
from warehouse.postgres import Unreachable
from warehouse.release.audit import AuditReport, audit
from warehouse.release.postgres_copy import copy_marts
from warehouse.release.publish import Paths, build_fingerprint, checkpoint, copy_durably, publish_candidate
from warehouse.release.servable import NotServable, check_servable, is_servable
from warehouse.settings import DBT_DOCS, PUBLISH_LOCK_TIMEOUT, analytics_pg_dsn
from warehouse.transform.dbt import dbt_failures, run_dbt

log = logging.getLogger(__name__)


class AuditFailed(RuntimeError):
    def __init__(self, report: AuditReport):
        super().__init__(report.summary())
        self.report = report


class PostgresBehind(RuntimeError):
    """The PostgreSQL copy was not made: PostgreSQL serves an older version than the DuckDB serving file."""

    def __init__(self, message: str, report: AuditReport | None = None):
        super().__init__(message)
        self.report = report


class AnalystModelsFailed(RuntimeError):
    """Analyst models that failed after the core was published: one line per failed node, dbt's message in it."""

    def __init__(self, failures: list[str]):
        super().__init__("analyst models failed (the core is published):\n" + "\n".join(failures))
        self.failures = failures


@dataclass(frozen=True)
class Audited:
    """A build that passed the audit: the report, and the fingerprint its publish checks the file against."""

    report: AuditReport
    fingerprint: str


CORE_SELECTOR = "core"  # dbt_project/selectors.yml: everything but the analysts' models
ANALYST_SELECTOR = "analyst"


def build(paths: Paths, full_refresh: bool = False) -> None:
    """`dbt build` of the candidate's core star schema (the DAG runs the same build through Cosmos, a task per
    node); analyst models are left to build_analyst_models, after the publish."""
    args = ["build", "--selector", CORE_SELECTOR, *(["--full-refresh"] if full_refresh else [])]
    with tempfile.TemporaryDirectory(prefix="dbt-build-") as work:
        result = run_dbt(args, paths.raw, paths.build, work)
        if result.returncode != 0:
            failed = "\n".join(dbt_failures(Path(work) / "dbt_target"))
            raise RuntimeError(f"dbt build failed:\n{failed}\n" + result.stdout[-4000:] + result.stderr[-2000:])


def build_analyst_models(paths: Paths) -> None:
    """`dbt build --selector analyst` into the build file, after the core's publish: the analysts' models read
    the core tables that were just published (the build file is the published file's twin until the next build)
    and land in its schema `analyst`. Raises AnalystModelsFailed, naming each failed node with dbt's message."""
    with tempfile.TemporaryDirectory(prefix="dbt-analyst-") as work:
        result = run_dbt(["build", "--selector", ANALYST_SELECTOR], paths.raw, paths.build, work)
        if result.returncode != 0:
            failures = dbt_failures(Path(work) / "dbt_target")
            raise AnalystModelsFailed(failures or [(result.stdout[-3000:] + result.stderr[-2000:]).strip()])


def check_serving(paths: Paths) -> None:
    """A serving file the audit and the publish may build on: absent, or whole. A damaged one raises NotServable
    in one line that says which command repairs it."""
    if not paths.serving.exists():
        return
    try:
        check_servable(paths.serving)
    except NotServable as damaged:
        if is_servable(paths.previous):
            repair = "`make rollback` puts the previous version back, then `make publish` works again"
        else:
            repair = (
                f"the previous version is no better: `mv {paths.serving} {paths.serving}.damaged` and "
                "`make publish` builds a new one"
            )
        raise NotServable(f"the serving file {damaged}; {repair}") from damaged


def audit_build(paths: Paths, run_name: str | None = None, serving_checked: bool = False) -> Audited:
    """Audit the candidate; raises AuditFailed (nothing is published) unless every expectation holds, and
    NotServable when the serving file it compares with is damaged. `run_name` names its validations in the Data
    Docs (the DAG gives its Airflow run id). The caller prints the report's summary (once: `make publish`'s
    output and the DAG's log each show it one time)."""
    if not serving_checked:
        check_serving(paths)
    checkpoint(paths.build)  # the file audited is the file published, byte for byte
    report = audit(paths.build, paths.raw, serving_path=paths.serving, run_name=run_name)
    if not report.success:
        raise AuditFailed(report)
    return Audited(report, build_fingerprint(paths.build))


def publish(paths: Paths, audited: Audited | str) -> Path:
    """Swap the audited candidate into the serving file; a candidate rebuilt since its audit is refused."""
    fingerprint = audited.fingerprint if isinstance(audited, Audited) else audited
    return publish_candidate(paths, audited=fingerprint)


def copy_to_postgres(paths: Paths) -> dict[str, int] | None:
    """The published marts copied into PostgreSQL schema `analytics`; None when MINZHENG_ANALYTICS_PG is unset.
    Raises PostgresBehind, in one line, when the copy is not made."""
    dsn = analytics_pg_dsn()
    if not dsn:
        return None
    import psycopg2

    try:
        return copy_marts(paths.serving, dsn)
    except Unreachable as down:
        raise PostgresBehind(str(down)) from down
    except psycopg2.Error as failed:
        first = str(failed).strip().splitlines()[0] if str(failed).strip() else type(failed).__name__
        raise PostgresBehind(f"the copy into PostgreSQL (MINZHENG_ANALYTICS_PG) failed: {first}") from failed


def generate_dbt_docs(paths: Paths, out_dir: Path = DBT_DOCS) -> Path:
    """`dbt docs generate --static` on the audited build: one self-contained index.html."""
    with tempfile.TemporaryDirectory(prefix="dbt-docs-") as work:
        result = run_dbt(["docs", "generate", "--static"], paths.raw, paths.build, work)
        if result.returncode != 0:
            raise RuntimeError("dbt docs generate failed:\n" + result.stdout[-3000:] + result.stderr[-2000:])
        out_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(work) / "dbt_target" / "static_index.html", out_dir / "index.html")
    return out_dir / "index.html"


def write_audit_publish(
    paths: Paths | None = None, full_refresh: bool = False, build_first: bool = True
) -> AuditReport:
    """Every step in order. The build goes into this run's own copy of the build file, which is audited,
    published, and then kept as the build file the next incremental build starts from. One run at a time."""
    paths = paths or Paths()
    with exclusive(paths.lock.with_name("write-audit-publish.lock"), "make publish", PUBLISH_LOCK_TIMEOUT):
        check_serving(paths)  # before the build: a damaged serving file would fail the audit after it
        run = paths.for_run() if build_first else paths
        try:
            if build_first:
                if paths.build.exists():
                    checkpoint(paths.build)
                    copy_durably(paths.build, run.build)
                build(run, full_refresh)
            audited = audit_build(run, serving_checked=True)
            publish(run, audited)
            if run.build != paths.build:
                os.replace(run.build, paths.build)
        finally:
            if run.build != paths.build:
                run.build.unlink(missing_ok=True)
                Path(f"{run.build}.wal").unlink(missing_ok=True)
    try:
        copy_to_postgres(paths)
    except PostgresBehind as behind:
        generate_dbt_docs(paths)  # the DuckDB version is published: its docs go with it
        raise PostgresBehind(str(behind), audited.report) from behind
    generate_dbt_docs(paths)
    return audited.report
