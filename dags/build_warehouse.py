"""Warehouse DAG: on new raw documents, dbt builds the candidate (one Airflow task per model and its
tests, through Cosmos), Great Expectations audits it, and only then is it published for BI tools."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

from airflow.sdk import Asset, Param, dag, task, task_group
from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import ExecutionMode, InvocationMode, LoadMode

from warehouse.alerts import record_failure

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT = Path(os.environ.get("MINZHENG_DBT_PROJECT", REPO_ROOT / "dbt_project"))
RAW_DOCUMENTS = Asset("raw_documents")
SERVING = Asset("serving_warehouse")
DUCKDB_POOL = "duckdb"  # one slot: DuckDB takes one writer per file

DATA_DOCS = (REPO_ROOT / "expectations" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html").as_uri()
DOC_MD = """
### Build, audit and publish the warehouse

Runs when the ingest DAG updates the `raw_documents` Asset (or by hand; set `full_refresh` to rebuild
everything). **dbt_build** (Astronomer Cosmos, watcher mode): `dbt_producer_watcher` runs one `dbt build`
in the one-slot `duckdb` pool; every model, seed and its tests has a task that turns green or red as dbt
finishes that node, with the node's log. **audit**: Great Expectations checkpoints over raw, staging and marts
(Data Docs: [expectations/gx/uncommitted/data_docs/local_site/index.html]({data_docs})). **publish**: an atomic swap of
the audited candidate into `warehouse/serving/warehouse.duckdb`; a failed audit publishes nothing and the
task log names the failing expectations with example rows. **serve_postgres**: the published marts copied
into PostgreSQL schema `analytics` in one transaction (only when `MINZHENG_ANALYTICS_PG` is set).
**dbt_docs**: dbt's docs site for the published build ([lineage and column descriptions]({dbt_docs})).
Failures write an alert record to `.run/alerts.jsonl`.
""".format(data_docs=DATA_DOCS, dbt_docs=DATA_DOCS.replace("local_site/index.html", "dbt_docs/index.html"))

default_args = {
    "owner": "data-engineering",
    "retries": 1,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": True,
    "on_failure_callback": record_failure,
}

dbt_env = {
    "MINZHENG_RAW_DIR": os.environ.get("MINZHENG_RAW_DIR", str(REPO_ROOT / "warehouse" / "raw")),
    "MINZHENG_WAREHOUSE": os.environ.get("MINZHENG_WAREHOUSE",
                                         str(REPO_ROOT / "warehouse" / "build" / "warehouse.duckdb")),
    "PYTHONPATH": str(REPO_ROOT),
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
}


@dag(
    dag_id="build_warehouse",
    schedule=[RAW_DOCUMENTS],
    start_date=datetime(2025, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    doc_md=DOC_MD,
    tags=["warehouse", "dbt", "great_expectations", "minzheng"],
    params={"full_refresh": Param(False, type="boolean", description="rebuild incremental models from scratch")},
)
def build_warehouse():
    @task
    def prepare_build_dir() -> str:
        """dbt-duckdb creates the warehouse file, not the folder it lives in (a fresh machine has none)."""
        build_dir = Path(dbt_env["MINZHENG_WAREHOUSE"]).parent
        build_dir.mkdir(parents=True, exist_ok=True)
        return str(build_dir)

    dbt_build = DbtTaskGroup(
        group_id="dbt_build",
        project_config=ProjectConfig(
            dbt_project_path=DBT_PROJECT,
            manifest_path=DBT_PROJECT / "target" / "manifest.json",
            env_vars=dbt_env,
        ),
        profile_config=ProfileConfig(profile_name="minzheng", target_name="dev",
                                     profiles_yml_filepath=DBT_PROJECT / "profiles.yml"),
        # One `dbt build` (the producer task) runs the whole project; each model's and test's task watches
        # its node finish. A dbt process per task would cost ~8 s of dbt start-up each (52 tasks: ~8 min).
        # dbt in its own process: dbt-duckdb keeps the warehouse open for the life of the process it runs in.
        execution_config=ExecutionConfig(execution_mode=ExecutionMode.WATCHER,
                                         dbt_executable_path=str(REPO_ROOT / ".venv" / "bin" / "dbt"),
                                         invocation_mode=InvocationMode.SUBPROCESS),
        # tests of several models (relationships) stay inside the one `dbt build`: a task of their own would
        # start a second dbt process on the warehouse file
        render_config=RenderConfig(load_method=LoadMode.DBT_MANIFEST, emit_datasets=False),
        operator_args={"install_deps": False, "full_refresh": "{{ params.full_refresh }}"},
        tooltip="every dbt model and its tests, one task each",
    )
    # Only the producer writes the warehouse; the watching tasks wait outside the one-slot pool.
    dbt_build.children[f"{dbt_build.group_id}.dbt_producer_watcher"].pool = DUCKDB_POOL

    @task_group(tooltip="Great Expectations audit, then the atomic publish")
    def quality_gate():
        """### Audit and publish
        GX checkpoints on the candidate; publish only when all pass."""

        @task(pool=DUCKDB_POOL)
        def audit() -> dict:
            from warehouse.publish import AuditFailed, Paths, build_fingerprint, checkpoint
            from warehouse.quality import audit as run_audit

            paths = Paths()
            checkpoint(paths.build)  # the file audited is the file published, byte for byte
            report = run_audit(paths.build, paths.raw, serving_path=paths.serving)
            print(report.summary())
            if not report.success:
                raise AuditFailed(report)
            return {"row_counts": report.row_counts, "build": build_fingerprint(paths.build)}

        @task(pool=DUCKDB_POOL, outlets=[SERVING])
        def publish(audited: dict) -> str:
            from warehouse.publish import Paths, publish_candidate

            published = publish_candidate(Paths(), audited=audited["build"])
            print(f"published {published}: {audited['row_counts']}")
            return str(published)

        @task
        def serve_postgres(published: str) -> dict:
            """Copy the published marts into PostgreSQL schema `analytics` (skipped unless MINZHENG_ANALYTICS_PG)."""
            from airflow.exceptions import AirflowSkipException

            from warehouse.publish import Paths
            from warehouse.publish import serve_postgres as mirror

            counts = mirror(Paths())
            if counts is None:
                raise AirflowSkipException("MINZHENG_ANALYTICS_PG is not set: the DuckDB serving file is the only copy")
            return counts

        @task(pool=DUCKDB_POOL)
        def dbt_docs(published: str) -> str:
            """dbt's docs site for the published build (lineage, descriptions), next to the Data Docs."""
            from warehouse.publish import Paths, generate_dbt_docs

            page = generate_dbt_docs(Paths())
            print(f"dbt docs: {page.as_uri()}")
            return str(page)

        published = publish(audit())
        serve_postgres(published)
        dbt_docs(published)

    prepare_build_dir() >> dbt_build >> quality_gate()


build_warehouse()
