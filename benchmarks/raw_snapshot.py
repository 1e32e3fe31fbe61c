"""What the raw layer's safety costs at scale: the snapshot a build reads (the copy, the only wait a crawl sees,
and the whole-file check), the journal's share of a landing batch, its size, the baseline an older raw layer gets,
and a recovery from the journal. A synthetic corpus as in benchmarks.warehouse_scale, generated at run time.

    python -m benchmarks.raw_snapshot [--documents 30000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import time
from pathlib import Path

from benchmarks.scratch import scratch_folder
from benchmarks.warehouse_scale import land, seed_sentences, synthetic_document
from warehouse.landing import journal
from warehouse.landing.health import check_whole
from warehouse.landing.recover import recover
from warehouse.landing.snapshot import _copy_durably
from warehouse.landing.store import RawStore
from warehouse.transform.extraction.regions import load_regions


def _size(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6


def _timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=30_000)
    parser.add_argument("--keep", type=Path, help="keep the scratch raw layer here")
    args = parser.parse_args()
    rng, sentences = random.Random(20261207), seed_sentences()
    places = [r for r in load_regions() if r["level"] in ("city", "county")]
    with scratch_folder(args.keep, "minzheng-snapshot-") as work:
        store = RawStore(work / "raw")
        started = time.perf_counter()
        count, _ = land(store, (synthetic_document(n, rng, sentences, places) for n in range(args.documents)), "s")
        print(f"landed {count} documents in {time.perf_counter() - started:.1f}s (500 a batch, journal on)")
        print(f"raw.duckdb {_size(store.db_path):.0f} MB, journal {_size(journal.journal_dir(store.root)):.0f} MB")
        copy = _timed(_copy_durably, store.db_path, work / "snapshot.duckdb")
        check = _timed(check_whole, work / "snapshot.duckdb")
        print(f"snapshot: copy under the lock {copy:.1f}s, whole-file check outside it {check:.1f}s")
        shutil.rmtree(journal.journal_dir(store.root))
        baseline = _timed(RawStore, store.root)
        print(f"journal baseline of a raw layer made before it: {baseline:.1f}s")
        print(f"recovery from the journal: {_timed(recover, store.root):.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
