"""The dashboard 民政指标 as data: datasets on the marts (with the calculated columns and metrics they offer),
the charts, the native filters and the layout. tools/superset_up.py provisions it through Superset's REST API.

An analyst's new mart is one more entry in DATASETS (its table, and any calculated column or metric);
a chart on it is one more entry in CHARTS. Every BI mart names its columns alike (indicator_name, scope_name,
province_name, city_name, county_name, year), so the dashboard's filters reach each chart by column name.

Many figures come in parts (urban and rural 低保标准; concentrated and dispersed support): a fact's scope, '' for
the whole (data/spec/FACTS.md). The scope filter picks one part at a time for every chart, so no line, province
or target ever mixes parts; the charts name the part (a line's legend, a target's label, a table column)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

DASHBOARD_TITLE = "民政指标"
DASHBOARD_SLUG = "minzheng"
DEFAULT_INDICATOR = "dibao_standard"  # what the dashboard opens on: the indicator most bureaus report


def _escaped(column: str) -> str:
    """SQL that HTML-escapes a text column (a document title may hold < or &)."""
    return f"replace(replace(replace({column}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"


def period_label_sql(column: str) -> str:
    """SQL labelling a period id as a reader says it: '2025' → '2025年', '2025H1' → '2025年上半年' (dim_period's rule:
    an id ending in H1 is a half-year, period_kind 'half_year'), so no chart passes a half-year off as a year."""
    return (
        f"case when {column} like '%H1' then left({column}, 4) || '年上半年' "
        f"when {column} like '%H2' then left({column}, 4) || '年下半年' "
        f"when {column} is not null then {column} || '年' end"
    )


def period_kind_sql(column: str) -> str:
    """dim_period's period_kind from a period id: 'half_year' or 'year'."""
    return f"case when {column} like '%H_' then 'half_year' else 'year' end"


def link_sql(url: str, title: str) -> str:
    """SQL for a document's title as a link to its address (a table chart renders it when HTML is allowed)."""
    return (
        f"case when {url} is null then "
        + _escaped(title)
        + f" else '<a href=\"' || replace({url}, '\"', '%22') || '\" target=\"_blank\">' || "
        + _escaped(title)
        + " || '</a>' end"
    )


@dataclass
class Dataset:
    table: str
    schema: str = "marts"
    sql: str | None = None  # a virtual dataset: its rows are this query's (its name is `table`)
    calculated_columns: dict[str, str] = field(default_factory=dict)  # name → SQL expression
    metrics: dict[str, tuple[str, str]] = field(default_factory=dict)  # name → (SQL expression, label)
    labels: dict[str, str] = field(default_factory=lambda: dict(COLUMN_LABELS))  # column → what a chart calls it


COLUMN_LABELS = {
    "indicator_name": "指标",
    "scope_name": "范围",
    "confidence": "可信度",
    "confidence_band": "可信度档",
    "scope": "范围代码",
    "region_name": "地区",
    "province_name": "省份",
    "city_name": "城市",
    "county_name": "区县",
    "period_id": "时期代码",
    "period_label": "时期",
    "period_kind": "年度/半年",
    "map_level": "地图层级",
    "region_level": "地区级别",
    "year": "年份",
    "year_start": "年份",
    "value_type": "实际/目标",
    "value": "数值",
    "unit": "单位",
    "evidence": "原文证据",
    "document_title": "来源文件",
    "source_link": "来源文件（链接）",
    "latest_value": "最新值",
    "latest_period_id": "最新时期",
    "target_value": "目标值",
    "latest_actual_value": "最新实际值",
    "latest_actual_period_id": "实际值时期代码",
    "progress_ratio": "完成度",
    "target_label": "目标",
    "chosen_value": "所示数值",
    "other_value": "另一数值",
    "chosen_link": "所示数值的来源",
    "other_link": "另一数值的来源",
    "choice_reason": "取舍理由",
    "chosen_evidence": "所示数值的原文",
    "other_evidence": "另一数值的原文",
}


MAP_DATASET = "map_region_values"
CONFLICTS_MART = "mart_indicator_conflicts"  # built by the marts (branch marts); its chart waits for it
# Superset's colour scheme of the map; the legend draws the same colours (superset_seq_1 in Superset 6.1)
MAP_COLOR_SCHEME = "superset_seq_1"
MAP_COLORS = ("#F4FAD4", "#D7F1AC", "#A9E3AF", "#82CDBB", "#63C1BF")
MAP_COLORS += ("#1FA8C9", "#2367AC", "#2A2D84", "#251354", "#050415")
MAP_LEVELS = {"province": "省级（本省数值）", "city": "市级（省内各市平均）", "county": "区县级（省内各区县平均）"}
# The map's rows: one per province, indicator, part, level and period — the province's own figure (level 省级) or
# the mean of its cities (or counties) of that one period, with how many regions it covers. Each region counts
# once per period: the value the marts chose for it (is_chosen: the newest document, then the later statement).
# The filters 地图层级 and 地图时期 keep the map to one level and one period: never a mean across levels or years,
# and a half-year never stands for its year.
MAP_SQL = f"""
with region_values as (
    select
        indicator_code, indicator_name, unit, scope, scope_name, region_name, region_level,
        province_name, province_map_code, year, period_id, value
    from marts.mart_indicator_values
    where value_type = 'actual' and is_chosen and province_map_code is not null
        and region_level in ({", ".join(f"'{level}'" for level in MAP_LEVELS)})
)

select
    indicator_code, indicator_name, unit, scope, scope_name, province_name, province_map_code, year, period_id,
    {period_label_sql("period_id")} as period_label,
    year * 10 + case when period_id like '%H1' then 1 when period_id like '%H2' then 2 else 3 end as period_rank,
    case region_level {" ".join(f"when '{level}' then '{label}'" for level, label in MAP_LEVELS.items())} end
        as map_level,
    avg(value) as value,
    count(*) as regions,
    string_agg(region_name, '、' order by region_name) as region_names
from region_values
group by all
""".strip()


def _number_sql(expression: str) -> str:
    """A number as text with thousands separators and no trailing zeros: 12120.0 → '12,120'."""
    return f"regexp_replace(format('{{:,.2f}}', cast({expression} as double)), '\\.?0+$', '')"


# The map's legend: a one-cell table under the map's filters, in HTML — what the colours measure (indicator,
# part, period, level, unit) and the range from the lightest to the darkest colour: Superset's country map spreads
# its colour scheme linearly from the smallest to the largest province value shown, as the legend's bar does
# (styled by the dashboard's CSS). With no rows the aggregate still returns one, which says what is missing.
LEGEND_SQL = (
    'case when count(*) = 0 then \'<div class="map-legend-empty">' + "{empty}" + "</div>' else "
    "'<div class=\"map-legend\"><div class=\"map-legend-what\">' || string_agg(distinct indicator_name, '、') "
    "|| '（' || string_agg(distinct scope_name, '、') || '）</div>'"
    " || '<div>时期：' || string_agg(distinct period_label, '、') || '</div>'"
    " || '<div>层级：' || string_agg(distinct map_level, '、') || '</div>'"
    " || '<div>单位：' || string_agg(distinct unit, '、') || '</div>'"
    ' || \'<div class="map-legend-bar"></div><div class="map-legend-ticks"><span>\' || '
    + _number_sql("min(value)")
    + " || '</span><span>' || "
    + _number_sql("(min(value) + max(value)) / 2")
    + " || '</span><span>' || "
    + _number_sql("max(value)")
    + " || '</span></div><div class=\"map-legend-note\">浅色低，深色高；灰色的省份在此层级、时期没有数值。共 ' "
    "|| count(*) || ' 个省份，' || sum(regions) || ' 个地区。</div></div>' end"
)
LEGEND_EMPTY = "所选指标与范围在所选层级、时期没有数值"
LEGEND_CSS = (
    ".map-legend, .map-legend-empty { font-size: 13px; line-height: 1.8; white-space: normal; }\n"
    ".map-legend-what { font-weight: 600; }\n"
    ".map-legend-bar { height: 14px; margin-top: 8px; "
    f"background: linear-gradient(to right, {', '.join(MAP_COLORS)}); }}\n"
    ".map-legend-ticks { display: flex; justify-content: space-between; }\n"
    ".map-legend-note { color: #666; margin-top: 8px; }\n"
)

CONFIDENCE_BANDS_SQL = (
    "case when confidence >= 0.9 then '高（≥0.9）' when confidence >= 0.7 then '中（0.7–0.9）' else '低（<0.7）' end"
)

DATASETS = {
    "mart_indicator_values": Dataset(
        "mart_indicator_values",
        calculated_columns={
            "source_link": link_sql("document_url", "document_title"),
            # the confidence each fact carries (the measured precision of the rules that made it), in bands
            "confidence_band": CONFIDENCE_BANDS_SQL,
            # a half-year is labelled as one and kept off the yearly lines (its own chart shows it)
            "period_label": period_label_sql("period_id"),
            "period_kind": period_kind_sql("period_id"),
        },
        metrics={"max_value": ("max(value)", "数值")},
    ),
    MAP_DATASET: Dataset(
        MAP_DATASET,
        sql=MAP_SQL,
        metrics={
            "map_value": ("max(value)", "数值（省级为本省数值，市级、区县级为省内各地平均）"),
            "period_order": ("max(period_rank)", "时期顺序（最新在前）"),
            "legend_html": (LEGEND_SQL.replace("{empty}", LEGEND_EMPTY), "图例"),
        },
    ),
    # every key where documents disagree: the value the marts show, the other, both sources and the reason
    CONFLICTS_MART: Dataset(
        CONFLICTS_MART,
        calculated_columns={
            "period_label": period_label_sql("period_id"),
            "chosen_link": link_sql("chosen_url", "chosen_document_title"),
            "other_link": link_sql("other_url", "other_document_title"),
        },
        metrics={"conflicts": ("count(*)", "矛盾数")},
    ),
    "mart_target_attainment": Dataset(
        "mart_target_attainment",
        calculated_columns={
            # the part in each bar's label: the filter shows one part, and a target names its own
            "target_label": "region_name || ' ' || scope_name || ' ' || "
            + period_label_sql("period_id")
            + " || '目标' || coalesce('（完成 ' || "
            "cast(cast(round(progress_ratio * 100) as integer) as varchar) || '%，' || "
            + period_label_sql("latest_actual_period_id")
            + " || '）', '（尚无实际值）')",
        },
        metrics={
            "max_target_value": ("max(target_value)", "目标值"),
            "max_latest_actual_value": ("max(latest_actual_value)", "最新实际值"),
        },
    ),
}


def _where(column: str, operator: str, value) -> dict:
    return {"expressionType": "SIMPLE", "subject": column, "operator": operator, "comparator": value, "clause": "WHERE"}


def _raw_table(columns: list[str], **options) -> dict:
    """A table of rows as they are, newest year first, whose HTML columns (links) render."""
    return {
        "viz_type": "table",
        "query_mode": "raw",
        "all_columns": columns,
        "order_by_cols": [json.dumps(["year", False])],
        "allow_render_html": True,
        "row_limit": 1000,
        "adhoc_filters": [],
        **options,
    }


def _bar_chart(x_axis: str, metrics: list[str], **options) -> dict:
    """Bars with their values shown, a category x axis in order and the legend below."""
    return {
        "viz_type": "echarts_timeseries_bar",
        "x_axis": x_axis,
        "metrics": metrics,
        "show_value": True,
        "show_legend": True,
        "legendOrientation": "bottom",
        "row_limit": 1000,
        "x_axis_sort_asc": True,
        **options,
    }


@dataclass
class Chart:
    key: str
    title: str
    dataset: str
    params: dict
    width: int  # of 12 grid columns
    height: int  # grid units of 8 px
    filters_ignored: tuple[str, ...] = ()  # native filters that do not apply (the map has its own level and period)
    empty_text: str = ""  # what the chart says when the filters leave it no rows (instead of "No results")


CHARTS = [
    Chart(
        "map",
        "各省数值（所选指标、范围、层级与时期）",
        MAP_DATASET,
        {
            "viz_type": "country_map",
            "select_country": "china",
            "entity": "province_map_code",
            "metric": "map_value",
            "number_format": "SMART_NUMBER",
            "linear_color_scheme": MAP_COLOR_SCHEME,
            "adhoc_filters": [],
        },
        width=4,
        height=70,
        # one level and one period (the map's own filters), not the cities, counties or years of the other charts
        filters_ignored=("city", "county", "year", "confidence"),
        empty_text="所选指标与范围在所选层级、时期没有数值（地图只画一个层级、一个时期）",
    ),
    Chart(
        "legend",
        "图例（地图）",
        MAP_DATASET,
        {
            "viz_type": "table",
            "query_mode": "aggregate",
            "groupby": [],
            "metrics": ["legend_html"],
            "allow_render_html": True,
            "adhoc_filters": [],
            "row_limit": 10,  # one row; at the limit Superset would flag it as cut short
            "include_search": False,
            "show_cell_bars": False,
        },
        width=3,
        height=70,
        filters_ignored=("city", "county", "year", "confidence"),
    ),
    Chart(
        "series",
        "各地历年实际值（两年以上的地区）",
        "mart_indicator_values",
        {
            "viz_type": "echarts_timeseries_line",
            "x_axis": "year_start",
            "time_grain_sqla": "P1Y",
            "metrics": ["max_value"],
            "groupby": ["region_name", "scope_name"],  # the legend names the part: 舟山市, 全部
            "adhoc_filters": [
                _where("value_type", "==", "actual"),
                _where("actual_years_reported", ">=", 2),
                _where("period_kind", "==", "year"),  # a half-year is not its year: it has its own chart
                _where("is_chosen", "==", True),  # one value per key, the one the marts show
            ],
            "row_limit": 10000,
            "markerEnabled": True,
            "markerSize": 6,
            "show_legend": True,
            "legendOrientation": "bottom",
            "x_axis_time_format": "%Y",
            "rich_tooltip": True,
        },
        width=5,
        height=70,
        empty_text="所选地区没有两个以上年度的实际值（半年数值见下图）",
    ),
    Chart(
        "half_years",
        "各地半年实际值（不计入年度曲线）",
        "mart_indicator_values",
        _bar_chart(
            "period_label",  # 2025年上半年: a category, never placed on a time axis as the year 2025
            ["max_value"],
            groupby=["region_name", "scope_name"],
            adhoc_filters=[
                _where("value_type", "==", "actual"),
                _where("period_kind", "==", "half_year"),
                _where("is_chosen", "==", True),
            ],
        ),
        width=12,
        height=50,
        empty_text="所选指标在所选地区没有半年数值",
    ),
    Chart(
        "targets",
        "目标与其后的实际值（完成度）",
        "mart_target_attainment",
        _bar_chart(
            "target_label",
            ["max_target_value", "max_latest_actual_value"],
            groupby=[],
            adhoc_filters=[],
            orientation="horizontal",
        ),
        width=12,
        height=60,
        filters_ignored=("confidence",),  # a target pairs facts of two confidences
        empty_text="所选指标在所选地区、年份没有目标值",
    ),
    Chart(
        "facts",
        "指标事实与原文证据",
        "mart_indicator_values",
        _raw_table(
            [
                "region_name",
                "indicator_name",
                "scope_name",
                "period_label",
                "value_type",
                "value",
                "unit",
                "confidence",
                "evidence",
                "source_link",
            ],
            column_config={"evidence": {"columnWidth": 520}},
        ),
        width=12,
        height=90,
        empty_text="该指标在所选地区/年份无数据",
    ),
    Chart(
        "conflicts",
        "相互矛盾的数值（所示数值与另一来源）",
        CONFLICTS_MART,
        _raw_table(
            [
                "region_name",
                "indicator_name",
                "scope_name",
                "period_label",
                "value_type",
                "chosen_value",
                "other_value",
                "unit",
                "choice_reason",
                "chosen_link",
                "other_link",
                "chosen_evidence",
                "other_evidence",
            ]
        ),
        width=12,
        height=60,
        filters_ignored=("confidence",),  # a conflict pairs facts of two confidences
        empty_text="所选指标在所选地区/年份没有相互矛盾的数值",
    ),
]


@dataclass
class NativeFilter:
    key: str
    name: str
    column: str
    multi: bool = True
    parent: str | None = None  # the filter whose choice narrows this one's options
    required: bool = False
    first_by: str | None = None  # a metric: opens on (and falls back to) the first option in its order
    description: str = ""
    dataset: str = "mart_indicator_values"  # where it takes its choices from
    descending: bool = False  # the order of first_by: the largest first (the latest period)
    only: tuple[str, ...] = ()  # the charts it reaches; empty: every chart that does not ignore it
    default: str | None = None  # the option it opens on, known before any query (a child waits for none)


SCOPE_ORDER_METRIC = "scope_order"
SCOPE_DESCRIPTION = (
    "数值所指的部分：全部（未分城乡或供养方式、城乡统一或合计）、城市、农村、集中供养、分散供养等。"
    "一次只看一个部分，各图不混合不同部分。默认“全部”；所选指标没有“全部”的数值时，默认其第一个部分（城市、农村……）。"
)

CONFIDENCE_DESCRIPTION = (
    "每条事实的可信度：抽取它的规则在开发集上实测的准确率（docs/extraction.md 的校准表）。"
    "“高（≥0.9）”的事实在开发集上约99%正确；只看可靠的数值时选“高”。不选则显示全部。"
)

MAP_LEVEL_DESCRIPTION = (
    "地图着色所用数值的层级：省级（该省自己的数值）、市级（省内各市的平均）、区县级（省内各区县的平均）。"
    "一次只看一个层级，不把不同层级的数值混在一起平均。默认省级。"
)
MAP_PERIOD_DESCRIPTION = (
    "地图着色所用数值的时期：一个年度或一个半年（如“2025年上半年”）。一次只看一个时期，默认最新的时期。"
)

FILTERS = [
    NativeFilter("indicator", "指标", "indicator_name", multi=False, required=True),
    # one part at a time: the map's mean over a province and a region's line must not mix urban and rural.
    # A child of the indicator, so its options are the parts the chosen indicator has, and a part that
    # indicator lacks gives way to its first one instead of emptying every chart.
    NativeFilter(
        "scope",
        "范围",
        "scope_name",
        multi=False,
        parent="indicator",
        required=True,
        first_by=SCOPE_ORDER_METRIC,
        description=SCOPE_DESCRIPTION,
    ),
    NativeFilter("province", "省份", "province_name"),
    NativeFilter("city", "城市", "city_name", parent="province"),
    NativeFilter("county", "区县", "county_name", parent="city"),
    NativeFilter("year", "年份", "year"),
    NativeFilter("confidence", "可信度", "confidence_band", description=CONFIDENCE_DESCRIPTION),
    # the map's own: one level and one period at a time (the period a child of the level, so its options are
    # those the chosen indicator has at that level; it opens on the latest)
    # The level opens on 省级 as a fixed default, not on its first option: a first-option default of a child of a
    # first-option filter is applied before its parent has chosen (the map then drew a period the level lacked).
    NativeFilter(
        "map_level",
        "地图层级",
        "map_level",
        multi=False,
        parent="indicator",
        required=True,
        default=MAP_LEVELS["province"],
        description=MAP_LEVEL_DESCRIPTION,
        dataset=MAP_DATASET,
        only=("map", "legend"),
    ),
    NativeFilter(
        "map_period",
        "地图时期",
        "period_label",
        multi=False,
        parent="map_level",
        required=True,
        first_by="period_order",
        description=MAP_PERIOD_DESCRIPTION,
        dataset=MAP_DATASET,
        descending=True,
        only=("map", "legend"),
    ),
]
FILTER_DATASET = "mart_indicator_values"  # where each filter takes its choices from


def scope_order_metric(scopes: list[str]) -> tuple[str, str]:
    """The metric the scope filter sorts its options by: the order of `scopes` (dim_scope's sort_order: the whole
    first, then 城市, 农村, 集中供养, 分散供养, …), a part not listed last. Its first option is its default."""
    literals = [scope.replace("'", "''") for scope in scopes]
    cases = " ".join(f"when '{literal}' then {rank}" for rank, literal in enumerate(literals))
    return f"min(case scope {cases} else {len(scopes)} end)", "范围顺序（全部在前）"


def datasets_with_scope_order(scopes: list[str]) -> dict[str, Dataset]:
    """DATASETS, the filter's dataset with the scope order metric (read from the published dim_scope)."""
    datasets = dict(DATASETS)
    own = datasets[FILTER_DATASET]
    datasets[FILTER_DATASET] = replace(own, metrics={**own.metrics, SCOPE_ORDER_METRIC: scope_order_metric(scopes)})
    return datasets


def native_filters(dataset_ids: dict[str, int], chart_ids: dict[str, int], default_indicator: str | None) -> list:
    """Superset's native_filter_configuration for the dashboard's json_metadata."""
    configuration = []
    for spec in FILTERS:
        excluded = [
            chart_ids[chart.key]
            for chart in CHARTS
            if chart.key in chart_ids
            and (spec.key in chart.filters_ignored or (spec.only and chart.key not in spec.only))
        ]
        default = {"extraFormData": {}, "filterState": {}, "ownState": {}}
        value = default_indicator if spec.key == "indicator" else spec.default
        if value:
            default = {
                "extraFormData": {"filters": [{"col": spec.column, "op": "IN", "val": [value]}]},
                "filterState": {"value": [value]},
                "ownState": {},
            }
        configuration.append(
            {
                "id": f"NATIVE_FILTER-{spec.key}",
                "name": spec.name,
                "filterType": "filter_select",
                "type": "NATIVE_FILTER",
                "targets": [{"datasetId": dataset_ids[spec.dataset], "column": {"name": spec.column}}],
                "defaultDataMask": default,
                "controlValues": {
                    "enableEmptyFilter": spec.required,
                    "defaultToFirstItem": spec.first_by is not None,
                    "multiSelect": spec.multi,
                    "searchAllOptions": False,
                    "inverseSelection": False,
                    **({"sortAscending": not spec.descending, "sortMetric": spec.first_by} if spec.first_by else {}),
                },
                # as Superset's filter editor saves a first-item default: the dashboard holds its charts until
                # the filter has chosen (else they draw every part first), and applies that choice itself
                **({"requiredFirst": True, "sortMetric": spec.first_by} if spec.first_by else {}),
                "cascadeParentIds": [f"NATIVE_FILTER-{spec.parent}"] if spec.parent else [],
                "scope": {"rootPath": ["ROOT_ID"], "excluded": excluded},
                "chartsInScope": [chart_id for chart_id in chart_ids.values() if chart_id not in excluded],
                "tabsInScope": [],
                "description": spec.description,
            }
        )
    return configuration


# Superset 6.1's empty state of a chart (its EmptyState component): an image labelled "empty" beside a block of
# two paragraphs, the title ("No results were returned for this query") and a description
EMPTY_STATE_SELECTOR = "div:has(> [role='img'][aria-label='empty'])"
EMPTY_TITLE_SELECTOR = "> div > p:first-child"
EMPTY_DESCRIPTION_SELECTOR = "> div > p:not(:first-child)"


def empty_states_css(chart_ids: dict[str, int]) -> str:
    """The dashboard's CSS: in each chart whose filters leave it no rows, Superset's generic empty state ("No results
    were returned for this query") replaced by the chart's own sentence saying what is missing."""
    rules = []
    for chart in CHARTS:
        if not chart.empty_text or chart.key not in chart_ids:
            continue
        text = chart.empty_text.replace("\\", "\\\\").replace('"', '\\"')
        where = f"[data-test-chart-id='{chart_ids[chart.key]}'] {EMPTY_STATE_SELECTOR}"
        rules.append(f"{where} {EMPTY_DESCRIPTION_SELECTOR} {{ display: none; }}")
        rules.append(f"{where} {EMPTY_TITLE_SELECTOR} {{ font-size: 0; }}")
        rules.append(f'{where} {EMPTY_TITLE_SELECTOR}::after {{ content: "{text}"; font-size: 16px; }}')
    return LEGEND_CSS + "\n".join(rules) + "\n"


def layout(chart_ids: dict[str, int]) -> dict:
    """Rows of charts in CHARTS order, each row filled up to 12 columns."""
    position = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": DASHBOARD_TITLE}},
    }
    row, used = None, 12
    for chart in CHARTS:
        if chart.key not in chart_ids:  # its mart is not published yet
            continue
        if used + chart.width > 12:
            row, used = f"ROW-{len(position['GRID_ID']['children'])}", 0
            position["GRID_ID"]["children"].append(row)
            position[row] = {
                "type": "ROW",
                "id": row,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID"],
                "meta": {"background": "BACKGROUND_TRANSPARENT"},
            }
        node = f"CHART-{chart.key}"
        position[row]["children"].append(node)
        position[node] = {
            "type": "CHART",
            "id": node,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID", row],
            "meta": {"chartId": chart_ids[chart.key], "width": chart.width, "height": chart.height},
        }
        used += chart.width
    return position
