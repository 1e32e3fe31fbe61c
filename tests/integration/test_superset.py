"""A real BI tool on the warehouse: Apache Superset (its own venv, `make bi-install`) provisioned by
tools/superset_up.py against a warehouse built from everything the mirror serves (the seed bureaus and the
corpus portals: many regions and years), and the dashboard 民政指标 opened in headless Chromium — each chart
drawn from data, and a native filter changing what the charts show. Page load times go to
.run/figures/superset_dashboard.json (docs/bi.md quotes them)."""

from __future__ import annotations

import json
import os
import subprocess
import time
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest

from tests.conftest import figures_path, running_mirror, screenshot_path
from warehouse.settings import REPO_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow]
BI_PYTHON = REPO_ROOT / ".venv-bi" / "bin" / "python"
CHART_TITLES = {
    "map": "各省最新值（所选指标）",
    "series": "各地历年实际值（两年以上的地区）",
    "targets": "目标与其后的实际值（完成度）",
    "facts": "指标事实与原文证据",
}
OTHER_INDICATOR = "tekun_recipients"  # the filter test switches to it: several provinces report it


def indicator_names(serving) -> dict[str, str]:
    con = duckdb.connect(str(serving), read_only=True)
    try:
        return dict(con.execute("select indicator_code, name_zh from marts.dim_indicator").fetchall())
    finally:
        con.close()


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    if not BI_PYTHON.exists():
        pytest.skip("Superset's venv is missing: make bi-install")
    from scrapers.ingest import crawl_source
    from scrapers.registry import enabled_sources
    from tools.airflow_up import free_port
    from warehouse.landing.store import RawStore
    from warehouse.release.publish import Paths
    from warehouse.release.steps import write_audit_publish

    root = tmp_path_factory.mktemp("bi")
    store = RawStore(root / "raw")
    with running_mirror():
        for source in enabled_sources():
            crawl_source(source, store)
    paths = Paths(
        raw=root / "raw", build=root / "build" / "warehouse.duckdb", serving=root / "serving" / "warehouse.duckdb"
    )
    write_audit_publish(paths)
    port = free_port()
    command = [str(BI_PYTHON), "-m", "tools.superset_up", "--home", str(root / "superset"), "--port", str(port)]
    command += ["--serving", str(paths.serving)]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    # `make bi` twice: provisioned once and stopped, then started again and provisioned over what is there
    first = subprocess.run([*command, "--provision-only"], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        for line in process.stdout:  # prints the dashboard address once provisioned
            if line.startswith("Superset:"):
                break
        else:
            pytest.fail(f"superset_up exited with {process.wait()}; see {root / 'superset' / 'superset.log'}")
        password = json.loads((root / "superset" / "secrets.json").read_text())["admin_password"]
        yield f"http://127.0.0.1:{port}", password, indicator_names(paths.serving)
    finally:
        process.terminate()
        process.wait(timeout=60)


class ChartData:
    """The rows each chart's data request returned, by chart id, as the browser received them."""

    def __init__(self, page):
        self.rows: dict[int, list] = {}
        page.on("response", self._seen)

    def _seen(self, response) -> None:
        """ECharts and table charts ask /api/v1/chart/data; the legacy country map /superset/explore_json/."""
        if response.request.method != "POST":
            return
        try:
            if "/api/v1/chart/data" in response.url:
                form = json.loads(response.request.post_data or "{}").get("form_data", {})
                self.rows[int(form["slice_id"])] = response.json()["result"][0]["data"]
            elif "/superset/explore_json" in response.url:
                fields = {**parse_qs(urlsplit(response.url).query), **parse_qs(response.request.post_data or "")}
                form = json.loads(fields["form_data"][0])
                self.rows[int(form["slice_id"])] = response.json()["data"]
        except (KeyError, ValueError, TypeError, IndexError):
            pass

    def wait_for(self, chart_ids, page, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not all(chart_id in self.rows for chart_id in chart_ids):
            assert time.monotonic() < deadline, f"no data for charts {set(chart_ids) - set(self.rows)}"
            page.wait_for_timeout(200)


def chart_ids(page, url) -> dict[str, int]:
    charts = page.request.get(f"{url}/api/v1/dashboard/minzheng/charts").json()["result"]
    by_title = {chart["slice_name"]: chart["id"] for chart in charts}
    return {key: by_title[title] for key, title in CHART_TITLES.items()}


def chart(page, chart_id: int):
    return page.locator(f"[data-test-chart-id='{chart_id}']")


def logged_in(chromium, url, password):
    page = chromium.new_page(viewport={"width": 1600, "height": 2000})
    page.goto(f"{url}/login/")
    page.fill("#username", "admin")
    page.fill("#password", password)
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    return page


def test_provisioning_twice_leaves_one_of_each(dashboard, chromium):
    url, password, _ = dashboard
    page = logged_in(chromium, url, password)
    everything = "(page_size:100)"
    dashboards = page.request.get(f"{url}/api/v1/dashboard/?q={everything}").json()["result"]
    charts = page.request.get(f"{url}/api/v1/chart/?q={everything}").json()["result"]
    datasets = page.request.get(f"{url}/api/v1/dataset/?q={everything}").json()["result"]
    assert [d["dashboard_title"] for d in dashboards] == ["民政指标"]
    assert sorted(c["slice_name"] for c in charts) == sorted(CHART_TITLES.values())
    tables = [d["table_name"] for d in datasets]
    assert sorted(tables) == sorted(set(tables)) and "mart_indicator_values" in tables
    page.close()


def test_every_chart_draws_from_data_and_the_indicator_filter_changes_them(dashboard, chromium):
    url, password, names = dashboard
    page = logged_in(chromium, url, password)
    ids = chart_ids(page, url)
    data = ChartData(page)

    started = time.monotonic()
    page.goto(f"{url}/superset/dashboard/minzheng/")
    data.wait_for(ids.values(), page)
    page.locator(f"[data-test-chart-id='{ids['map']}'] svg path[style*='fill']").first.wait_for()
    for key in ("series", "targets"):
        chart(page, ids[key]).locator("canvas").first.wait_for()
    chart(page, ids["facts"]).locator("table tbody tr").first.wait_for()
    first_load = time.monotonic() - started

    dibao = names["dibao_standard"]
    assert {row["indicator_name"] for row in data.rows[ids["facts"]]} == {dibao}  # the default filter
    assert len({row["country_id"] for row in data.rows[ids["map"]] if row["metric"]}) >= 3  # provinces coloured
    series_regions = {key for row in data.rows[ids["series"]] for key, value in row.items() if value is not None}
    assert len(series_regions - {"year_start", "__timestamp"}) >= 2  # two regions or more draw lines
    assert any(row["max_latest_actual_value"] for row in data.rows[ids["targets"]])  # a target beside its actual
    facts = chart(page, ids["facts"])
    assert facts.locator("a[href^='http://127.0.0.1:']").count() > 0  # each fact links to its document
    assert "原文证据" in facts.inner_text()
    assert not page.locator(".alert-danger, [data-test='error-tooltip'], .chart-container .ant-alert-error").count()
    page.screenshot(path=screenshot_path("superset-dashboard.png"), full_page=True)

    other = names[OTHER_INDICATOR]
    data.rows.clear()
    started = time.monotonic()
    indicator_filter = page.locator("[data-test='form-item-value']").first
    indicator_filter.click()
    page.keyboard.type(other)
    page.locator(f".ant-select-item-option[title='{other}']").first.click()
    page.locator("[data-test='filter-bar__apply-button']").click()
    data.wait_for([ids["facts"], ids["map"]], page)
    page.wait_for_load_state("networkidle")
    filtered = time.monotonic() - started
    assert {row["indicator_name"] for row in data.rows[ids["facts"]]} == {other}
    assert other in facts.inner_text() and dibao not in facts.inner_text()
    page.screenshot(path=screenshot_path("superset-dashboard-filtered.png"), full_page=False)

    started = time.monotonic()
    page.reload()
    page.locator(f"[data-test-chart-id='{ids['facts']}'] table tbody tr").first.wait_for(timeout=90_000)
    warm_load = time.monotonic() - started
    figures_path("superset_dashboard.json").write_text(
        json.dumps(
            {
                "first_load_s": round(first_load, 2),
                "filter_change_s": round(filtered, 2),
                "reload_s": round(warm_load, 2),
            },
            indent=2,
        )
    )
    print(f"dashboard: first load {first_load:.1f} s, filter change {filtered:.1f} s, reload {warm_load:.1f} s")
    page.close()
