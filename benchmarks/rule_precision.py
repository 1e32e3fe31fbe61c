"""Each extraction rule's precision on the development set, the confidence it lends a fact, and how well those
confidences are calibrated.

    python -m benchmarks.rule_precision             # measure, print, write dbt_project/seeds/rule_confidence.csv
    python -m benchmarks.rule_precision --dry-run       # measure and print only
    python -m benchmarks.rule_precision --calibrate unseen_estimate   # the calibration table on those documents

The development set is the seeds and the corpus less the documents kept aside as the estimate for unseen
bureaus (data/corpus/split.json: unseen_estimate). One `make facts` build over every document with gold; a
predicted fact is correct when it matches a gold fact by the FACTS.md rule. A rule's precision is the share of
the development facts it took part in that were correct; its confidence that share smoothed toward
warehouse.transform.extraction.confidence.PRIOR_PRECISION (PRIOR_STRENGTH facts' worth)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import duckdb

from benchmarks.extraction_accuracy import DATA, merged_folder, run_facts
from benchmarks.fact_scoring import load_facts, score
from warehouse.settings import DBT_PROJECT
from warehouse.transform.extraction.confidence import rule_keys, smoothed

SEED = DBT_PROJECT / "seeds" / "rule_confidence.csv"
BINS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01))
KEY = ("document", "indicator_code", "region", "period", "value_type", "scope")


def split_sets() -> dict[str, set[str]]:
    split = json.loads((DATA / "corpus" / "split.json").read_text(encoding="utf-8"))
    corpus = {path.name for path in (DATA / "corpus" / "docs").glob("*.txt")}
    seeds = {path.name for path in (DATA / "seeds").glob("*.txt")}
    unseen = {f"{stem}.txt" for stem in split.get("unseen_estimate", [])}
    return {"development": (seeds | corpus) - unseen, "unseen_estimate": unseen}


def rules_of_facts(warehouse: Path) -> dict[tuple, dict]:
    """Fact key + value → the decision row (its rules and confidence) that made it, first statement first."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = con.execute(
            "select document, indicator_code, region, period, value_type, coalesce(scope, '') as scope, value, "
            "pairing_rule, value_type_rule, period_rule, region_rule, scope_rule, confidence "
            "from intermediate.int_mention_decisions where outcome = 'fact' order by evidence_start"
        )
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()
    found: dict[tuple, dict] = {}
    for row in rows:
        found.setdefault((*(row[k] for k in KEY), round(float(row["value"]), 3)), row)
    return found


def judged_facts(scratch: Path) -> list[tuple[dict, dict | None, bool]]:
    """(predicted fact, its decision row, correct?) for every predicted fact of a document with gold."""
    sets = {"seeds": (DATA / "seeds", DATA / "gold"), "corpus": (DATA / "corpus" / "docs", DATA / "corpus" / "gold")}
    facts_path = scratch / "facts.jsonl"
    if not facts_path.exists():
        run_facts(merged_folder(sets, scratch / "documents"), facts_path, scratch / "build")
    gold = load_facts(DATA / "gold") + load_facts(DATA / "corpus" / "gold")
    predicted = load_facts(facts_path)
    outcomes = score(gold, predicted).outcomes
    rows = rules_of_facts(scratch / "build" / "warehouse.duckdb")
    judged = []
    for outcome in outcomes:
        if outcome.predicted is None:
            continue
        fact = outcome.predicted
        row = rows.get((*(fact[k] for k in KEY), round(float(fact["value"]), 3)))
        judged.append((fact, row, outcome.cause == "match"))
    return judged


def precision_by_rule(judged, documents: set[str]) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for fact, row, correct in judged:
        if row is None or fact["document"] not in documents:
            continue
        for key in set(rule_keys(row)):
            counts[key][0] += int(correct)
            counts[key][1] += 1
    return {key: (correct, total) for key, (correct, total) in counts.items()}


def write_seed(counts: dict[str, tuple[int, int]], path: Path = SEED) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("rule_key", "facts", "correct", "precision", "confidence"))
        for key in sorted(counts):
            correct, total = counts[key]
            writer.writerow((key, total, correct, f"{correct / total:.3f}", f"{smoothed(correct, total):.3f}"))


def calibration(judged, documents: set[str], confidence) -> list[tuple[str, int, int]]:
    """(bin, facts, correct) of the facts of the given documents by the confidence the build gave them."""
    table = []
    for low, high in BINS:
        inside = [
            correct
            for fact, row, correct in judged
            if fact["document"] in documents and row is not None and low <= confidence(row) < high
        ]
        table.append((f"[{low:.2f}, {min(high, 1.0):.2f}{']' if high > 1 else ')'}", len(inside), sum(inside)))
    return table


def print_calibration(title: str, table) -> None:
    print(f"\n{title}\n{'confidence':14s} {'facts':>6s} {'right':>6s} {'precision':>9s}")
    for label, total, correct in table:
        print(f"{label:14s} {total:6d} {correct:6d} {correct / total if total else float('nan'):9.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", type=Path, help="reuse or keep the scratch build in this folder")
    parser.add_argument("--dry-run", action="store_true", help="do not write the seed")
    parser.add_argument("--calibrate", default="development", help="whose calibration table to print too")
    args = parser.parse_args(argv)
    scratch = Path(args.keep or tempfile.mkdtemp(prefix="minzheng-rules-"))
    scratch.mkdir(parents=True, exist_ok=True)
    judged = judged_facts(scratch)
    sets = split_sets()
    counts = precision_by_rule(judged, sets["development"])
    print(f"{'rule':70s} {'facts':>6s} {'right':>6s} {'P':>6s} {'conf':>6s}")
    for key in sorted(counts, key=lambda k: (-counts[k][1], k)):
        correct, total = counts[key]
        print(f"{key[:70]:70s} {total:6d} {correct:6d} {correct / total:6.3f} {smoothed(correct, total):6.3f}")
    if not args.dry_run:
        write_seed(counts)
        print(f"\nwrote {SEED} ({len(counts)} rules); the next build gives facts these confidences")
    for name in dict.fromkeys(("development", args.calibrate)):
        print_calibration(
            f"calibration on {name} (confidence the build gave each fact)",
            calibration(judged, sets.get(name, set()), lambda row: float(row["confidence"] or 0)),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
