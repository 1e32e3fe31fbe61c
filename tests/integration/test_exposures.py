"""dbt exposures name what reads the marts: every table the dashboard 民政指标 reads — its datasets
(tools/superset_dashboard.py) and the tables tools/superset_up.py queries — is a dependency of the exposure, so
`dbt ls -s +exposure:minzheng_dashboard` is the truth about what the dashboard needs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools import superset_up
from tools.superset_dashboard import DASHBOARD_SLUG, DATASETS

pytestmark = pytest.mark.integration


def _dashboard_tables() -> set[str]:
    read_by_provisioning = re.findall(r"\bmarts\.(\w+)", Path(superset_up.__file__).read_text(encoding="utf-8"))
    physical = {dataset.table for dataset in DATASETS.values() if not dataset.sql}
    # a virtual dataset (the map's) reads the marts its SQL names
    read_by_queries = {
        table for dataset in DATASETS.values() for table in re.findall(r"\bmarts\.(\w+)", dataset.sql or "")
    }
    return physical | read_by_queries | set(read_by_provisioning)


def test_every_table_the_dashboard_reads_is_an_exposure_dependency(manifest):
    exposure = manifest["exposures"]["exposure.minzheng.minzheng_dashboard"]
    models = {manifest["nodes"][node]["name"] for node in exposure["depends_on"]["nodes"]}
    tables = _dashboard_tables()
    assert {"mart_indicator_values", "dim_scope"} <= tables  # the parse above found what it should
    assert tables - models == set(), "read by the dashboard but not in _exposures.yml's depends_on"
    assert all(manifest["nodes"][node]["schema"] == "marts" for node in exposure["depends_on"]["nodes"])
    assert exposure["url"].endswith(f"/superset/dashboard/{DASHBOARD_SLUG}/")
    assert exposure["owner"]["name"] and exposure["type"] == "dashboard"
