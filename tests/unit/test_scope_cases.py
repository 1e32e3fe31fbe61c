"""The scope cases of tests/cases/scope.yaml through the real deciding code, with the seeds' vocabulary: each
fact's scope and the rule that gave it, and no part where a part word is not a scope."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.unit.test_extraction_rules import decide, vocabulary  # noqa: F401 (a fixture)
from warehouse.transform.extraction.scope import SCOPE_RULES

CASES = yaml.safe_load((Path(__file__).parents[1] / "cases" / "scope.yaml").read_text(encoding="utf-8"))


def _decided(vocabulary, case):  # noqa: F811
    rows = decide(vocabulary, case["text"], kind=case.get("kind", "annual_summary"), year=case.get("year", 2024))
    return [row for row in rows if row["outcome"] == "fact"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_scope_case(vocabulary, case):  # noqa: F811
    facts = _decided(vocabulary, case)
    if case.get("whole_only"):
        assert facts, "the case should make at least one fact"
        assert {(row["indicator_code"], row["scope"], row["scope_rule"]) for row in facts if row["scope"]} == set()
        return
    got = {(row["indicator_code"], round(row["value"], 2), row["scope"]): row["scope_rule"] for row in facts}
    for fact in case["facts"]:
        key = (fact["indicator"], round(float(fact["value"]), 2), fact["scope"])
        assert key in got, f"{key} not among {sorted(got)}"
        assert got[key].split(":")[0] == fact["rule"], f"{key} decided by {got[key]}"


def test_every_scope_rule_has_a_case():
    used = {fact["rule"] for case in CASES for fact in case.get("facts", [])}
    assert {rule.rule_id for rule in SCOPE_RULES} <= used
