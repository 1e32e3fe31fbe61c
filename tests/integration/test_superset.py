"""A real BI tool on the warehouse: Apache Superset (its own venv, `make bi-install`) provisioned by
tools/superset_up.py against a freshly published serving file, and the dashboard 民政指标 opened in headless
Chromium with its charts rendered from data."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.conftest import screenshot_path
from warehouse.settings import REPO_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow]
BI_PYTHON = REPO_ROOT / ".venv-bi" / "bin" / "python"


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    if not BI_PYTHON.exists():
        pytest.skip("Superset's venv is missing: make bi-install")
    from scrapers.drop_folder import ingest_folder
    from tools.airflow_up import free_port
    from warehouse.landing.store import RawStore
    from warehouse.release.publish import Paths
    from warehouse.release.steps import write_audit_publish

    root = tmp_path_factory.mktemp("bi")
    docs = root / "docs"
    docs.mkdir()
    for path in (REPO_ROOT / "data" / "seeds").glob("*.txt"):
        shutil.copy(path, docs)
    ingest_folder(docs, RawStore(root / "raw"))
    paths = Paths(
        raw=root / "raw", build=root / "build" / "warehouse.duckdb", serving=root / "serving" / "warehouse.duckdb"
    )
    write_audit_publish(paths)
    port = free_port()
    process = subprocess.Popen(
        [
            str(BI_PYTHON),
            str(REPO_ROOT / "tools" / "superset_up.py"),
            "--home",
            str(root / "superset"),
            "--port",
            str(port),
            "--serving",
            str(paths.serving),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for line in process.stdout:  # prints the dashboard address once provisioned
            if line.startswith("Superset:"):
                break
        else:
            pytest.fail(f"superset_up.py exited with {process.wait()}; see {root / 'superset' / 'superset.log'}")
        password = json.loads((root / "superset" / "secrets.json").read_text())["admin_password"]
        yield f"http://127.0.0.1:{port}", password
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_the_dashboard_renders_its_charts_with_data(dashboard, chromium):
    url, password = dashboard
    page = chromium.new_page(viewport={"width": 1500, "height": 1500})
    page.goto(f"{url}/login/")
    page.fill("#username", "admin")
    page.fill("#password", password)
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    page.goto(f"{url}/superset/dashboard/minzheng/")
    page.wait_for_selector(".dashboard-chart canvas, .chart-container canvas", timeout=90_000)
    page.wait_for_selector("table tbody tr", timeout=90_000)
    page.wait_for_load_state("networkidle")
    text = page.inner_text("body")
    assert "民政指标" in text
    for title in ("低保标准（元/年）各地历年实际与目标", "目标与实际（目标完成度）", "指标事实与原文证据"):
        assert title in text
    assert "最低生活保障标准" in text and "舟山市" in text  # the attainment table
    assert "低保标准" in text and "元" in text  # evidence sentences
    assert page.locator("canvas").count() >= 1  # the ECharts line chart drew
    assert page.locator("table tbody tr").count() > 20
    assert not page.locator(".alert-danger, [data-test='error-tooltip']").count(), "a chart shows an error"
    page.screenshot(path=screenshot_path("superset-dashboard.png"), full_page=False)
    page.close()
