"""Scoring predicted facts against gold facts by the FACTS.md match rule, and sorting every miss and every
false positive by its cause.

Match rule: document, indicator_code, region, period, value_type and scope equal (a missing scope is the empty
string, the whole) and value within 0.5 % of the gold value; each gold fact matches once. A gold fact left
unmatched is then paired, where it can be, with an unmatched prediction of the same document that differs in
one way only — that names the cause:

- `wrong indicator_code` / `wrong region` / `wrong period` / `wrong value_type` / `wrong scope`: the value was
  found, one key field is off (several fields off: `wrong region+period`, …);
- `wrong value`: the key is right, the value is not;
- `never extracted`: no prediction of that document comes close.

A false positive paired with a miss carries the miss's cause; the others are `should not exist`.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

KEY = ("document", "indicator_code", "region", "period", "value_type", "scope")
FIELDS = KEY[1:]
NEVER_EXTRACTED, SHOULD_NOT_EXIST, WRONG_VALUE = "never extracted", "should not exist", "wrong value"


def load_facts(path: Path) -> list[dict]:
    """Facts from one JSON Lines file or every *.jsonl of a folder; `document` reduced to its file name."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    facts = []
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                fact = json.loads(line)
                fact["document"] = Path(str(fact["document"])).name
                fact["scope"] = fact.get("scope") or ""
                facts.append(fact)
    return facts


def close(predicted: float, gold: float) -> bool:
    predicted, gold = float(predicted), float(gold)
    return abs(predicted - gold) <= 0.005 * abs(gold) if gold else abs(predicted) < 1e-9


@dataclass
class Outcome:
    gold: dict | None
    predicted: dict | None
    cause: str  # "match" or one of the causes above


@dataclass
class Score:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def true_positives(self) -> int:
        return sum(1 for o in self.outcomes if o.cause == "match")

    @property
    def gold_count(self) -> int:
        return sum(1 for o in self.outcomes if o.gold is not None)

    @property
    def predicted_count(self) -> int:
        return sum(1 for o in self.outcomes if o.predicted is not None)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted_count if self.predicted_count else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold_count if self.gold_count else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.gold is not None and o.cause != "match"]

    def false_positives(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.predicted is not None and o.cause != "match"]

    def miss_causes(self) -> Counter:
        return Counter(o.cause for o in self.misses())

    def false_positive_causes(self) -> Counter:
        return Counter(o.cause for o in self.false_positives())

    def subset(self, documents: set[str]) -> Score:
        return Score([o for o in self.outcomes if (o.gold or o.predicted)["document"] in documents])


def _differing(gold: dict, predicted: dict) -> list[str]:
    return [name for name in FIELDS if str(gold[name]) != str(predicted[name])]


def without_scope(facts: list[dict]) -> list[dict]:
    """The facts with every scope emptied: the score before scope was part of the key."""
    return [fact | {"scope": ""} for fact in facts]


def score(gold: list[dict], predicted: list[dict]) -> Score:
    outcomes: list[Outcome] = []
    unused = list(predicted)
    missed = []
    for fact in gold:
        hit = next(
            (p for p in unused if all(str(p[k]) == str(fact[k]) for k in KEY) and close(p["value"], fact["value"])),
            None,
        )
        if hit is None:
            missed.append(fact)
        else:
            unused.remove(hit)
            outcomes.append(Outcome(fact, hit, "match"))

    def pair(accept) -> None:
        for fact in list(missed):
            candidate = next((p for p in unused if p["document"] == fact["document"] and accept(fact, p)), None)
            if candidate is not None:
                unused.remove(candidate)
                missed.remove(fact)
                differing = _differing(fact, candidate)
                cause = "wrong " + "+".join(differing) if differing else WRONG_VALUE
                outcomes.append(Outcome(fact, candidate, cause))

    pair(lambda g, p: close(p["value"], g["value"]) and len(_differing(g, p)) == 1)
    pair(lambda g, p: not _differing(g, p))
    pair(lambda g, p: close(p["value"], g["value"]) and g["indicator_code"] == p["indicator_code"])
    outcomes += [Outcome(fact, None, NEVER_EXTRACTED) for fact in missed]
    outcomes += [Outcome(None, p, SHOULD_NOT_EXIST) for p in unused]
    return Score(outcomes)
