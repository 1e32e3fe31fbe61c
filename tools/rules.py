"""`make rules`: every extraction rule with what it does, how many cases prove it, and what it made on the
development set (the facts it took part in and their precision, from dbt_project/seeds/rule_confidence.csv,
which `python -m benchmarks.rule_precision` measures). Ends with the line `N rules, M cases`: M counts the cases
written in tests/cases/*.yaml; generated variations are counted apart."""

from __future__ import annotations

import csv
import sys
from collections import Counter

import regex
import yaml

from warehouse.settings import DBT_PROJECT, REPO_ROOT
from warehouse.transform.extraction.rules import STAGES, Rule
from warehouse.transform.extraction.scope import SCOPE_RULES

CASES = REPO_ROOT / "tests" / "cases"
CASE_FIELDS = (("pairing", "rule"), ("period", "period_rule"), ("value_type", "value_type_rule"))
CASE_FIELDS += (("region", "region_rule"),)


def all_rules() -> list[Rule]:
    rules = [rule for stage in ("pairing", "value_type", "period", "region") for rule in STAGES[stage]]
    rules += [Rule(rule.rule_id, "scope", rule.rule_id, rule.does) for rule in SCOPE_RULES]
    return rules + list(STAGES["drop"])


def _claims(rule: Rule, written: str) -> bool:
    """A case names a rule by its label, a prefix of it, or (scope) its id."""
    written = written.strip()
    if not written:
        return False
    if rule.label and (rule.label == written or rule.label.startswith(written)):
        return True
    return bool(rule.pattern) and bool(regex.match(rule.pattern, written, partial=True))


def load_cases() -> list[dict]:
    cases = []
    for path in sorted(CASES.glob("*.yaml")):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        entries = loaded.get("cases", []) if isinstance(loaded, dict) else loaded
        for case in entries:
            if isinstance(case, dict):
                case["file"] = path.name
                cases.append(case)
    return cases


def case_counts(cases: list[dict], rules: list[Rule]) -> Counter:
    counts: Counter = Counter()
    for case in cases:
        claimed = set()
        for fact in case.get("facts") or []:
            for stage, field in CASE_FIELDS:
                stage = "scope" if case["file"] == "scope.yaml" and field == "rule" else stage
                claimed |= {id(r) for r in rules if r.stage == stage and _claims(r, str(fact.get(field) or ""))}
        for drop in case.get("dropped") or []:
            # a drop's reason may be a deciding rule's own label (the 'from' of a change already made …)
            claimed |= {id(r) for r in rules if r.stage != "pairing" and _claims(r, str(drop.get("reason") or ""))}
        counts.update(claimed)
    return counts


def dev_record() -> dict[str, tuple[int, float]]:
    path = DBT_PROJECT / "seeds" / "rule_confidence.csv"
    record: dict[str, list] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = row["rule_key"].split(":", 1)[0]  # variants (reported:statistics) add up to their rule
            facts, correct = int(row["facts"]), int(row["correct"])
            totals = record.setdefault(key, [0, 0])
            totals[0] += facts
            totals[1] += correct
    return {key: (facts, correct / facts if facts else 0.0) for key, (facts, correct) in record.items()}


def main() -> int:
    rules, cases = all_rules(), load_cases()
    counts, record = case_counts(cases, rules), dev_record()
    stage = None
    for rule in rules:
        if rule.stage != stage:
            stage = rule.stage
            print(f"\n{stage}{'' if stage == 'drop' else ' (first that applies decides)'}")
            print(f"  {'rule':30s} {'cases':>5s} {'facts':>5s} {'P':>6s}  what it does")
        facts, precision = record.get(f"{rule.stage}.{rule.rule_id}", (0, float("nan")))
        shown = f"{precision:6.3f}" if facts else "     -"
        print(f"  {rule.rule_id:30s} {counts.get(id(rule), 0):5d} {facts:5d} {shown}  {rule.does}")
    without = [f"{rule.stage}.{rule.rule_id}" for rule in rules if not counts.get(id(rule))]
    if without:
        print(f"\nrules without a case ({len(without)}): {', '.join(without)}")
    written = sum(1 for case in cases if not case.get("generated"))
    print(f"\n{len(rules)} rules, {written} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
