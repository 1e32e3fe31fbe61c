"""Extraction accuracy over every document with gold facts: `make facts` once, scored by the FACTS.md rule.

    python -m benchmarks.extraction_accuracy            # seeds + corpus (its sets from data/corpus/split.json)
    python -m benchmarks.extraction_accuracy --set held_out --show 50
    python -m benchmarks.extraction_accuracy --docs DIR --gold DIR   # any other folder with gold

Prints precision, recall and F1 per set (seeds, corpus, its develop and held-out halves, all) and per
document, every miss and false positive sorted by cause (benchmarks/fact_scoring.py), and — read from the
scratch warehouse's `int_mention_decisions`, the table `make explain` reads — why each value that was never
extracted was dropped.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.fact_scoring import NEVER_EXTRACTED, Score, close, load_facts, score, without_scope
from warehouse.settings import REPO_ROOT

DATA = REPO_ROOT / "data"
CAUSES = (
    "never extracted",
    "wrong indicator_code",
    "wrong region",
    "wrong period",
    "wrong value_type",
    "wrong scope",
    "wrong value",
)


def gold_sets(args) -> dict[str, tuple[Path, Path]]:
    if args.docs:
        return {"given": (args.docs, args.gold)}
    return {"seeds": (DATA / "seeds", DATA / "gold"), "corpus": (DATA / "corpus" / "docs", DATA / "corpus" / "gold")}


def merged_folder(sets: dict[str, tuple[Path, Path]], into: Path) -> Path:
    """One folder with every set's documents (and sidecars): one dbt build instead of one per set."""
    into.mkdir(parents=True, exist_ok=True)
    for docs, _ in sets.values():
        for path in docs.iterdir():
            if path.is_file():
                shutil.copy(path, into / path.name)
    return into


def run_facts(docs: Path, out: Path, keep: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "tools.facts", str(docs), str(out), "--keep", str(keep)], cwd=REPO_ROOT, check=True
    )


def explain_drops(warehouse: Path, misses) -> dict[int, str]:
    """For a value never extracted, what the build decided about the number mention it is written in."""
    if not warehouse.exists():
        return {}
    import duckdb

    reasons: dict[int, str] = {}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'intermediate'"
            ).fetchall()
        }
        if "int_mention_decisions" not in tables:
            return {}
        for outcome in misses:
            fact = outcome.gold
            rows = con.execute(
                "select raw_mention, outcome, reason, indicator_code, value from intermediate.int_mention_decisions "
                "where document = ? and contains(?, raw_mention) order by start_offset",
                [fact["document"], fact["evidence"]],
            ).fetchall()
            best = next((row for row in rows if row[4] is not None and close(row[4], fact["value"])), None)
            best = best or (rows[-1] if rows else None)
            reasons[id(outcome)] = (
                f"{best[0]}: {best[1]} ({best[2]}{', as ' + best[3] if best[3] else ''})"
                if best
                else "no number mention found in the evidence"
            )
    finally:
        con.close()
    return reasons


def print_scores(title: str, scores: dict[str, Score]) -> None:
    print(f"\n{title}")
    print(f"{'':24s} {'gold':>5s} {'pred':>5s} {'tp':>5s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    for name, result in scores.items():
        print(
            f"{name:24s} {result.gold_count:5d} {result.predicted_count:5d} {result.true_positives:5d} "
            f"{result.precision:6.3f} {result.recall:6.3f} {result.f1:6.3f}"
        )


def print_causes(scores: dict[str, Score]) -> None:
    print("\nmisses by cause (gold facts not matched)")
    print(f"{'':24s} " + " ".join(f"{c.replace('wrong ', 'w.'):>14s}" for c in (*CAUSES, "several fields")))
    for name, result in scores.items():
        causes = result.miss_causes()
        several = sum(n for c, n in causes.items() if c not in CAUSES)
        print(f"{name:24s} " + " ".join(f"{causes.get(c, 0):14d}" for c in CAUSES) + f" {several:14d}")
    print("\nfalse positives by cause")
    for name, result in scores.items():
        causes = result.false_positive_causes()
        print(f"{name:24s} " + ", ".join(f"{c} {n}" for c, n in causes.most_common()) if causes else f"{name:24s} none")


def describe(fact: dict) -> str:
    return (
        f"{fact['document'][:14]:14s} {fact['indicator_code']} {fact['region']} {fact['period']} "
        f"{fact['value_type']} {fact['scope'] or '-'} {fact['value']} | {fact['evidence'][:60]}"
    )


def print_listing(chosen: Score, set_name: str, show: int, warehouse: Path) -> None:
    """The misses and false positives of one set, each with its cause and, for values never extracted, why."""
    misses = chosen.misses()
    reasons = explain_drops(warehouse, [o for o in misses if o.cause == NEVER_EXTRACTED])
    print(f"\nmisses of {set_name} ({len(misses)}):")
    for outcome in sorted(misses, key=lambda o: o.cause)[:show]:
        line = f"  [{outcome.cause}] {describe(outcome.gold)}"
        if outcome.predicted is not None:
            got = outcome.predicted
            line += (
                f"\n      got {got['indicator_code']} {got['region']} {got['period']} "
                f"{got['value_type']} {got['scope'] or '-'} {got['value']}"
            )
        elif id(outcome) in reasons:
            line += f"\n      build: {reasons[id(outcome)]}"
        print(line)
    spurious = [o for o in chosen.false_positives() if o.gold is None]
    print(f"\nfalse positives that should not exist, {set_name} ({len(spurious)}):")
    for outcome in spurious[:show]:
        print(f"  {describe(outcome.predicted)}")


def write_json(path: Path, scores: dict[str, Score], scopeless: dict[str, Score]) -> None:
    path.write_text(
        json.dumps(
            {
                name: {
                    "gold": s.gold_count,
                    "predicted": s.predicted_count,
                    "matched": s.true_positives,
                    "precision": round(s.precision, 3),
                    "recall": round(s.recall, 3),
                    "f1": round(s.f1, 3),
                    "f1_scope_ignored": round(scopeless[name].f1, 3),
                    "misses": dict(s.miss_causes()),
                    "false_positives": dict(s.false_positive_causes()),
                }
                for name, s in scores.items()
            },
            ensure_ascii=False,
            indent=1,
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=Path, help="score this folder of documents instead of seeds + corpus")
    parser.add_argument("--gold", type=Path, help="the gold facts of --docs (a folder of .jsonl or one file)")
    parser.add_argument("--facts", type=Path, help="score this facts file instead of running make facts")
    parser.add_argument(
        "--set",
        default="development",
        help="which set's misses and false positives to list (default: all but the unseen_estimate documents)",
    )
    parser.add_argument("--show", type=int, default=30, help="how many misses and false positives to list")
    parser.add_argument("--warehouse", type=Path, help="with --facts: the warehouse those facts came from")
    parser.add_argument("--keep", type=Path, help="keep the scratch folder (documents, raw layer, warehouse) here")
    parser.add_argument("--json", type=Path, help="also write the per-set figures to this JSON file")
    args = parser.parse_args(argv)
    if bool(args.docs) != bool(args.gold):
        parser.error("--docs and --gold go together")

    sets = gold_sets(args)
    scratch = Path(args.keep or tempfile.mkdtemp(prefix="minzheng-accuracy-"))
    facts_path, warehouse = args.facts, args.warehouse or scratch / "warehouse.duckdb"
    if facts_path is None:
        facts_path = scratch / "facts.jsonl"
        run_facts(merged_folder(sets, scratch / "documents"), facts_path, scratch / "build")
        warehouse = scratch / "build" / "warehouse.duckdb"
    predicted = load_facts(facts_path)

    documents: dict[str, set[str]] = {}
    gold: list[dict] = []
    for name, (docs, gold_dir) in sets.items():
        facts = load_facts(gold_dir)
        documents[name] = {p.name for p in docs.iterdir() if p.suffix in (".txt", ".html", ".pdf", ".docx")} | {
            f["document"] for f in facts
        }
        gold += facts
    if "corpus" in sets:
        split = json.loads((DATA / "corpus" / "split.json").read_text(encoding="utf-8"))
        for half in ("develop", "held_out", "added", "added_develop", "unseen_estimate"):
            documents[f"corpus {half}"] = {f"{stem}.txt" for stem in split.get(half, [])}
        documents["corpus older"] = documents["corpus develop"] | documents["corpus held_out"]
    documents["all"] = set().union(*documents.values())
    # what rules may be studied on: all but the documents kept aside as the estimate for unseen bureaus
    documents["development"] = documents["all"] - documents.get("corpus unseen_estimate", set())
    if "corpus" in documents:
        documents["corpus development"] = documents["corpus"] - documents["corpus unseen_estimate"]
    overall = score(gold, [p for p in predicted if p["document"] in documents["all"]])
    scores = {name: overall.subset(docs) for name, docs in documents.items()}
    unscoped = score(without_scope(gold), without_scope([p for p in predicted if p["document"] in documents["all"]]))
    scopeless = {name: unscoped.subset(docs) for name, docs in documents.items()}

    print_scores("accuracy by set (FACTS.md match rule)", scores)
    print_scores("accuracy by set, scope ignored", scopeless)
    shown = documents["all"] if args.set == "all" else documents.get(args.set, documents["development"])
    per_document = {document: overall.subset({document}) for document in sorted(shown)}
    print_scores("accuracy by document", per_document)
    print_causes(scores)

    if args.show:
        print_listing(scores.get(args.set, overall), args.set, args.show, warehouse)
    if args.json:
        write_json(args.json, scores, scopeless)
    if not args.keep and not args.facts:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
