"""The pipeline as a data engineer sees it: Airflow started for real (api-server, scheduler, dag-processor,
triggerer), ingest triggered through the REST API, the warehouse build started by the `raw_documents`
Asset, and the Airflow UI in headless Chromium showing the runs, the Cosmos task group and the GX audit green.

Runs once with the embedded SQLite metadata database and once with PostgreSQL when it answers on
127.0.0.1:5432 (skipped with the reason otherwise)."""

from __future__ import annotations

import json
import re
from contextlib import ExitStack

import pytest

from tests.airflow.conftest import temporary_postgres_database
from tests.conftest import screenshot_path
from tools.scratch_pipeline import BUILD, INGEST, scratch_pipeline, serving_has

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def pipeline(request, tmp_path_factory):
    with ExitStack() as stack:
        metadata_url = None
        if request.param == "postgres":  # skips the tests when PostgreSQL is down
            metadata_url = stack.enter_context(temporary_postgres_database())
        root = tmp_path_factory.mktemp(f"pipeline-{request.param}")
        running = stack.enter_context(scratch_pipeline(root, metadata_url=metadata_url))
        ingest, build = running.ingest_then_build()
        yield running, ingest, build


def test_ingest_starts_the_warehouse_build_and_both_succeed(pipeline):
    running, ingest, build = pipeline
    client = running.client
    assert ingest["state"] == "success", client.task_states(INGEST, ingest["dag_run_id"])
    assert build["state"] == "success", client.task_states(BUILD, build["dag_run_id"])
    assert build["run_type"] == "asset_triggered"
    tasks = client.task_instances(BUILD, build["dag_run_id"])
    assert {ti["state"] for ti in tasks} == {"success"}
    by_id = {ti["task_id"]: ti for ti in tasks}
    # every model and its tests is a task; only the one dbt build and the GX tasks take the DuckDB slot
    assert {"dbt_build.fct_indicator_values.run", "dbt_build.fct_indicator_values.test",
            "dbt_build.int_number_mentions_extracted.run", "quality_gate.audit", "quality_gate.publish"} <= set(by_id)
    assert by_id["dbt_build.dbt_producer_watcher"]["pool"] == "duckdb"
    assert by_id["quality_gate.publish"]["pool"] == "duckdb"
    assert serving_has(running.serving, "select 1 from marts.indicator_facts where region = '舟山市' and "
                                        "indicator_code = 'dibao_standard' and period = '2025' and value = 14000")
    assert not (running.root / "alerts.jsonl").exists()


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
    running, ingest, build = pipeline
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
    grid = page.inner_text("body")  # the task list is virtualised: only the rows on screen are in the page
    for task in ("dbt_producer_watcher", "stg_raw__documents", "int_regions_flattened"):
        assert task in grid
    page.screenshot(path=screenshot_path("airflow-build-warehouse-grid.png"))

    page.goto(f"{running.stack.url}/dags/{BUILD}/runs/{run_id}/tasks/group/dbt_build")
    page.wait_for_load_state("networkidle")
    page.get_by_text("Total Success").wait_for()
    group = page.inner_text("body")
    assert re.search(r"\d+ Task Instances", group) and "dbt_build." in group

    page.goto(f"{running.stack.url}/dags/{BUILD}/runs/{run_id}/tasks/quality_gate.audit")
    page.wait_for_load_state("networkidle")
    page.get_by_text("audit passed").first.wait_for(timeout=30_000)
    assert "Success" in page.inner_text("body")
    page.screenshot(path=screenshot_path("airflow-audit-task.png"))
    page.close()


def test_dag_docs_link_the_data_docs(pipeline):
    running, _, _ = pipeline
    doc_md = running.client._call("GET", f"/dags/{BUILD}/details")["doc_md"]
    assert "data_docs/local_site/index.html" in doc_md
    assert json.dumps(doc_md)  # rendered by the UI's "Dag Docs" button
