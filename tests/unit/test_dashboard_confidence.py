"""The dashboard's confidence filter (tools/superset_dashboard.py): each fact's confidence, in bands, filters the
charts on facts; the charts on other marts (latest values, attainment), which have no confidence column, ignore
it. The provisioning in a real Superset is tested in tests/integration/test_superset.py."""

from __future__ import annotations

import duckdb

from tools.superset_dashboard import CHARTS, CONFIDENCE_BANDS_SQL, DATASETS, FILTER_DATASET, FILTERS


def test_the_confidence_filter_reaches_only_charts_whose_mart_has_confidence():
    [spec] = [spec for spec in FILTERS if spec.key == "confidence"]
    assert spec.column in DATASETS[FILTER_DATASET].calculated_columns
    for chart in CHARTS:
        applies = "confidence" not in chart.filters_ignored
        assert applies == (chart.dataset == FILTER_DATASET), chart.key


def test_confidence_bands_cut_at_the_calibrated_thresholds():
    con = duckdb.connect()
    rows = con.execute(
        f"select confidence, {CONFIDENCE_BANDS_SQL} from (values (0.95), (0.9), (0.89), (0.7), (0.4)) t(confidence)"
    ).fetchall()
    assert [band for _, band in rows] == ["高（≥0.9）", "高（≥0.9）", "中（0.7–0.9）", "中（0.7–0.9）", "低（<0.7）"]
