"""Warehouse DAG: on new raw documents, dbt builds the candidate (one Airflow task per model and its
tests, through Cosmos), Great Expectations audits it, and only then is it published for BI tools."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Param, dag, task, task_group
from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import PRODUCER_WATCHER_TASK_ID, ExecutionMode, InvocationMode, LoadMode

from dags.assets import RAW_DOCUMENTS, SERVING_WAREHOUSE, WAREHOUSE_AUDIT
from warehouse.alerts import record_failure, record_retry
from warehouse.build_trigger import build_decision, event_extras
from warehouse.settings import (
    BUILD_WAREHOUSE,
    DATA_DOCS_SITE,
    DBT_DOCS,
    DBT_EXECUTABLE,
    DBT_MANIFEST,
    DBT_PROFILES,
    DBT_PROJECT,
    RAW_DIR,
)
from warehouse.transform.dbt import dbt_variables, raw_snapshot_dir
from warehouse.transform.node_retry import wait_for_the_build

ANALYST_TAG = "analyst"  # dbt_project/models/analyst/: built after the core's publish, never blocking it
DUCKDB_POOL = "duckdb"  # one slot: DuckDB takes one writer per file
AUDIT_FIGURES = "audit_figures"  # the XCom the audit leaves for record_audit, passed or failed
DOC_MD = """
### Build, audit and publish the warehouse

Runs when the ingest DAG updates the `raw_documents` Asset (or by hand; set `full_refresh` to rebuild
everything). **new_documents**: a run whose ingest events all say no new document landed stops here, every task
skipped (a run by hand always builds). **dbt_build** (Astronomer Cosmos, watcher mode): `dbt_producer_watcher`
runs one `dbt build` of the core (every model not tagged `analyst`)
in the one-slot `duckdb` pool; every model, seed and its tests has a task that turns green
or red as dbt finishes that node, with the node's log; a red node's retry, once the build is over, runs that
node alone (the build is never run twice). **audit**: Great Expectations checkpoints over raw,
staging and marts (Data Docs: [expectations/gx/uncommitted/data_docs/local_site/index.html]({data_docs})).
**record_audit**: the `warehouse_audit` Asset event of every audit, passed or FAILED, with the failing
expectations and the documents behind them (Assets → warehouse_audit). **publish**: an atomic swap of the
audited candidate into `warehouse/serving/warehouse.duckdb`, whose `serving_warehouse` Asset event says what was
published; a failed audit publishes nothing. **copy_to_postgres**: the published marts copied into PostgreSQL
schema `analytics` in one transaction (only when `MINZHENG_ANALYTICS_PG` is set). **dbt_docs**: dbt's docs site
for the published build ([lineage and column descriptions]({dbt_docs})).
**source_freshness**: `dbt source freshness` on the raw layer beside the build (stale: a warning and an alert;
past `error_after`: red). **analyst_models**: after the publish, the analysts' own models
(`dbt_project/models/analyst/`): one that fails turns this task red and alerts, the core already published.
A task that fails for good writes one alert to `.run/alerts.jsonl` and sends it to `MINZHENG_ALERT_WEBHOOK` /
`MINZHENG_ALERT_EMAIL` when set, with the dbt or audit error.
""".format(data_docs=(DATA_DOCS_SITE / "index.html").as_uri(), dbt_docs=(DBT_DOCS / "index.html").as_uri())

default_args = {
    "owner": "data-engineering",
    "retries": 1,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": True,
    "on_failure_callback": record_failure,  # once, when a task fails for good: record and deliver
    "on_retry_callback": record_retry,  # a try that will be retried: recorded as such, not delivered
}


@task
def prepare_build_dir() -> str:
    """dbt-duckdb creates the warehouse file, not the folder it lives in (a fresh machine has none); the build
    reads a snapshot of the raw layer taken here, so crawls land while it runs."""
    from warehouse.landing.snapshot import take_snapshot

    BUILD_WAREHOUSE.parent.mkdir(parents=True, exist_ok=True)
    take_snapshot(RAW_DIR, raw_snapshot_dir(BUILD_WAREHOUSE))
    return str(BUILD_WAREHOUSE.parent)


@task(retries=0)
def source_freshness(*, run_id=None) -> dict:
    """`dbt source freshness` on the raw layer, beside the build (it never holds the build file): a raw table
    older than its warn_after is a warning in this log and an alert; an error_after exceeded fails this task."""
    from airflow.sdk.exceptions import AirflowFailException

    from warehouse.alerts import record_stale_sources
    from warehouse.transform.freshness import source_freshness as check

    freshness = check(RAW_DIR)
    print(freshness.summary())
    if freshness.errors:
        raise AirflowFailException(freshness.summary())
    if freshness.warnings:
        record_stale_sources(run_id, freshness.warnings)
    return {"fresh": freshness.passed, "stale": freshness.warnings}


@task(pool=DUCKDB_POOL, retries=0)
def analyst_models() -> str:
    """The analysts' own models (dbt_project/models/analyst/), after the core is published: a failure turns
    this task red and alerts with each failed model and dbt's error; the core stays published."""
    from airflow.sdk.exceptions import AirflowFailException

    from warehouse.release.publish import Paths
    from warehouse.release.steps import AnalystModelsFailed, build_analyst_models

    try:
        build_analyst_models(Paths())
    except AnalystModelsFailed as failed:
        raise AirflowFailException(str(failed)) from None  # the same SQL fails again: no retry
    return "analyst models built"


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
    @task.short_circuit
    def new_documents(*, triggering_asset_events=None, params=None) -> bool:
        """Skip the whole run (shown as skipped) when every ingest that triggered it landed no new document;
        a run by hand or a full refresh builds (warehouse/build_trigger.py decides)."""
        decision = build_decision(event_extras(triggering_asset_events), bool(params["full_refresh"]))
        print(decision.reason)
        return decision.build

    dbt_build = DbtTaskGroup(
        group_id="dbt_build",
        project_config=ProjectConfig(
            dbt_project_path=DBT_PROJECT,
            manifest_path=DBT_MANIFEST,
            env_vars=dbt_variables(raw_snapshot_dir(BUILD_WAREHOUSE), BUILD_WAREHOUSE),
        ),
        profile_config=ProfileConfig(profile_name="minzheng", target_name="dev", profiles_yml_filepath=DBT_PROFILES),
        # One `dbt build` (the producer task) runs the whole project; each model's and test's task watches
        # its node finish. A dbt process per task would pay dbt's start-up again in every task.
        # dbt in its own process: dbt-duckdb keeps the warehouse open for the life of the process it runs in.
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.WATCHER,
            dbt_executable_path=str(DBT_EXECUTABLE),
            invocation_mode=InvocationMode.SUBPROCESS,
        ),
        # tests of several models (relationships) stay inside the one `dbt build`: a task of their own would
        # start a second dbt process on the warehouse file
        # the core only (selector `core`): the analysts' models build after the publish, in analyst_models
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST, emit_datasets=False, exclude=[f"tag:{ANALYST_TAG}"]
        ),
        # a node's task retries that node alone, once the build is over (warehouse/transform/node_retry.py)
        operator_args={
            "install_deps": False,
            "full_refresh": "{{ params.full_refresh }}",
            "pre_execute": wait_for_the_build,
        },
        tooltip="every dbt model and its tests, one task each",
    )
    # Only the producer writes the warehouse; the watching tasks wait outside the one-slot pool.
    dbt_build.children[f"{dbt_build.group_id}.{PRODUCER_WATCHER_TASK_ID}"].pool = DUCKDB_POOL

    @task_group(tooltip="Great Expectations audit, then the atomic publish")
    def quality_gate():
        """### Audit and publish
        GX checkpoints on the candidate; publish only when all pass."""

        @task(pool=DUCKDB_POOL)
        def audit() -> dict:
            """A failed audit, or a damaged serving file, fails at once (the same file fails again: no retry); its
            figures and failing
            expectations, with the documents behind them, go to record_audit either way."""
            from airflow.sdk import get_current_context
            from airflow.sdk.exceptions import AirflowFailException

            from warehouse.release.publish import NotServable, Paths
            from warehouse.release.steps import AuditFailed, audit_build

            context = get_current_context()
            try:
                audited = audit_build(Paths(), run_name=context["run_id"])  # names the Data Docs pages
            except AuditFailed as failed:
                context["ti"].xcom_push(key=AUDIT_FIGURES, value=failed.report.figures())
                raise AirflowFailException(failed.report.summary()) from None
            except NotServable as damaged:  # a damaged serving file stays damaged until someone repairs it
                raise AirflowFailException(str(damaged)) from None
            print(audited.report.summary())
            figures = audited.report.figures()
            context["ti"].xcom_push(key=AUDIT_FIGURES, value=figures)
            return {"figures": figures, "build": audited.fingerprint}

        @task(trigger_rule="all_done", outlets=[WAREHOUSE_AUDIT])
        def record_audit(*, outlet_events=None, ti=None) -> dict:
            """The warehouse_audit Asset event: passed or FAILED, and for a failure which expectations failed
            in which documents, readable in the Assets view without opening a log."""
            from airflow.sdk.exceptions import AirflowSkipException

            figures = ti.xcom_pull(task_ids="quality_gate.audit", key=AUDIT_FIGURES)
            if figures is None:
                raise AirflowSkipException("the audit did not run to a verdict: see its log")
            outlet_events[WAREHOUSE_AUDIT].extra = figures
            return figures

        @task(pool=DUCKDB_POOL, outlets=[SERVING_WAREHOUSE])
        def publish(audited: dict, *, outlet_events=None) -> str:
            """The Asset event says what was published: facts, documents, expectations evaluated and failed."""
            from warehouse.release.publish import Paths
            from warehouse.release.steps import publish as publish_step

            published = publish_step(Paths(), audited["build"])
            outlet_events[SERVING_WAREHOUSE].extra = {**audited["figures"], "serving_file": str(published)}
            print(f"published {published}: {audited['figures']}")
            return str(published)

        @task
        def copy_to_postgres(published: str) -> dict:
            """Copy the published marts into PostgreSQL schema `analytics` (skipped unless MINZHENG_ANALYTICS_PG)."""
            from airflow.exceptions import AirflowSkipException

            from warehouse.release.publish import Paths
            from warehouse.release.steps import copy_to_postgres as copy_step

            counts = copy_step(Paths())
            if counts is None:
                raise AirflowSkipException("MINZHENG_ANALYTICS_PG is not set: the DuckDB serving file is the only copy")
            return counts

        @task(pool=DUCKDB_POOL)
        def dbt_docs(published: str) -> str:
            """dbt's docs site for the published build (lineage, descriptions), next to the Data Docs."""
            from warehouse.release.publish import Paths
            from warehouse.release.steps import generate_dbt_docs

            page = generate_dbt_docs(Paths())
            print(f"dbt docs: {page.as_uri()}")
            return str(page)

        audited = audit()
        audited >> record_audit()
        published = publish(audited)
        copy_to_postgres(published)
        dbt_docs(published)

    gate = quality_gate()
    prepared = new_documents() >> prepare_build_dir()
    prepared >> source_freshness()
    prepared >> dbt_build >> gate
    gate.children[f"{gate.group_id}.publish"] >> analyst_models()


build_warehouse()
