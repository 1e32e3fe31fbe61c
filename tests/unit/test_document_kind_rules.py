"""The document_kind_rules seed on titles written for this test: the kind a title gets, by the order
int_documents_classified applies (a rule matching the title, then the lower priority, then the row first written).
DuckDB's regular expressions (RE2) and Python's agree on the constructs the seed uses."""

from __future__ import annotations

import csv
import re

import pytest

from warehouse.settings import DBT_PROJECT

RULES = list(csv.DictReader((DBT_PROJECT / "seeds" / "document_kind_rules.csv").open(encoding="utf-8")))


def kind_of(title: str) -> str:
    matching = [
        (int(rule["priority"]), number, rule["document_kind"])
        for number, rule in enumerate(RULES)
        if re.search(rule["pattern"], title)
    ]
    return min(matching)[2] if matching else "other"


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("某县民政局2026年工作总结", "annual_summary"),
        ("某县民政局2026年上半年工作总结", "half_year_summary"),
        ("某区民政局2026年民生实事项目进展情况(截至6月底)", "half_year_summary"),
        ("某区民政局2026年民生实事项目进展情况（截至2026年6月30日）", "half_year_summary"),
        ("某区2026年民生实事项目", "key_points"),
        ("关于提高某市城乡最低生活保障标准的通知", "standard_notice"),
        ("关于调整某州特困人员基本生活标准的通知", "standard_notice"),
        ("某市民政局2026年政府信息公开工作年度报告", "disclosure_report"),
        ("2026年1-9月民政统计数据", "statistics"),
        ("某市民政事业发展“十五五”规划", "five_year_plan"),
        ("全市民政工作会议召开", "annual_summary"),
        ("某区民政局上半年救助工作成效明显", "half_year_summary"),
        ("2026年全省民政工作会议在某市召开", "annual_summary"),
        ("某县召开2026年民政工作会议", "annual_summary"),
        ("根据全省民政工作会议部署某县2026年民政工作要点", "key_points"),
    ],
)
def test_a_title_gets_its_kind(title, kind):
    assert kind_of(title) == kind
