"""Warehouse build at scale: a synthetic corpus, generated at run time and stored nowhere.

Documents are assembled from the seed documents' own sentences with the numbers, years and the publishing
region varied (cities and counties all over China), so the text looks like what bureaus write. Reports:
full build time, documents per second of mention extraction (the two Python models), the incremental build
after adding 10 documents (goal: under 5 % of the full build), the Great Expectations audit's time as a share
of the build it checks (goal: under 20 %), warehouse size and peak memory.

    python -m benchmarks.warehouse_scale [--documents 10000] [--keep DIR]
    python -m benchmarks.warehouse_scale --built DIR   # the incremental part again, on what --keep DIR kept
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import random
import re
import resource
import shutil
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from benchmarks.scratch import scratch_folder
from scrapers.parse import parse_content
from warehouse.landing.records import DocumentRecord
from warehouse.landing.store import RawStore
from warehouse.landing.writer import RawWriter
from warehouse.release.audit import audit
from warehouse.settings import GX_ROOT, REPO_ROOT
from warehouse.transform.dbt import run_dbt
from warehouse.transform.extraction.regions import load_regions

KINDS = ("{year}年工作总结", "{year}年工作要点", "{year}年上半年工作总结和下半年工作思路")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SEED_PLACES = re.compile(r"舟山市?|湖州市?|慈溪市?|温州市?|宁波|鹿城区?|普陀区?|定海区?")


def seed_sentences() -> list[str]:
    sentences = []
    for path in sorted((REPO_ROOT / "data" / "seeds").glob("*.txt")):
        document, _ = parse_content(path.read_bytes(), name=path.name)
        sentences += [s.strip() + "。" for s in re.split(r"[。\n]", document.text) if len(s.strip()) > 8]
    return sentences


def vary_number(match: re.Match, rng: random.Random) -> str:
    """The seed's value times 0.6–1.6: plausible where the seed's was, except a share, which stays at most 100 %."""
    text = match.group(0)
    if re.fullmatch(r"(19|20)\d{2}", text):
        return text
    value = float(text) * rng.uniform(0.6, 1.6)
    if match.string.startswith("%", match.end()) or match.string.startswith("％", match.end()):
        value = min(value, 100.0)
    return f"{value:.{len(text.split('.')[1])}f}" if "." in text else str(max(1, round(value)))


def synthetic_document(number: int, rng: random.Random, sentences: list[str], places: list[dict]) -> tuple[str, bytes]:
    place = rng.choice(places)
    year = rng.randint(2016, 2025)
    title = place["region_name"] + "民政局" + rng.choice(KINDS).format(year=year)
    body = []
    for sentence in rng.sample(sentences, rng.randint(30, 60)):
        sentence = _SEED_PLACES.sub(place["short_name"], sentence)
        sentence = re.sub(r"20\d{2}年", f"{year}年", sentence)
        body.append(_NUMBER.sub(lambda m: vary_number(m, rng), sentence))
    text = (
        f"发布机构:{place['region_name']}民政局\n发布日期:{year + 1}-01-{rng.randint(10, 28)}\n{title}\n"
        + "\n".join(body)
    )
    return f"synthetic_{number:05d}.txt", text.encode("utf-8")


def land(store: RawStore, documents: Iterable[tuple[str, bytes]], run_id: str) -> tuple[int, int]:
    """Land documents 500 to a transaction, through the writer a crawl uses; (documents, bytes) landed."""
    count, size = 0, 0
    with RawWriter(store, batch_size=500) as writer:
        for name, body in documents:
            parsed, encoding = parse_content(body, name=name)
            record = DocumentRecord(
                run_id=run_id,
                source_id="synthetic",
                document_key=name,
                kind="dropped",
                body=body,
                parsed=parsed,
                file_name=name,
                encoding=encoding,
            )
            if writer.land(record) is None:
                count, size = count + 1, size + len(body)
    return count, size


def build(raw_dir: Path, warehouse: Path, work: Path) -> tuple[float, dict[str, float]]:
    started = time.perf_counter()
    result = run_dbt(["build"], raw_dir, warehouse, work)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(result.stdout[-4000:] + result.stderr[-2000:])
    timings = {}
    for node in json.loads((work / "dbt_target" / "run_results.json").read_text())["results"]:
        timings[node["unique_id"]] = node["execution_time"]
    return seconds, timings


def split_timings(timings: dict[str, float]) -> tuple[dict[str, float], float, float]:
    """(model name → seconds, seconds of all models, seconds of seeds and tests)."""
    models = {uid.split(".")[-1]: t for uid, t in timings.items() if uid.startswith("model.")}
    return models, sum(models.values()), sum(t for uid, t in timings.items() if not uid.startswith("model."))


def other_nodes(timings: dict[str, float]) -> dict[str, float]:
    """Seeds, tests and unit tests by name."""
    return {uid.split(".", 2)[-1]: t for uid, t in timings.items() if not uid.startswith("model.")}


def timed_audit(
    raw_dir: Path, warehouse: Path, work: Path, build_seconds: float, label: str, serving: Path | None = None
) -> float:
    """The quality gate exactly as the DAG runs it, on a scratch copy of the GX project: against the published
    file `serving` (then it validates what the build made or changed since), or all of it."""
    gx_root = work / "gx_project"
    if not gx_root.exists():
        shutil.copytree(GX_ROOT, gx_root, ignore=shutil.ignore_patterns("uncommitted"))
    started = time.perf_counter()
    report = audit(warehouse, raw_dir, serving_path=serving, gx_root=gx_root)
    seconds = time.perf_counter() - started
    rows = sum(report.row_counts.values())
    print(
        f"audit after the {label}: {seconds:.1f}s for {rows} rows ({report.scope}) in {len(report.row_counts)} "
        f"checkpoints ({'passed' if report.success else 'FAILED: ' + report.summary()[:300]}) = "
        f"{seconds / build_seconds:.1%} of the build's time, {seconds / (build_seconds + seconds):.1%} of build + "
        f"audit (goal < 20 %); peak memory of this process (audit frames): {_peak_mb(resource.RUSAGE_SELF):.0f} MB"
    )
    if not report.success:
        raise SystemExit("the audit FAILED: the synthetic corpus should pass it")
    return seconds


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--added", type=int, default=10)
    parser.add_argument("--keep", type=Path, help="keep the scratch raw layer and warehouse here")
    parser.add_argument(
        "--raw", type=Path, help="build this raw layer (a copy: 10 documents are added to it) instead of landing one"
    )
    parser.add_argument(
        "--built",
        type=Path,
        help="a folder an earlier run kept (--keep): bring its warehouse up to this code (a catch-up build, "
        "timed, not audited), then add documents to its raw layer and measure the incremental build and audit",
    )
    parser.add_argument("--csv", type=Path, help="append this run's figures to a CSV (tools.scale_plot draws it)")
    args = parser.parse_args()
    rng = random.Random(20261123)
    sentences = seed_sentences()
    places = [r for r in load_regions() if r["level"] in ("city", "county")]
    with scratch_folder(args.built or args.keep, "minzheng-scale-") as work:
        store, warehouse = RawStore(args.raw or work / "raw"), work / "warehouse.duckdb"
        if args.built:
            count, landing = store.query("select count(*) from documents_current")[0][0], None
            print(f"corpus: the raw layer and warehouse {args.built} kept, {count} documents")
            # as after a full audit: the GX project of this run only, GX imported (once a process, ~5 s)
            shutil.rmtree(work / "gx_project", ignore_errors=True)
            importlib.import_module("great_expectations")
        elif args.raw:
            count, landing = store.query("select count(*) from documents_current")[0][0], None
            print(f"corpus: the raw layer {args.raw} with {count} documents")
        else:
            started = time.perf_counter()
            corpus = (synthetic_document(n, rng, sentences, places) for n in range(args.documents))
            count, size = land(store, corpus, "scale-full")
            landing = time.perf_counter() - started
            print(
                f"corpus: {count} documents, {size / 1e6:.1f} MB of text, generated and landed in {landing:.1f}s "
                f"= {count / landing:.0f} documents/s (goal >= 150 at any size)"
            )

        full_seconds, timings = build(store.root, warehouse, work)
        models, full_models, full_other = split_timings(timings)
        decisions = models.get("int_mention_decisions", 0)
        extraction = models.get("int_segments_split", 0) + models.get("int_number_mentions_extracted", 0)
        print(
            f"{'catch-up' if args.built else 'full'} build: {full_seconds:.1f}s wall (dbt build, {len(timings)} "
            f"nodes): models {full_models:.1f}s, seeds and tests {full_other:.1f}s, the rest dbt start-up and parsing"
        )
        if not args.built:
            print(f"mention extraction (segments + numbers): {extraction:.1f}s = {count / extraction:.0f} documents/s")
        for name, seconds in sorted(models.items(), key=lambda item: -item[1])[:6]:
            print(f"    {name:40s} {seconds:7.1f}s")
        full_audit = None if args.built else timed_audit(store.root, warehouse, work, full_seconds, "full build")
        serving = work / "serving.duckdb"  # what a publish leaves: the audited build, copied
        shutil.copyfile(warehouse, serving)

        if args.built:  # texts of their own, not copies of the first documents of the corpus
            rng = random.Random(20261123 + count)
        land(
            store,
            [synthetic_document(count + n, rng, sentences, places) for n in range(args.added)],
            "scale-added",
        )
        incremental_seconds, timings = build(store.root, warehouse, work)
        models, incremental_models, incremental_other = split_timings(timings)
        print(
            f"incremental build after adding {args.added} documents: {incremental_seconds:.1f}s wall = "
            f"{incremental_seconds / full_seconds:.1%} of the full build; models {incremental_models:.1f}s = "
            f"{incremental_models / full_models:.1%} of the full build's models (goal < 5 %); "
            f"seeds and tests {incremental_other:.1f}s"
        )
        for name, seconds in sorted(models.items(), key=lambda item: -item[1])[:8]:
            print(f"    {name:40s} {seconds:7.1f}s")
        for name, seconds in sorted(other_nodes(timings).items(), key=lambda item: -item[1])[:4]:
            print(f"    {name:70s} {seconds:7.1f}s")
        incremental_audit = timed_audit(store.root, warehouse, work, incremental_seconds, "incremental build", serving)

        facts = (
            __import__("duckdb")
            .connect(str(warehouse), read_only=True)
            .execute("select count(*) from marts.fct_indicator_values")
            .fetchall()[0][0]
        )
        peak = _peak_mb(resource.RUSAGE_CHILDREN)
        print(
            f"facts: {facts}; warehouse size: {warehouse.stat().st_size / 1e6:.0f} MB; raw layer: "
            f"{sum(p.stat().st_size for p in store.root.rglob('*') if p.is_file()) / 1e6:.0f} MB; "
            f"peak memory of the dbt build: {peak:.0f} MB"
        )
        if args.csv:
            figures = {
                "documents": count,
                "landing_s": round(landing, 1) if landing else "",
                "full_build_s": "" if args.built else round(full_seconds, 1),
                "decisions_s": "" if args.built else round(decisions, 1),
                "full_audit_s": round(full_audit, 1) if full_audit else "",
                "incremental_build_s": round(incremental_seconds, 1),
                "incremental_audit_s": round(incremental_audit, 1),
                "peak_dbt_mb": round(peak),
                "peak_audit_mb": round(_peak_mb(resource.RUSAGE_SELF)),
                "warehouse_mb": round(warehouse.stat().st_size / 1e6),
                "facts": facts,
            }
            _append(args.csv, figures)
    return 0


def _append(path: Path, figures: dict) -> None:
    new = not path.exists()
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(figures))
        if new:
            writer.writeheader()
        writer.writerow(figures)


if __name__ == "__main__":
    sys.exit(main())
