"""What the dashboard 民政指标 shows a reader (tools/superset_dashboard.py), run on real DuckDB: the map's rows are one
level and one period each (never a mean across levels or years), its legend names the unit and range, half-years
are labelled as such and kept off the yearly lines, each chart without rows says what is missing, the conflicts
table lists both sources. The dashboard in a real Superset and Chromium: tests/integration/test_superset.py."""

from __future__ import annotations

import re
from datetime import date

import duckdb
import pytest

from tools.superset_dashboard import (
    CHARTS,
    CONFLICTS_MART,
    DATASETS,
    FILTERS,
    MAP_DATASET,
    MAP_LEVELS,
    MAP_SQL,
    empty_states_css,
    native_filters,
    period_kind_sql,
    period_label_sql,
)

CHART = {chart.key: chart for chart in CHARTS}


@pytest.fixture
def marts():
    """marts.mart_indicator_values with the columns the map reads: 浙江省's own 2025 figure, two of its cities in 2025,
    one city also in 2024 and in the first half of 2025, and a county in 2025; a second document restating a city."""
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        """
        create table marts.mart_indicator_values (
            indicator_code varchar, indicator_name varchar, unit varchar, value_type varchar, scope varchar,
            scope_name varchar, region_name varchar, region_level varchar, province_name varchar,
            province_map_code varchar, year integer, period_id varchar, value double, published_at date,
            is_chosen boolean
        )
        """
    )
    rows = [
        ("浙江省", "province", 2025, "2025", 14000, date(2026, 1, 5)),
        ("杭州市", "city", 2025, "2025", 15000, date(2026, 1, 5)),
        ("温州市", "city", 2025, "2025", 13000, date(2026, 1, 5)),
        ("温州市", "city", 2025, "2025", 99999, date(2025, 3, 1)),  # an older document: the marts did not choose it
        ("温州市", "city", 2024, "2024", 12000, date(2025, 1, 5)),
        ("温州市", "city", 2025, "2025H1", 12500, date(2025, 8, 1)),
        ("鹿城区", "county", 2025, "2025", 20000, date(2026, 1, 5)),
    ]
    con.executemany(
        "insert into marts.mart_indicator_values values "
        "('dibao_standard', '最低生活保障标准', '元/年', 'actual', '', '全部', ?, ?, '浙江省', 'CN-ZJ', ?, ?, ?, ?, "
        "? is null or ? <> 99999)",
        [(*row, row[4], row[4]) for row in rows],
    )
    return con


def test_half_years_are_labelled_as_such():
    con = duckdb.connect()
    labels = con.execute(
        f"select {period_label_sql('p')}, {period_kind_sql('p')} from (values ('2025'), ('2025H1'), ('2021H1')) t(p)"
    ).fetchall()
    assert labels == [("2025年", "year"), ("2025年上半年", "half_year"), ("2021年上半年", "half_year")]


def test_the_map_shows_one_level_and_one_period_per_row(marts):
    rows = marts.execute(
        f"select map_level, period_label, value, regions from ({MAP_SQL}) order by period_rank, map_level"
    ).fetchall()
    assert sorted(rows, key=lambda row: (row[1], list(MAP_LEVELS.values()).index(row[0]))) == [
        (MAP_LEVELS["city"], "2024年", 12000, 1),
        (MAP_LEVELS["province"], "2025年", 14000, 1),  # the province's own figure
        (MAP_LEVELS["city"], "2025年", 14000, 2),  # the mean of 杭州市 and 温州市 of 2025 (newest document each)
        (MAP_LEVELS["county"], "2025年", 20000, 1),
        (MAP_LEVELS["city"], "2025年上半年", 12500, 1),  # a half-year is its own period, never the year 2025
    ]


def test_the_map_filters_keep_it_to_one_level_and_one_period():
    filters = {spec.key: spec for spec in FILTERS}
    for key in ("map_level", "map_period"):
        spec = filters[key]
        assert spec.dataset == MAP_DATASET and spec.required and not spec.multi
        assert set(spec.only) == {"map", "legend"}
    assert filters["map_period"].parent == "map_level" and filters["map_period"].descending  # opens on the latest
    assert filters["map_level"].default == MAP_LEVELS["province"]
    assert CHART["map"].params["metric"] == "map_value" and "year" in CHART["map"].filters_ignored
    ids = {chart.key: number for number, chart in enumerate(CHARTS, start=1)}
    configuration = native_filters(dict.fromkeys(DATASETS, 7), ids, "最低生活保障标准")
    period = next(f for f in configuration if f["id"] == "NATIVE_FILTER-map_period")
    assert sorted(period["chartsInScope"]) == [ids["map"], ids["legend"]]
    assert period["controlValues"]["defaultToFirstItem"] and not period["controlValues"]["sortAscending"]


def test_the_legend_names_the_unit_and_range_of_what_is_shown(marts):
    legend = DATASETS[MAP_DATASET].metrics["legend_html"][0]
    query = f"select {legend} from ({MAP_SQL}) where map_level = ? and period_label = ?"
    [html] = marts.execute(query, [MAP_LEVELS["city"], "2025年"]).fetchone()
    assert "单位：元/年" in html and "时期：2025年" in html and f"层级：{MAP_LEVELS['city']}" in html
    assert re.findall(r"<span>([^<]*)</span>", html) == ["14,000", "14,000", "14,000"]  # one province: its mean
    [html] = marts.execute(query, [MAP_LEVELS["county"], "2024年"]).fetchone()
    assert "没有数值" in html and "<span>" not in html


def test_half_years_stay_off_the_yearly_lines_and_have_their_own_chart():
    series, half_years = CHART["series"].params, CHART["half_years"].params
    assert any(f["subject"] == "period_kind" and f["comparator"] == "year" for f in series["adhoc_filters"])
    assert half_years["x_axis"] == "period_label"
    assert any(f["subject"] == "period_kind" and f["comparator"] == "half_year" for f in half_years["adhoc_filters"])
    assert "period_label" in CHART["facts"].params["all_columns"]
    assert "period_label" in DATASETS["mart_indicator_values"].calculated_columns
    for params in (series, half_years):  # one value per key: the one the marts chose
        assert any(f["subject"] == "is_chosen" and f["comparator"] is True for f in params["adhoc_filters"])


def test_the_detail_table_links_each_fact_to_its_evidence_and_document():
    facts = CHART["facts"].params
    assert {"evidence", "source_link"} <= set(facts["all_columns"]) and facts["allow_render_html"]
    link = DATASETS["mart_indicator_values"].calculated_columns["source_link"]
    row = "('http://127.0.0.1:8780/a.html', '通知<2025>')"
    [html] = duckdb.connect().execute(f"select {link} from (values {row}) t(document_url, document_title)").fetchone()
    assert html == '<a href="http://127.0.0.1:8780/a.html" target="_blank">通知&lt;2025&gt;</a>'


def test_every_chart_on_facts_says_what_is_missing_when_empty():
    ids = {chart.key: number for number, chart in enumerate(CHARTS, start=1)}
    css = empty_states_css(ids)
    for chart in CHARTS:
        if chart.key == "legend":  # an aggregate: always one row, which says what is missing itself
            continue
        assert chart.empty_text, chart.key
        assert f"[data-test-chart-id='{ids[chart.key]}']" in css and f'content: "{chart.empty_text}"' in css
    assert "该指标在所选地区/年份无数据" in css


def test_the_conflicts_view_shows_both_values_both_sources_and_the_reason():
    conflicts = CHART["conflicts"]
    assert conflicts.dataset == CONFLICTS_MART
    shown = set(conflicts.params["all_columns"])
    assert {"indicator_name", "region_name", "period_label", "value_type", "scope_name"} <= shown
    assert {"chosen_value", "other_value", "choice_reason", "chosen_link", "other_link"} <= shown
    calculated = DATASETS[CONFLICTS_MART].calculated_columns
    assert "chosen_url" in calculated["chosen_link"] and "other_document_title" in calculated["other_link"]
    assert conflicts.params["allow_render_html"]
