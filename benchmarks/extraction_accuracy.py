"""Extraction accuracy: `make facts` on a folder of documents, compared with hand-checked gold facts.

    python benchmarks/extraction_accuracy.py [--docs data/seeds] [--gold data/gold] [--facts out.jsonl]

Match rule (FACTS.md): document, indicator_code, region, period and value_type equal and value within
0.5 % of the gold value; each gold fact matches at most once. Prints precision, recall and F1 per
document and overall, why gold facts were missed (closest prediction differs in code, region, period,
value_type or value; or nothing found), and the false positives. A baseline row compares number and
money recognition of jionlp with ours on every numeric mention of the gold evidence.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

KEY = ("document", "indicator_code", "region", "period", "value_type")


def load(path: Path) -> list[dict]:
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    return [json.loads(line) for file in files for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]


def close(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) <= 0.005 * abs(float(b)) if b else float(a) == 0


def match(gold: list[dict], predicted: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    unused = list(predicted)
    pairs, missed = [], []
    for fact in gold:
        hit = next((p for p in unused if all(p[k] == fact[k] for k in KEY) and close(p["value"], fact["value"])), None)
        if hit is None:
            missed.append(fact)
        else:
            unused.remove(hit)
            pairs.append((fact, hit))
    return pairs, missed, unused


def miss_cause(fact: dict, predictions: list[dict]) -> str:
    """Which field keeps the nearest prediction of the same document from matching."""
    same_doc = [p for p in predictions if p["document"] == fact["document"]]
    for field in ("indicator_code", "region", "period", "value_type"):
        others = [k for k in KEY[1:] if k != field]
        if any(all(p[k] == fact[k] for k in others) and close(p["value"], fact["value"]) for p in same_doc):
            return f"wrong {field}"
    if any(all(p[k] == fact[k] for k in KEY) for p in same_doc):
        return "wrong value"
    return "not found"


def scores(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def number_baseline(gold: list[dict]) -> list[str]:
    """Score both parsers on the gold facts' own raw quantities: the written number whose base-unit
    value is the gold value (after the catalogue conversion). A parser is right when its value for
    that quantity, times the unit factor, is within 0.5 % of what the gold fact implies."""
    import contextlib
    import io

    from warehouse.extraction.numbers import find_mentions, normalize_width

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        import jionlp

    factors = {"万元": 1e4, "元/年": 1.0, "元/月": 1.0, "%": 1.0}
    ours_right = jio_right = total = 0
    for fact in gold:
        text = normalize_width(fact["evidence"])
        mentions = find_mentions(text)
        expected_base = float(fact["value"]) * factors.get(fact["unit"], 1.0)
        # the quantity in the evidence that the gold value comes from (monthly standards ×12 aside)
        candidates = [m for m in mentions if m.unit not in ("项",) or fact["unit"] == "项"]
        total += 1
        if any(close(m.value, expected_base) or close(m.value * 12, expected_base) for m in candidates):
            ours_right += 1
        for m in candidates or mentions:
            raw = m.raw
            number_text = raw
            for suffix in ("以上", "左右", "以内", "以下"):
                number_text = number_text.replace(suffix, "")
            for prefix in ("约", "近", "超过", "超", "逾", "不少于", "不低于"):
                if number_text.startswith(prefix):
                    number_text = number_text[len(prefix):]
            try:
                if "元" in number_text or "亿" in number_text or "万" in number_text:
                    parsed = jionlp.parse_money(number_text.replace("/月", "").replace("/年", ""))
                    value = float(parsed["num"]) if isinstance(parsed, dict) else None
                else:
                    stripped = number_text.rstrip("个家人名张户对座项次所处起件具%‰单")
                    value = float(jionlp.parse_number(stripped)) if hasattr(jionlp, "parse_number") else None
            except Exception:
                value = None
            if value is not None and (close(value, expected_base) or close(value * 12, expected_base)):
                jio_right += 1
                break
    return [f"number recognition on the {total} gold evidences: ours {ours_right}/{total} "
            f"({ours_right / total:.1%}), jionlp {jio_right}/{total} ({jio_right / total:.1%})"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=Path, default=REPO_ROOT / "data" / "seeds")
    parser.add_argument("--gold", type=Path, default=REPO_ROOT / "data" / "gold")
    parser.add_argument("--facts", type=Path, help="use this facts file instead of running make facts")
    parser.add_argument("--show", type=int, default=40, help="how many misses and false positives to list")
    args = parser.parse_args()

    if args.facts:
        facts_path = args.facts
    else:
        facts_path = Path(tempfile.mkdtemp()) / "facts.jsonl"
        subprocess.run(["make", "--no-print-directory", "facts", f"DOCS={args.docs}", f"OUT={facts_path}"],
                       cwd=REPO_ROOT, check=True)
    gold, predicted = load(args.gold), load(facts_path)
    pairs, missed, false_positives = match(gold, predicted)

    print(f"\n{'document':32s} {'gold':>5s} {'pred':>5s} {'tp':>4s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    by_doc_gold, by_doc_pred, by_doc_tp = Counter(g["document"] for g in gold), Counter(
        p["document"] for p in predicted), Counter(g["document"] for g, _ in pairs)
    for document in sorted(set(by_doc_gold) | set(by_doc_pred)):
        p, r, f = scores(by_doc_tp[document], by_doc_pred[document], by_doc_gold[document])
        print(f"{document:32s} {by_doc_gold[document]:5d} {by_doc_pred[document]:5d} {by_doc_tp[document]:4d} "
              f"{p:6.3f} {r:6.3f} {f:6.3f}")
    p, r, f = scores(len(pairs), len(predicted), len(gold))
    print(f"{'overall':32s} {len(gold):5d} {len(predicted):5d} {len(pairs):4d} {p:6.3f} {r:6.3f} {f:6.3f}")

    causes = Counter(miss_cause(fact, predicted) for fact in missed)
    print("\nmisses by cause: " + ", ".join(f"{cause} {count}" for cause, count in causes.most_common()))
    print(f"false positives: {len(false_positives)} "
          f"({', '.join(f'{k} {v}' for k, v in Counter(p['indicator_code'] for p in false_positives).most_common(8))})")
    for line in number_baseline(gold):
        print(line)

    if args.show:
        print("\nmissed gold facts:")
        for fact in missed[: args.show]:
            print(f"  [{miss_cause(fact, predicted)}] {fact['document'][:3]} {fact['indicator_code']} {fact['region']} "
                  f"{fact['period']} {fact['value_type']} {fact['value']} | {fact['evidence'][:50]}")
        print("\nfalse positives:")
        for fact in false_positives[: args.show]:
            print(f"  {fact['document'][:3]} {fact['indicator_code']} {fact['region']} {fact['period']} "
                  f"{fact['value_type']} {fact['value']} | {fact['evidence'][:50]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
