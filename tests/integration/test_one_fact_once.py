"""The demo's warehouse (every enabled source of the offline mirror crawled, as `make demo` does through Airflow,
then built) holds two values for one indicator, region, period, value type and scope only where FACTS.md allows
it ("One fact, once"): one document states two values, or two documents disagree. Each such key is listed here
with why; a key that appears or vanishes fails the test until it is explained here."""

from __future__ import annotations

import duckdb
import pytest

pytestmark = pytest.mark.integration

# (region, indicator, period, value type, scope) → its values, and how many documents state them
LEGITIMATE = {
    # One document states both (温州市 2025 H1 summary): 预计…低保标准超1.4万元 and 拟由1145元调整到1190元 (×12),
    # the example of FACTS.md; both are in the gold.
    ("温州市", "dibao_standard", "2025", "target", ""): ([14000.0, 14280.0], 1),
    # One document states both (温州市 2025 H1 summary): 全市接收社会捐赠款物2.81亿元 and 募集1800万元 for the
    # 阳光少年启航计划. The gold keeps only the city's total: the programme's sum is an extraction error the
    # accuracy benchmark counts, not a second fact.
    ("温州市", "charity_donations", "2025H1", "actual", ""): ([1800.0, 28100.0], 1),
    # One document states both (婺城区 2021 summary): 8家乡镇(街道)居家养老服务中心 built and 区级示范型居家养老服务
    # 照料中心17家 upgraded; both are in the gold.
    ("婺城区", "home_care_centers_added", "2021", "actual", ""): ([8.0, 17.0], 1),
    # One sentence of the 舟山 plan names both (1个乡镇(街道)居家养老服务中心和5个社区照料中心, to be exchange
    # platforms); the gold has neither as a target of the indicator: an extraction error, not a second fact.
    ("舟山市", "home_care_centers", "2025", "target", ""): ([1.0, 5.0], 1),
}

# Without scope these would be keys with two values too: a document states the urban and the rural part side by
# side (the examples). Scope keeps them apart, as it does the other parts the demo's documents state
# (concentrated and dispersed orphans, the rural parts of 特困 funds, the 城乡 pairs of statistics tables).
PARTS = {
    ("合肥市", "dibao_standard", "2020", "actual"): {"urban": 8232.0, "rural": 7752.0},
    ("济南市", "dibao_standard", "2023", "actual"): {"urban": 12540.0, "rural": 9768.0},
    ("姚安县", "dibao_standard", "2025", "actual"): {"urban": 8928.0, "rural": 6720.0},
}

KEYS_WITH_TWO_VALUES = """
select facts.region_name, facts.indicator_code, facts.period_id, facts.value_type, facts.scope,
       list(distinct facts.value order by facts.value) as values_stated,
       count(distinct documents.document) as documents
from marts.fct_indicator_values as facts
inner join marts.dim_document as documents using (document_id)
group by all
having count(distinct facts.value) > 1
"""


@pytest.fixture(scope="module")
def demo_warehouse(mirror_warehouse):
    """The build file of the demo's sources (the conftest's crawl and build, shared with the Superset test)."""
    return mirror_warehouse.build


def test_two_values_of_one_key_only_where_a_document_states_two_or_documents_disagree(demo_warehouse):
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    try:
        found = {tuple(row[:5]): (row[5], row[6]) for row in con.execute(KEYS_WITH_TWO_VALUES).fetchall()}
    finally:
        con.close()
    assert found == LEGITIMATE
    assert not set(found) & {(*key, scope) for key, parts in PARTS.items() for scope in parts}


def test_parts_stated_side_by_side_are_facts_of_their_scopes(demo_warehouse):
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    try:
        for (region, indicator, period, value_type), parts in PARTS.items():
            stated = con.execute(
                "select scope, value from marts.fct_indicator_values where region_name = ? and indicator_code = ?"
                " and period_id = ? and value_type = ?",
                [region, indicator, period, value_type],
            ).fetchall()
            assert dict(stated) == parts, region
    finally:
        con.close()
