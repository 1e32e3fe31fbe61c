"""A confidence in [0, 1] for every fact: the measured precision of the weakest rule that made it.

Each fact was made by a chain of rules — the pairing rule that found its indicator, and the rules behind its
value type, period, region and scope (the `*_rule` columns of int_mention_decisions). `rule_keys` names each by
its stage and id in rules.py (`column header '2007 年'` → `period.column_header`). The seed rule_confidence.csv
holds each rule's precision on the development set, smoothed toward a low prior where a rule made few facts
(benchmarks/rule_precision.py measures and writes it); a rule the seed does not know gets the prior itself. A
fact's confidence is the lowest of its rules': one weak step is enough to make it doubtful."""

from __future__ import annotations

from collections.abc import Iterable

import regex

from warehouse.transform.extraction.rules import rule_for

RULE_COLUMNS = (
    ("pairing", "pairing_rule"),
    ("value_type", "value_type_rule"),
    ("period", "period_rule"),
    ("region", "region_rule"),
    ("scope", "scope_rule"),
)
# about what documents of bureaus never seen scored before any rule was written for them (docs/extraction.md)
PRIOR_PRECISION = 0.5
PRIOR_STRENGTH = 4  # how many facts a rule's own record must outweigh before it speaks for itself
_PARTICULARS = regex.compile(r"'[^']*[\p{Han}\d][^']*'|“[^”]*”|\([^)]*[\p{Han}\d][^)]*\)|\p{Han}+|\d+")
_SPACES = regex.compile(r"\s+")


def _label_key(stage: str, label: str) -> list[str]:
    """The keys of the rules behind a label: `stage.rule_id` (rules.py), or for a label no rule claims the
    stage and its words without what it quotes of the text."""
    if stage == "scope":
        return [f"scope.{part.split(':', 1)[0].strip()}" for part in label.split("; ") if part.strip()]
    rule = rule_for(stage, label)
    if rule is not None:
        variant = rule.variant(label.removesuffix(", counting new ones"))
        return [f"{stage}.{rule.rule_id}" + (f":{variant}" if variant else "")]
    return [f"{stage}: " + _SPACES.sub(" ", _PARTICULARS.sub(" ", label)).strip(" :,")]


def rule_keys(row: dict) -> list[str]:
    """The rules a decision row was made by, one key each."""
    keys = []
    for stage, column in RULE_COLUMNS:
        label = row.get(column)
        if label:
            keys += _label_key(stage, str(label))
    return keys


def smoothed(correct: int, facts: int) -> float:
    return (correct + PRIOR_STRENGTH * PRIOR_PRECISION) / (facts + PRIOR_STRENGTH)


def confidence_table(rows: Iterable[dict]) -> dict[str, float]:
    """rule_confidence.csv's rows → rule key → confidence."""
    table = {}
    for row in rows:
        try:
            table[str(row["rule_key"])] = float(row["confidence"])
        except (KeyError, TypeError, ValueError):
            continue
    return table


def confidence_of(row: dict, table: dict[str, float]) -> float:
    keys = rule_keys(row)
    if not keys:
        return PRIOR_PRECISION
    return round(min(table.get(key, PRIOR_PRECISION) for key in keys), 3)
