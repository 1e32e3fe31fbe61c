"""The pipeline as a data engineer sees it: Airflow started for real (api-server, scheduler, dag-processor,
triggerer), ingest triggered through the REST API, the warehouse build started by the `raw_documents`
Asset, and the Airflow UI in headless Chromium showing the runs, the Cosmos task group and the GX audit green.

Runs once with the embedded SQLite metadata database and the LocalExecutor, and once distributed: PostgreSQL
metadata and the CeleryExecutor with two Celery workers (Redis broker; the LocalExecutor when Redis is down),
skipped with the reason when PostgreSQL is not on 127.0.0.1. Every check below runs on both; the distributed
run also checks that both workers did the work. The SQLite run also plays an analyst: its dbt project is a copy
with one new mart added (YAML and SQL only), which must appear as its own task and in the serving file."""

from __future__ import annotations

import hashlib
import json
import re
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.airflow.conftest import temporary_postgres_database
from tests.conftest import screenshot_path
from tests.harness.scratch_pipeline import BUILD, INGEST, scratch_pipeline, serving_has
from tests.harness.services import redis_unreachable
from tests.harness.webhook import webhook_receiver
from tools.airflow_up import tasks_received
from warehouse.postgres import libpq_dsn

pytestmark = [pytest.mark.integration, pytest.mark.slow]


CELERY_WORKERS = 2
SQLITE, POSTGRES = "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)
# the tests of one run only take that run of the module's pipeline (not a skip in the other)
ONLY_SQLITE = pytest.mark.parametrize("pipeline", [SQLITE], indirect=True)
ONLY_POSTGRES = pytest.mark.parametrize("pipeline", [POSTGRES], indirect=True)


@pytest.fixture(scope="module", params=[SQLITE, POSTGRES])
def pipeline(request, tmp_path_factory):
    """One Airflow started and one ingest and build run per metadata database, for every test of the module:
    SQLite with the LocalExecutor; PostgreSQL with the CeleryExecutor (one start of Airflow serves what were
    the PostgreSQL run and the distributed test: a full pipeline run fewer), or with the LocalExecutor when
    Redis is down."""
    with ExitStack() as stack:
        metadata_url = None
        if request.param == "postgres":  # skips the tests when PostgreSQL is down
            metadata_url = stack.enter_context(temporary_postgres_database())
        root = tmp_path_factory.mktemp(f"pipeline-{request.param}")
        extra_env = {}
        if metadata_url:  # the DAG's copy_to_postgres task copies the marts into this database's `analytics`
            extra_env["MINZHENG_ANALYTICS_PG"] = libpq_dsn(metadata_url.rsplit("/", 1)[1])
            extra_env["MINZHENG_BI_ROLE"] = f"bi_reader_{metadata_url.rsplit('_', 1)[1]}"
        if request.param == "sqlite":
            extra_env["MINZHENG_DBT_PROJECT"] = str(_analysts_project(root / "dbt_project"))
            # the failure callbacks POST here (test_a_broken_analyst_model_...)
            extra_env["MINZHENG_ALERT_WEBHOOK"], running_webhook = stack.enter_context(webhook_receiver())
        # Redis down: the PostgreSQL run keeps the LocalExecutor, and only the Celery test skips
        workers = CELERY_WORKERS if metadata_url and not redis_unreachable() else 0
        running = stack.enter_context(
            scratch_pipeline(root, metadata_url=metadata_url, extra_env=extra_env, celery_workers=workers)
        )
        ingest, build = running.ingest_then_build()
        if request.param == "sqlite":
            running.webhook = running_webhook
        yield running, ingest, build


ANALYST_MART = """
with facts as (
    select * from {{ ref('fct_indicator_values') }}
),

regions as (
    select * from {{ ref('dim_region') }}
)

select
    facts.region_name,
    facts.period_id,
    facts.value_type,
    max(facts.value) as eco_burial_rate
from facts
inner join regions using (region_name)
where facts.indicator_code = 'eco_burial_rate' and regions.level = 'city'
group by 1, 2, 3
"""

ANALYST_YAML = """
version: 2
models:
- name: mart_eco_burial_by_city
  description: Eco-burial rate (节地生态安葬率) per city, period and value type.
  config:
    contract:
      enforced: true
  columns:
  - name: region_name
    data_type: varchar
    description: City.
    data_tests: [not_null]
  - name: period_id
    data_type: varchar
    description: YYYY or YYYYH1.
  - name: value_type
    data_type: varchar
    description: actual or target.
  - name: eco_burial_rate
    data_type: double
    description: Per cent of burials that are eco burials.
"""


def _analysts_project(target):
    """A copy of the dbt project with one mart added the way docs/analyst-guide.md says, and parsed."""
    import shutil

    from warehouse.settings import DBT_EXECUTABLE as DBT
    from warehouse.settings import REPO_ROOT
    from warehouse.transform.dbt import dbt_env

    shutil.copytree(REPO_ROOT / "dbt_project", target, ignore=shutil.ignore_patterns("target", "logs"))
    (target / "models" / "marts" / "mart_eco_burial_by_city.sql").write_text(ANALYST_MART, encoding="utf-8")
    (target / "models" / "marts" / "_analyst__models.yml").write_text(ANALYST_YAML, encoding="utf-8")
    import subprocess

    parsed = subprocess.run(
        [str(DBT), "--quiet", "parse", "--project-dir", str(target), "--profiles-dir", str(target)],
        env=dbt_env(target / "raw-unused", target / "unused.duckdb"),
        capture_output=True,
        text=True,
        cwd=target,
    )
    assert parsed.returncode == 0, parsed.stdout[-2000:]
    return target


def test_ingest_starts_the_warehouse_build_and_both_succeed(pipeline):
    running, ingest, build = pipeline
    client = running.client
    assert ingest["state"] == "success", client.task_states(INGEST, ingest["dag_run_id"])
    assert build["state"] == "success", client.task_states(BUILD, build["dag_run_id"])
    assert build["run_type"] == "asset_triggered"
    tasks = client.task_instances(BUILD, build["dag_run_id"])
    by_id = {ti["task_id"]: ti for ti in tasks}
    copy_to_postgres = by_id.pop("quality_gate.copy_to_postgres")["state"]
    assert {ti["state"] for ti in by_id.values()} == {"success"}
    assert copy_to_postgres == ("success" if "MINZHENG_ANALYTICS_PG" in running.env else "skipped")
    # every model and its tests is a task; only the one dbt build and the GX tasks take the DuckDB slot
    assert {
        "dbt_build.fct_indicator_values.run",
        "dbt_build.fct_indicator_values.test",
        "dbt_build.int_number_mentions_extracted.run",
        "quality_gate.audit",
        "quality_gate.record_audit",
        "quality_gate.publish",
    } <= set(by_id)
    assert by_id["dbt_build.dbt_producer_watcher"]["pool"] == "duckdb"
    assert by_id["quality_gate.publish"]["pool"] == "duckdb"
    assert serving_has(
        running.serving,
        "select 1 from marts.indicator_facts where region = '舟山市' and "
        "indicator_code = 'dibao_standard' and period = '2025' and value = 14000",
    )
    assert not (running.root / "alerts.jsonl").exists()
    # what each run did, without opening a log: the extra of the Asset events it emitted
    raw = client.asset_events(INGEST, ingest["dag_run_id"])["raw_documents"]
    assert raw["sources_crawled"] >= 5 and raw["documents_added"] > 0 and "quarantined" in raw
    events = client.asset_events(BUILD, build["dag_run_id"])
    served = events["serving_warehouse"]
    assert served["facts_published"] > 100 and served["documents_published"] > 0
    assert served["documents_new"] == served["documents_published"]  # a first publish: every document is new
    assert served["expectations_evaluated"] > 20 and served["expectations_failed"] == 0
    assert served["serving_file"].endswith("warehouse.duckdb")
    assert events["warehouse_audit"]["audit"] == "passed" and "failed_expectations" not in events["warehouse_audit"]
    # the audit's Data Docs pages are named by the Airflow run and by the table they validated
    from warehouse.settings import DATA_DOCS_SITE

    [page] = (DATA_DOCS_SITE / "validations" / "marts_facts" / build["dag_run_id"]).glob("*/*.html")
    assert "Data asset: marts.fct_indicator_values" in re.sub(r"<[^>]+>|\s+", " ", page.read_text(encoding="utf-8"))
    if "MINZHENG_ANALYTICS_PG" in running.env:
        import psycopg2

        con = psycopg2.connect(running.env["MINZHENG_ANALYTICS_PG"] + f" user={running.env['MINZHENG_BI_ROLE']}")
        try:
            with con.cursor() as cursor:
                cursor.execute("select count(*) from analytics.indicator_facts where region = '舟山市'")
                assert cursor.fetchall()[0][0] > 10
        finally:
            con.close()


def _log_in(page, running) -> None:
    page.goto(running.stack.url)
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", running.password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(running.stack.url) + r"/?$"))


def _is_green(css_color: str) -> bool:
    """Airflow paints success badges green: oklch(L C H) with a hue near 150, or rgb with green on top."""
    oklch = re.match(r"oklch\(([\d.]+) ([\d.]+) ([\d.]+)", css_color)
    if oklch:
        return 120 <= float(oklch.group(3)) <= 165 and float(oklch.group(2)) > 0.05
    r, g, b = (float(x) for x in re.findall(r"[\d.]+", css_color)[:3])
    return g > r and g > b


def test_the_ui_shows_the_runs_the_cosmos_group_and_the_audit_green(pipeline, chromium):
    running, _, build = pipeline
    run_id = build["dag_run_id"]
    page = chromium.new_page(viewport={"width": 1500, "height": 1100})
    _log_in(page, running)

    page.goto(f"{running.stack.url}/dags/{INGEST}")
    page.wait_for_load_state("networkidle")
    assert "ingest_disclosure_sites" in page.inner_text("body")
    page.screenshot(path=screenshot_path("airflow-ingest-dag.png"))

    page.goto(f"{running.stack.url}/dags/{BUILD}")
    page.wait_for_load_state("networkidle")
    for cell in ("prepare_build_dir", "dbt_build", "quality_gate"):  # groups collapsed: one row each
        badge = page.locator(f'[data-testid="grid-{run_id}-{cell}"] [data-testid=task-state-badge]')
        color = badge.evaluate("element => getComputedStyle(element).backgroundColor")
        assert _is_green(color), f"{cell} badge is {color}"
    page.click("[data-testid=expand-all-button]")
    page.get_by_text("dbt_producer_watcher").first.wait_for()
    # the task list is virtualised: only the rows on screen are in the page, so the models' tasks further down
    # are checked through the REST API the grid reads
    assert "dbt_producer_watcher" in page.inner_text("body")
    states = running.client.task_states(BUILD, run_id)
    for model in ("stg_raw__documents", "stg_gbt2260__regions"):  # a task of its run (and one of its tests)
        tasks = {task: state for task, state in states.items() if task.startswith(f"dbt_build.{model}")}
        assert tasks and set(tasks.values()) == {"success"}, (model, tasks)
    page.screenshot(path=screenshot_path("airflow-build-warehouse-grid.png"))

    page.goto(f"{running.stack.url}/dags/{BUILD}/runs/{run_id}/tasks/group/dbt_build")
    page.wait_for_load_state("networkidle")
    page.get_by_text("Total Success").wait_for()
    group = page.inner_text("body")
    assert re.search(r"\d+ Task Instances", group) and "dbt_build." in group

    page.goto(f"{running.stack.url}/dags/{BUILD}/runs/{run_id}/tasks/quality_gate.audit")
    page.wait_for_load_state("networkidle")
    page.get_by_text("Logs").first.wait_for()
    assert "Success" in page.inner_text("body")
    page.screenshot(path=screenshot_path("airflow-audit-task.png"))
    page.close()
    # the log viewer renders only the lines on screen; what it shows comes from this endpoint
    audit = next(ti for ti in running.client.task_instances(BUILD, run_id) if ti["task_id"] == "quality_gate.audit")
    log = running.client.session.get(
        f"{running.stack.url}/api/v2/dags/{BUILD}/dagRuns/{run_id}/taskInstances/quality_gate.audit/logs/"
        f"{audit['try_number']}",
        headers={"Accept": "application/json"},
        timeout=60,
    )
    assert log.status_code == 200 and "audit passed" in log.text


@ONLY_SQLITE  # the analyst's model is added in the SQLite run only
def test_an_analysts_new_mart_is_a_task_and_reaches_the_serving_file(pipeline):
    running, _, build = pipeline
    states = running.client.task_states(BUILD, build["dag_run_id"])
    assert states["dbt_build.mart_eco_burial_by_city.run"] == "success"
    assert states["dbt_build.mart_eco_burial_by_city.test"] == "success"
    assert serving_has(
        running.serving,
        "select 1 from marts.mart_eco_burial_by_city where region_name = '舟山市' "
        "and period_id = '2020' and value_type = 'actual' and eco_burial_rate = 58",
    )


def test_dag_docs_link_the_data_docs(pipeline):
    running, _, _ = pipeline
    doc_md = running.client._call("GET", f"/dags/{BUILD}/details")["doc_md"]
    assert "data_docs/local_site/index.html" in doc_md
    assert json.dumps(doc_md)  # rendered by the UI's "Dag Docs" button


def _newest_asset_event(page, running, name: str) -> str:
    """Open the asset's page in the Assets view and unfold the newest event's extra (a folded JSON editor);
    returns the JSON as the page shows it."""
    [asset] = running.client._call("GET", "/assets", params={"name_pattern": name})["assets"]
    page.goto(f"{running.stack.url}/assets/{asset['id']}")
    page.wait_for_load_state("networkidle")
    newest = page.locator(".monaco-editor").first
    newest.wait_for()
    newest.locator(".view-lines").click()
    page.keyboard.press("Control+K")  # Monaco's Unfold All: the fold markers of lines off screen are not drawn
    page.keyboard.press("Control+J")
    page.keyboard.press("Control+Home")
    # the editor draws only the lines in its window: page through it, keeping each line by its offset
    lines: dict[float, str] = {}
    unchanged = 0
    while unchanged < 2:  # pages that draw no new line: the end
        page.wait_for_timeout(100)
        drawn = newest.locator(".view-line").evaluate_all("lines => lines.map(l => [l.style.top, l.innerText])")
        known = len(lines)
        lines.update((float(top.removesuffix("px")), text) for top, text in drawn)
        unchanged = unchanged + 1 if len(lines) == known else 0
        page.keyboard.press("PageDown")
    page.keyboard.press("Control+Home")  # the top of the event for the screenshot
    page.wait_for_timeout(100)
    return "\n".join(text for _, text in sorted(lines.items()))


def _unwrapped(text: str) -> str:
    """The editor wraps long lines; compare without whitespace."""
    return re.sub(r"\s+", "", text)


def test_the_assets_view_shows_what_the_build_published(pipeline, chromium):
    running, _, build = pipeline
    page = chromium.new_page(viewport={"width": 1500, "height": 1100})
    _log_in(page, running)
    served = running.client.asset_events(BUILD, build["dag_run_id"])["serving_warehouse"]
    shown = _unwrapped(_newest_asset_event(page, running, "serving_warehouse"))
    for key in ("facts_published", "documents_new", "expectations_evaluated", "expectations_failed"):
        assert f'"{key}":{served[key]}' in shown, (key, shown)
    page.screenshot(path=screenshot_path("airflow-asset-serving-warehouse.png"))
    page.close()


MISDATED_TITLE = "关于养老服务补贴发放情况的公告（日期录入错误）"


@ONLY_SQLITE  # the analyst's model is added in the SQLite run only; before the failed audit's run below
def test_a_broken_analyst_model_is_red_and_alerted_while_the_core_publishes(pipeline, chromium):
    """An analyst's model with an SQL error lands in models/analyst/ of the running project: the next build
    publishes the core, `analyst_models` fails (once, no retry) and its alert, POSTed by Airflow's failure
    callback to the webhook, names the model and dbt's error."""
    running, _, _ = pipeline
    project = Path(running.env["MINZHENG_DBT_PROJECT"])
    broken = project / "models" / "analyst" / "analyst_broken_mart.sql"
    broken.parent.mkdir(exist_ok=True)
    broken.write_text("select indicator_code, no_such_column from {{ ref('fct_indicator_values') }}\n")
    before = hashlib.sha256(running.serving.read_bytes()).hexdigest()
    run = running.client.wait_for_run(BUILD, running.client.trigger(BUILD))
    states = running.client.task_states(BUILD, run["dag_run_id"])
    assert run["state"] == "failed", states
    assert states["analyst_models"] == "failed", states
    assert states["quality_gate.publish"] == "success" and states["quality_gate.audit"] == "success"
    assert hashlib.sha256(running.serving.read_bytes()).hexdigest() != before  # the core was published again
    assert serving_has(running.serving, "select 1 from marts.fct_indicator_values limit 1")
    [alert] = [posted for posted in running.webhook if posted.get("task_id") == "analyst_models"]
    assert alert["run_id"] == run["dag_run_id"] and alert["try_number"] == 1 and alert["final"] is True
    assert "model.minzheng.analyst_broken_mart" in alert["error"] and "no_such_column" in alert["error"]
    assert alert["log_url"] and "analyst_models" in alert["log_url"]

    # the run's note (set by the scheduler, plugins/run_notes.py): the audit's verdict and the failed task
    assert run["note"].startswith("**Audit passed**") and "**Failed tasks**: analyst_models" in run["note"]

    page = chromium.new_page(viewport={"width": 1500, "height": 1100})
    _log_in(page, running)
    page.goto(f"{running.stack.url}/dags/{BUILD}/runs/{run['dag_run_id']}")
    page.wait_for_load_state("networkidle")
    page.get_by_text("Audit passed").first.wait_for()
    assert "analyst_models" in page.inner_text("body")
    page.screenshot(path=screenshot_path("airflow-run-analyst-model-failed.png"))
    page.close()
    broken.unlink()  # the failed audit's run below is about the audit


def _land_misdated_document(raw_dir) -> None:
    """A page whose publication date was mistyped into the future, landed as the crawler landed pages before the
    landing checks."""
    from tests.old_raw_layer import land_unchecked
    from warehouse.landing.records import DocumentRecord, ParsedDocument
    from warehouse.landing.store import RawStore

    text = "本季度共发放养老服务补贴1200万元，惠及老年人3.1万人。"
    parsed = ParsedDocument(format="html", text=text, title=MISDATED_TITLE, published_at="2096-03-01")
    # the writer refuses a future date since the landing checks: landed as code before them landed it
    record = DocumentRecord(
        run_id="misdated",
        source_id="zhoushan_mirror",
        document_key="zhoushan_mirror:/misdated.html",
        kind="article",
        body=text.encode(),
        parsed=parsed,
        url="http://127.0.0.1/misdated.html",
        encoding="utf-8",
    )
    land_unchecked(RawStore(raw_dir), record)


@ONLY_SQLITE  # the failed audit is played in the SQLite run only
def test_a_failed_audit_names_the_failing_expectation_and_the_document_in_the_assets_view(pipeline, chromium):
    running, _, _ = pipeline
    before = hashlib.sha256(running.serving.read_bytes()).hexdigest()
    _land_misdated_document(running.env["MINZHENG_RAW_DIR"])
    run = running.client.wait_for_run(BUILD, running.client.trigger(BUILD))
    states = running.client.task_states(BUILD, run["dag_run_id"])
    assert run["state"] == "failed", states
    assert states["quality_gate.audit"] == "failed" and states["quality_gate.publish"] == "upstream_failed"
    assert states["quality_gate.record_audit"] == "success"
    [audit] = [
        ti for ti in running.client.task_instances(BUILD, run["dag_run_id"]) if ti["task_id"] == "quality_gate.audit"
    ]
    assert audit["try_number"] == 1  # the same file fails again: no retry
    assert run["note"].startswith("**Audit FAILED**") and "days_published_in_future" in run["note"]
    assert hashlib.sha256(running.serving.read_bytes()).hexdigest() == before  # nothing published

    verdict = running.client.asset_events(BUILD, run["dag_run_id"])["warehouse_audit"]
    assert verdict["audit"] == "FAILED" and verdict["expectations_failed"] >= 1
    [misdated] = [f for f in verdict["failed_expectations"] if f["column"] == "days_published_in_future"]
    assert misdated["suite"] == "raw_documents" and misdated["unexpected_rows"] == 1
    assert misdated["documents"] == [f"{MISDATED_TITLE} (zhoushan_mirror:/misdated.html)"]

    page = chromium.new_page(viewport={"width": 1500, "height": 1100})
    _log_in(page, running)
    shown = _unwrapped(_newest_asset_event(page, running, "warehouse_audit"))
    assert '"audit":"FAILED"' in shown and '"column":"days_published_in_future"' in shown, shown
    assert _unwrapped(MISDATED_TITLE) in shown
    page.screenshot(path=screenshot_path("airflow-asset-audit-failed.png"))
    page.close()


@ONLY_POSTGRES  # the CeleryExecutor runs with PostgreSQL metadata only
def test_ingest_and_warehouse_run_on_two_celery_workers(pipeline):
    """The same pipeline, unchanged, on Airflow's CeleryExecutor: Redis broker, PostgreSQL metadata and result
    backend, two Celery workers, each of which ran part of the work (was tests/airflow/test_distributed.py)."""
    running, ingest, build = pipeline
    if running.env.get("AIRFLOW__CORE__EXECUTOR") != "CeleryExecutor":
        pytest.skip(redis_unreachable() or "the PostgreSQL run did not start Celery workers")
    assert ingest["state"] == "success", running.client.task_states(INGEST, ingest["dag_run_id"])
    assert build["state"] == "success", running.client.task_states(BUILD, build["dag_run_id"])
    tasks = running.client.task_instances(INGEST, ingest["dag_run_id"]) + running.client.task_instances(
        BUILD, build["dag_run_id"]
    )
    assert {ti["executor"] or "CeleryExecutor" for ti in tasks} == {"CeleryExecutor"}
    assert serving_has(running.serving, "select 1 from marts.indicator_facts where region = '舟山市'")
    received = tasks_received(running.root / "logs", CELERY_WORKERS)
    ran = sum(1 for ti in tasks if ti["state"] == "success")
    assert sum(received.values()) >= ran, received
    assert all(count > 0 for count in received.values()), f"one worker did all the work: {received}"
