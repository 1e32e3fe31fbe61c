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


@dataclass
class Dataset:
    table: str
    schema: str = "marts"
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
    "period_id": "时期",
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
    "latest_actual_period_id": "实际值时期",
    "progress_ratio": "完成度",
    "target_label": "目标",
}


CONFIDENCE_BANDS_SQL = (
    "case when confidence >= 0.9 then '高（≥0.9）' when confidence >= 0.7 then '中（0.7–0.9）' else '低（<0.7）' end"
)

DATASETS = {
    "mart_indicator_values": Dataset(
        "mart_indicator_values",
        calculated_columns={
            "source_link": "case when document_url is null then "
            + _escaped("document_title")
            + " else '<a href=\"' || replace(document_url, '\"', '%22') || '\" target=\"_blank\">' || "
            + _escaped("document_title")
            + " || '</a>' end",
            # the confidence each fact carries (the measured precision of the rules that made it), in bands
            "confidence_band": CONFIDENCE_BANDS_SQL,
        },
        metrics={"max_value": ("max(value)", "数值")},
    ),
    "mart_latest_indicator_values": Dataset(
        "mart_latest_indicator_values",
        metrics={"avg_latest_value": ("avg(latest_value)", "最新值（省内各地平均）")},
    ),
    "mart_target_attainment": Dataset(
        "mart_target_attainment",
        calculated_columns={
            # the part in each bar's label: the filter shows one part, and a target names its own
            "target_label": "region_name || ' ' || scope_name || ' ' || period_id || '年目标' || coalesce('（完成 ' || "
            "cast(cast(round(progress_ratio * 100) as integer) as varchar) || '%，' "
            "|| latest_actual_period_id || '）', "
            "'（尚无实际值）')",
        },
        metrics={
            "max_target_value": ("max(target_value)", "目标值"),
            "max_latest_actual_value": ("max(latest_actual_value)", "最新实际值"),
        },
    ),
}


def _where(column: str, operator: str, value) -> dict:
    return {"expressionType": "SIMPLE", "subject": column, "operator": operator, "comparator": value, "clause": "WHERE"}


@dataclass
class Chart:
    key: str
    title: str
    dataset: str
    params: dict
    width: int  # of 12 grid columns
    height: int  # grid units of 8 px
    filters_ignored: tuple[str, ...] = ()  # native filters that do not apply (the map shows the latest year)


CHARTS = [
    Chart(
        "map",
        "各省最新值（所选指标与范围）",
        "mart_latest_indicator_values",
        {
            "viz_type": "country_map",
            "select_country": "china",
            "entity": "province_map_code",
            "metric": "avg_latest_value",
            "number_format": "SMART_NUMBER",
            "linear_color_scheme": "superset_seq_1",
            "adhoc_filters": [],
        },
        width=5,
        height=70,
        filters_ignored=("year", "confidence"),  # the latest value of a key, whatever made it
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
            "adhoc_filters": [_where("value_type", "==", "actual"), _where("actual_years_reported", ">=", 2)],
            "row_limit": 10000,
            "markerEnabled": True,
            "markerSize": 6,
            "show_legend": True,
            "legendOrientation": "bottom",
            "x_axis_time_format": "%Y",
            "rich_tooltip": True,
        },
        width=7,
        height=70,
    ),
    Chart(
        "targets",
        "目标与其后的实际值（完成度）",
        "mart_target_attainment",
        {
            "viz_type": "echarts_timeseries_bar",
            "x_axis": "target_label",
            "metrics": ["max_target_value", "max_latest_actual_value"],
            "groupby": [],
            "adhoc_filters": [],
            "orientation": "horizontal",
            "show_value": True,
            "show_legend": True,
            "legendOrientation": "bottom",
            "row_limit": 1000,
            "x_axis_sort_asc": True,
        },
        width=12,
        height=60,
        filters_ignored=("confidence",),  # a target pairs facts of two confidences
    ),
    Chart(
        "facts",
        "指标事实与原文证据",
        "mart_indicator_values",
        {
            "viz_type": "table",
            "query_mode": "raw",
            "all_columns": [
                "region_name",
                "indicator_name",
                "scope_name",
                "period_id",
                "value_type",
                "value",
                "unit",
                "confidence",
                "evidence",
                "source_link",
            ],
            "order_by_cols": [json.dumps(["year", False])],
            "allow_render_html": True,
            "row_limit": 1000,
            "adhoc_filters": [],
            "column_config": {"evidence": {"columnWidth": 520}},
        },
        width=12,
        height=90,
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


SCOPE_ORDER_METRIC = "scope_order"
SCOPE_DESCRIPTION = (
    "数值所指的部分：全部（未分城乡或供养方式、城乡统一或合计）、城市、农村、集中供养、分散供养等。"
    "一次只看一个部分，各图不混合不同部分。默认“全部”；所选指标没有“全部”的数值时，默认其第一个部分（城市、农村……）。"
)

CONFIDENCE_DESCRIPTION = (
    "每条事实的可信度：抽取它的规则在开发集上实测的准确率（docs/extraction.md 的校准表）。"
    "“高（≥0.9）”的事实在开发集上约99%正确；只看可靠的数值时选“高”。不选则显示全部。"
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
        excluded = [chart_ids[chart.key] for chart in CHARTS if spec.key in chart.filters_ignored]
        default = {"extraFormData": {}, "filterState": {}, "ownState": {}}
        if spec.key == "indicator" and default_indicator:
            default = {
                "extraFormData": {"filters": [{"col": spec.column, "op": "IN", "val": [default_indicator]}]},
                "filterState": {"value": [default_indicator]},
                "ownState": {},
            }
        configuration.append(
            {
                "id": f"NATIVE_FILTER-{spec.key}",
                "name": spec.name,
                "filterType": "filter_select",
                "type": "NATIVE_FILTER",
                "targets": [{"datasetId": dataset_ids[FILTER_DATASET], "column": {"name": spec.column}}],
                "defaultDataMask": default,
                "controlValues": {
                    "enableEmptyFilter": spec.required,
                    "defaultToFirstItem": spec.first_by is not None,
                    "multiSelect": spec.multi,
                    "searchAllOptions": False,
                    "inverseSelection": False,
                    **({"sortAscending": True, "sortMetric": spec.first_by} if spec.first_by else {}),
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
