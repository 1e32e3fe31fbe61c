"""A real BI tool on the warehouse: Apache Superset (its own venv, `make bi-install`) provisioned by
tools/superset_up.py against a warehouse built from everything the mirror serves (the seed bureaus and the
corpus portals: many regions and years), and the dashboard 民政指标 opened in headless Chromium — each chart
drawn from data, and native filters changing what the charts show; the scope filter keeps every chart to one part
(the whole, or 城市, 农村, …) and every chart's query says which. Page load times go to
.run/figures/superset_dashboard.json (docs/bi.md quotes them)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
from playwright.sync_api import expect

from tests.conftest import figures_path, screenshot_path
from tools.superset_dashboard import CHARTS, CONFLICTS_MART, MAP_LEVELS
from warehouse.settings import REPO_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow]
BI_PYTHON = REPO_ROOT / ".venv-bi" / "bin" / "python"
CHART_TITLES = {chart.key: chart.title for chart in CHARTS}
EMPTY_TEXT = {chart.key: chart.empty_text for chart in CHARTS}
MULTIPART_FORM_DATA = re.compile(r'name="form_data"\r?\n\r?\n(.*?)\r?\n--', re.S)
OTHER_INDICATOR = "tekun_recipients"  # the filter test switches to it: several provinces report it


def indicator_names(serving) -> dict[str, str]:
    con = duckdb.connect(str(serving), read_only=True)
    try:
        return dict(con.execute("select indicator_code, name_zh from marts.dim_indicator").fetchall())
    finally:
        con.close()


def scope_names(serving, indicator_code: str) -> list[str]:
    """The parts an indicator's facts cover, labelled as the scope filter lists them (dim_scope's order: the whole
    first), so the first is the filter's default."""
    con = duckdb.connect(str(serving), read_only=True)
    try:
        query = """
            select facts.scope_name from marts.mart_indicator_values as facts
            inner join marts.dim_scope as scopes using (scope)
            where facts.indicator_code = ?
            group by facts.scope_name order by min(scopes.sort_order)
        """
        return [row[0] for row in con.execute(query, [indicator_code]).fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="module")
def dashboard(request, tmp_path_factory):
    if not BI_PYTHON.exists():
        pytest.skip("Superset's venv is missing: make bi-install")
    from tools.airflow_up import free_port

    root = tmp_path_factory.mktemp("bi")
    paths = request.getfixturevalue("mirror_warehouse")  # the crawl and build one_fact_once reads too
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
        yield f"http://127.0.0.1:{port}", password, indicator_names(paths.serving), paths.serving
    finally:
        process.terminate()
        process.wait(timeout=60)


class ChartData:
    """The rows each chart's data request returned, by chart id, as the browser received them, and what that
    request filtered and grouped by."""

    def __init__(self, page):
        self.rows: dict[int, list] = {}
        self.filters: dict[int, list[dict]] = {}  # {"col": …, "op": …, "val": …} the query applied
        self.groupby: dict[int, list] = {}
        page.on("response", self._seen)

    def _seen(self, response) -> None:
        """ECharts and table charts ask /api/v1/chart/data; the legacy country map /superset/explore_json/."""
        if response.request.method != "POST":
            return
        try:
            if "/api/v1/chart/data" in response.url:
                body = json.loads(response.request.post_data or "{}")
                chart_id = int(body.get("form_data", {})["slice_id"])
                query = body["queries"][0]
                rows = response.json()["result"][0]["data"]
                filters, groupby = query.get("filters", []), query.get("columns", [])
            elif "/superset/explore_json" in response.url:
                chart_id = int(json.loads(parse_qs(urlsplit(response.url).query)["form_data"][0])["slice_id"])
                # the whole form data is posted as multipart form data; the address holds the slice id only
                posted = MULTIPART_FORM_DATA.search(response.request.post_data or "")
                form = json.loads(posted.group(1)) if posted else {}
                rows = response.json()["data"]
                filters, groupby = form.get("extra_form_data", {}).get("filters", []), [form.get("entity")]
            else:
                return
        except (KeyError, ValueError, TypeError, IndexError):
            return
        self.rows[chart_id], self.filters[chart_id], self.groupby[chart_id] = rows, filters, groupby

    def scope(self, chart_id: int) -> list | None:
        """The scope labels the chart's query kept (the scope filter's value), None without that filter."""
        return next((f["val"] for f in self.filters.get(chart_id, []) if f.get("col") == "scope_name"), None)

    def wait_for(self, chart_ids, page, timeout: float = 90, scope: str | None = None) -> None:
        """Until every chart has data (drawn for `scope` when given: a chart may ask before the filter is set)."""
        deadline = time.monotonic() + timeout
        while not all(
            chart_id in self.rows and (scope is None or self.scope(chart_id) == [scope]) for chart_id in chart_ids
        ):
            missing = {c for c in chart_ids if c not in self.rows or (scope and self.scope(c) != [scope])}
            assert time.monotonic() < deadline, f"no data for charts {missing} (scope {scope})"
            page.wait_for_timeout(200)


def published(serving, table: str) -> bool:
    con = duckdb.connect(str(serving), read_only=True)
    try:
        return bool(con.execute("select count(*) from duckdb_tables() where table_name = ?", [table]).fetchone()[0])
    finally:
        con.close()


def expected_titles(serving) -> dict[str, str]:
    """The charts provisioned: the conflicts table only once its mart is published."""
    return {
        key: title for key, title in CHART_TITLES.items() if key != "conflicts" or published(serving, CONFLICTS_MART)
    }


def chart_ids(page, url) -> dict[str, int]:
    charts = page.request.get(f"{url}/api/v1/dashboard/minzheng/charts").json()["result"]
    by_title = {chart["slice_name"]: chart["id"] for chart in charts}
    return {key: by_title[title] for key, title in CHART_TITLES.items() if title in by_title}


def chart(page, chart_id: int):
    return page.locator(f"[data-test-chart-id='{chart_id}']")


def screenshot(page, name: str, full_page: bool = True) -> None:
    """A screenshot once ECharts has finished animating its lines and bars to the new data (else a line stops
    short of its last point)."""
    page.wait_for_timeout(1500)
    page.screenshot(path=screenshot_path(name), full_page=full_page)


def choose(page, filter_position: int, option: str, then: tuple[int, str] | None = None) -> None:
    """Pick an option of a native filter (by its place in the filter bar) and apply. `then`: a child filter and
    the value it moves to — applied together, as a reader does who clicks Apply once the child shows it (clicked
    before, the child's new value waits for a second Apply)."""
    filters = page.locator("[data-test='form-item-value']")
    filters.nth(filter_position).click()
    page.keyboard.type(option)
    page.locator(f".ant-select-item-option[title='{option}']").first.click()
    if then:
        expect(filters.nth(then[0])).to_contain_text(then[1], timeout=30_000)
    page.locator("[data-test='filter-bar__apply-button']").click()


def shows_one_part(data: ChartData, ids: dict[str, int], part: str) -> None:
    """Every chart's query keeps the one part, and each chart names it: a line's legend, a target's label, the
    table's scope column."""
    for key, chart_id in ids.items():
        assert data.scope(chart_id) == [part], f"{key} is not filtered to {part}: {data.filters[chart_id]}"
    assert "scope_name" in data.groupby[ids["series"]]
    points = data.rows[ids["series"]]
    lines = {key for row in points for key in row} - {"year_start", "__timestamp"}
    assert lines and all(line.endswith(f", {part}") for line in lines), lines  # 杭州市, 全部
    assert any(sum(row.get(line) is not None for row in points) >= 2 for line in lines)  # a line, not a point
    assert {row["scope_name"] for row in data.rows[ids["facts"]]} == {part}
    assert all(f" {part} " in row["target_label"] for row in data.rows[ids["targets"]])


def one_level_and_period(data: ChartData, chart_id: int) -> tuple[str, str]:
    """The one map level and the one period the chart's query kept (it never mixes levels or periods)."""
    kept = {f["col"]: f["val"] for f in data.filters[chart_id]}
    assert len(kept.get("map_level", [])) == 1 and len(kept.get("period_label", [])) == 1, kept
    return kept["map_level"][0], kept["period_label"][0]


def latest_map_period(serving, indicator: str = "dibao_standard") -> str:
    """The label of the latest period with a province's own actual of the indicator (any part): where the map
    opens, its level 省级."""
    con = duckdb.connect(str(serving), read_only=True)
    try:
        query = """
            select period_id from marts.mart_indicator_values
            where indicator_code = ? and value_type = 'actual' and region_level = 'province'
            order by year desc, period_id like '%H%', period_id desc limit 1
        """
        period = con.execute(query, [indicator]).fetchone()[0]
    finally:
        con.close()
    return period.replace("H1", "年上半年") if "H1" in period else f"{period}年"


def logged_in(chromium, url, password):
    # taller than the dashboard: a full-page screenshot then never resizes the page (Superset redraws on resize,
    # and a shot taken meanwhile showed an empty grid)
    page = chromium.new_page(viewport={"width": 1600, "height": 3000})
    page.goto(f"{url}/login/")
    page.fill("#username", "admin")
    page.fill("#password", password)
    page.keyboard.press("Enter")
    # the login page is idle already: wait for the redirect away from it, else a request may go out logged out
    page.wait_for_url(lambda address: "/login" not in address)
    page.wait_for_load_state("networkidle")
    return page


def test_provisioning_twice_leaves_one_of_each(dashboard, chromium):
    url, password, _, serving = dashboard
    page = logged_in(chromium, url, password)
    everything = "(page_size:100)"
    dashboards = page.request.get(f"{url}/api/v1/dashboard/?q={everything}").json()["result"]
    charts = page.request.get(f"{url}/api/v1/chart/?q={everything}").json()["result"]
    datasets = page.request.get(f"{url}/api/v1/dataset/?q={everything}").json()["result"]
    assert [d["dashboard_title"] for d in dashboards] == ["民政指标"]
    assert sorted(c["slice_name"] for c in charts) == sorted(expected_titles(serving).values())
    tables = [d["table_name"] for d in datasets]
    assert sorted(tables) == sorted(set(tables)) and "mart_indicator_values" in tables
    page.close()


def test_the_scope_filter_reaches_every_chart_and_opens_on_the_whole(dashboard, chromium):
    """One part at a time for every chart (required, single choice), its options those of the chosen indicator,
    sorted the whole first: its default is the whole where the indicator has it, else the indicator's first part."""
    url, password, _, _ = dashboard
    page = logged_in(chromium, url, password)
    metadata = json.loads(page.request.get(f"{url}/api/v1/dashboard/minzheng").json()["result"]["json_metadata"])
    filters = {f["name"]: f for f in metadata["native_filter_configuration"]}
    scope = filters["范围"]
    assert scope["targets"][0]["column"]["name"] == "scope_name"
    assert sorted(scope["chartsInScope"]) == sorted(chart_ids(page, url).values()) and not scope["scope"]["excluded"]
    assert scope["cascadeParentIds"] == [filters["指标"]["id"]]
    controls = scope["controlValues"]
    assert controls["defaultToFirstItem"] and controls["enableEmptyFilter"] and not controls["multiSelect"]
    assert controls["sortAscending"] and controls["sortMetric"] == "scope_order"
    assert scope["requiredFirst"]  # the charts wait for the filter's first option: they never draw every part
    assert "全部" in scope["description"]
    dataset = page.request.get(f"{url}/api/v1/dataset/{scope['targets'][0]['datasetId']}").json()["result"]
    order = next(m["expression"] for m in dataset["metrics"] if m["metric_name"] == "scope_order")
    assert order.startswith("min(case scope when '' then 0 when 'urban' then 1 when 'rural' then 2 ")
    labels = {column["column_name"]: column["verbose_name"] for column in dataset["columns"]}
    assert labels["scope_name"] == "范围"
    page.close()


def test_every_chart_draws_from_data_and_the_indicator_filter_changes_them(dashboard, chromium):
    url, password, names, serving = dashboard
    page = logged_in(chromium, url, password)
    ids = chart_ids(page, url)
    data = ChartData(page)
    default_scope = scope_names(serving, "dibao_standard")[0]

    started = time.monotonic()
    page.goto(f"{url}/superset/dashboard/minzheng/")
    data.wait_for(ids.values(), page, scope=default_scope)
    page.locator(f"[data-test-chart-id='{ids['map']}'] svg path[style*='fill']").first.wait_for()
    for key in ("series", "targets"):
        chart(page, ids[key]).locator("canvas").first.wait_for()
    chart(page, ids["facts"]).locator("table tbody tr").first.wait_for()
    first_load = time.monotonic() - started

    dibao = names["dibao_standard"]
    assert {row["indicator_name"] for row in data.rows[ids["facts"]]} == {dibao}  # the default filter
    shows_one_part(data, ids, default_scope)
    assert default_scope in page.locator("[data-test='form-item-value']").nth(1).inner_text()
    assert {row["country_id"] for row in data.rows[ids["map"]] if row["metric"]}  # a province coloured
    assert one_level_and_period(data, ids["map"]) == (MAP_LEVELS["province"], latest_map_period(serving))
    assert any(row["max_latest_actual_value"] for row in data.rows[ids["targets"]])  # a target beside its actual
    facts = chart(page, ids["facts"])
    assert facts.locator("a[href^='http://127.0.0.1:']").count() > 0  # each fact links to its document
    assert "原文证据" in facts.inner_text()
    assert not page.locator(".alert-danger, [data-test='error-tooltip'], .chart-container .ant-alert-error").count()
    screenshot(page, "superset-dashboard.png")

    other = names[OTHER_INDICATOR]
    data.rows.clear()
    started = time.monotonic()
    # the part chosen stays where the new indicator has it, else the filter falls back to its first part
    other_parts = scope_names(serving, OTHER_INDICATOR)
    other_scope = default_scope if default_scope in other_parts else other_parts[0]
    choose(page, 0, other, then=(1, other_scope))
    data.wait_for([ids["facts"], ids["map"]], page)
    page.wait_for_load_state("networkidle")
    filtered = time.monotonic() - started
    assert {row["indicator_name"] for row in data.rows[ids["facts"]]} == {other}
    data.wait_for([ids["facts"], ids["map"]], page, scope=other_scope)
    assert {row["scope_name"] for row in data.rows[ids["facts"]]} == {other_scope}
    assert other in facts.inner_text() and dibao not in facts.inner_text()
    screenshot(page, "superset-dashboard-filtered.png", full_page=False)

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


def indicator_without(serving, scope_name: str) -> str:
    """The indicator with the most parts of those that never come in `scope_name`."""
    con = duckdb.connect(str(serving), read_only=True)
    try:
        query = """
            select indicator_code from marts.mart_indicator_values group by indicator_code
            having count(*) filter (where scope_name = ?) = 0
            order by count(distinct scope_name) desc, count(*) desc, indicator_code limit 1
        """
        return con.execute(query, [scope_name]).fetchone()[0]
    finally:
        con.close()


def test_choosing_a_part_shows_it_on_every_chart(dashboard, chromium):
    """The dashboard opened anew, then a part of the default indicator chosen (城市 before 农村 in the list):
    every chart redraws with that part only, and names it. An indicator that never comes in that part then
    opens on its own first part, not on empty charts."""
    url, password, names, serving = dashboard
    parts = scope_names(serving, "dibao_standard")
    assert len(parts) >= 2, f"the default indicator comes in one part only: {parts}"
    part = parts[1]  # the first after the whole (or after the default part)
    page = logged_in(chromium, url, password)
    ids = chart_ids(page, url)
    data = ChartData(page)
    page.goto(f"{url}/superset/dashboard/minzheng/")
    data.wait_for(ids.values(), page, scope=parts[0])
    data.rows.clear()
    choose(page, 1, part)
    data.wait_for(ids.values(), page, scope=part)
    page.wait_for_load_state("networkidle")
    shows_one_part(data, ids, part)
    assert one_level_and_period(data, ids["map"])
    screenshot(page, "superset-dashboard-scope.png")

    other = indicator_without(serving, part)
    fallback = scope_names(serving, other)[0]
    data.rows.clear()
    choose(page, 0, names[other], then=(1, fallback))
    data.wait_for(ids.values(), page, scope=fallback)
    assert {row["scope_name"] for row in data.rows[ids["facts"]]} == {fallback}
    page.close()


def empty_state(page, chart_id: int) -> dict:
    """What a chart's empty state shows: the generic title's own text and size, and the sentence put after it."""
    title = chart(page, chart_id).locator("div:has(> [role='img'][aria-label='empty']) > div > p").first
    title.wait_for(timeout=60_000)
    return title.evaluate(
        "p => ({text: p.textContent, size: getComputedStyle(p).fontSize,"
        " after: getComputedStyle(p, '::after').content})"
    )


def test_map_legend_half_years_evidence_and_empty_state(dashboard, chromium):
    """The map at one level (省级) and one period (the latest) beside a legend naming unit and range; half-years
    labelled 2025年上半年 in their own chart and kept off the yearly lines; each fact's evidence and a link to its
    document; a chart left without rows says what is missing, not "No results"; the conflicts table."""
    url, password, _, serving = dashboard
    page = logged_in(chromium, url, password)
    ids = chart_ids(page, url)
    data = ChartData(page)
    page.goto(f"{url}/superset/dashboard/minzheng/")
    data.wait_for(ids.values(), page, scope=scope_names(serving, "dibao_standard")[0])
    page.locator(f"[data-test-chart-id='{ids['map']}'] svg path[style*='fill']").first.wait_for()

    level, period = one_level_and_period(data, ids["map"])
    assert (level, period) == (MAP_LEVELS["province"], latest_map_period(serving))
    assert one_level_and_period(data, ids["legend"]) == (level, period)
    legend = chart(page, ids["legend"]).locator(".map-legend")
    legend.wait_for()
    text = legend.inner_text()
    assert f"时期：{period}" in text and f"层级：{level}" in text and "单位：元/" in text, text
    assert (
        legend.locator(".map-legend-bar")
        .evaluate("e => getComputedStyle(e).backgroundImage")
        .startswith("linear-gradient")
    )
    page.wait_for_timeout(1500)
    map_and_legend = page.locator(f"[data-test-chart-id='{ids['map']}']").bounding_box()
    legend_box = chart(page, ids["legend"]).bounding_box()
    page.screenshot(
        path=screenshot_path("superset-map-legend.png"),
        clip={
            "x": map_and_legend["x"],
            "y": map_and_legend["y"],
            "width": legend_box["x"] + legend_box["width"] - map_and_legend["x"],
            "height": map_and_legend["height"],
        },
    )

    # half-years: labelled, in their own chart; the yearly lines' query keeps years only
    half_years = {row["period_label"] for row in data.rows[ids["half_years"]]}
    assert half_years and all(label.endswith("年上半年") for label in half_years), half_years
    assert {"col": "period_kind", "op": "==", "val": "year"} in data.filters[ids["series"]]
    assert "年上半年" in chart(page, ids["facts"]).inner_text()  # the table labels them too

    # the evidence sentence and a link to the document it comes from
    facts = chart(page, ids["facts"])
    links = facts.locator("a[href^='http://']")
    assert links.count() > 0 and links.first.get_attribute("target") == "_blank"
    first = data.rows[ids["facts"]][0]
    assert first["evidence"] and first["evidence"] in facts.inner_text()
    facts.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    facts.screenshot(path=screenshot_path("superset-evidence-table.png"))

    # a province with no half-year figure of the indicator: that chart says so
    con = duckdb.connect(str(serving), read_only=True)
    try:
        province = con.execute(
            """
            select province_name from marts.mart_indicator_values
            where indicator_code = 'dibao_standard' and province_name is not null group by province_name
            having count(*) filter (where period_id like '%H%') = 0 order by province_name limit 1
            """
        ).fetchone()[0]
    finally:
        con.close()
    data.rows.clear()
    choose(page, 2, province)
    data.wait_for([ids["half_years"], ids["facts"]], page)
    page.wait_for_load_state("networkidle")
    assert data.rows[ids["half_years"]] == []
    shown = empty_state(page, ids["half_years"])
    assert shown["size"] == "0px" and EMPTY_TEXT["half_years"] in shown["after"], shown  # not "No results …"
    empty = chart(page, ids["half_years"])
    empty.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    empty.screenshot(path=screenshot_path("superset-empty-state.png"))

    page.close()


def test_the_conflicts_view_shows_both_values_and_sources(dashboard, chromium):
    """Where documents disagree: the value shown, the other, the reason, and links to both documents."""
    url, password, _, serving = dashboard
    if not published(serving, CONFLICTS_MART):
        pytest.skip(f"{CONFLICTS_MART} is not in the published warehouse yet: its chart is defined and waits for it")
    page = logged_in(chromium, url, password)
    ids = chart_ids(page, url)
    assert "conflicts" in ids
    data = ChartData(page)
    page.goto(f"{url}/superset/dashboard/minzheng/")
    data.wait_for([ids["conflicts"]], page)
    conflicts = chart(page, ids["conflicts"])
    conflicts.scroll_into_view_if_needed()
    if data.rows[ids["conflicts"]]:
        conflicts.locator("table tbody tr").first.wait_for()
        assert "取舍理由" in conflicts.inner_text()
        assert conflicts.locator("a[href^='http://']").count() >= 2  # both documents linked
    else:
        assert EMPTY_TEXT["conflicts"] in empty_state(page, ids["conflicts"])["after"]
    page.wait_for_timeout(1000)
    conflicts.screenshot(path=screenshot_path("superset-conflicts.png"))
    page.close()
