"""`make facts DOCS=<folder> OUT=<file.jsonl>`: a folder of documents → indicator facts (FACTS.md format).

Ingests the folder's files (sidecars honoured) into a throw-away raw layer, builds the dbt project into
a throw-away warehouse, and writes the `indicator_facts` view as JSON Lines. The main warehouse is never
touched."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from scrapers.drop_folder import ingest_folder
from warehouse.landing.store import RawStore
from warehouse.transform.dbt import run_dbt

FIELDS = (
    "document",
    "indicator_code",
    "region",
    "period",
    "value_type",
    "scope",
    "value",
    "unit",
    "qualifier",
    "evidence",
    "confidence",  # not a FACTS.md field: how far to trust the fact (docs/extraction.md)
)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 6)


def extract_facts(docs: Path, out: Path, keep: Path | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="minzheng-facts-") as scratch:
        work = Path(keep or scratch)
        started = time.monotonic()
        store = RawStore(work / "raw")
        report = ingest_folder(docs, store, progress=lambda line: print(line, file=sys.stderr))
        warehouse = work / "warehouse.duckdb"
        built = run_dbt(["build", "--exclude", "test_type:data", "source:*"], work / "raw", warehouse, work)
        if built.returncode != 0:
            print(built.stdout[-5000:] + built.stderr[-3000:], file=sys.stderr)
            print("dbt build failed (rerun with --keep DIR to inspect the scratch warehouse)", file=sys.stderr)
            return 1
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            rows = con.execute(
                f"select {', '.join(FIELDS)} from marts.indicator_facts "
                "order by document, indicator_code, period, value_type, scope, value"
            ).fetchall()
        finally:
            con.close()
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as handle:
            for row in rows:
                fact = dict(zip(FIELDS, row))
                fact["value"] = _number(fact["value"])
                handle.write(json.dumps(fact, ensure_ascii=False) + "\n")
        print(
            f"{report.documents_added} documents ({report.quarantined} quarantined) → {len(rows)} facts in "
            f"{out} ({time.monotonic() - started:.1f}s)",
            file=sys.stderr,
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("docs", type=Path, help="folder of .txt/.html/.pdf/.docx documents")
    parser.add_argument("out", type=Path, help="JSON Lines file to write")
    parser.add_argument("--keep", type=Path, help="keep the scratch raw layer and warehouse in this folder")
    args = parser.parse_args(argv)
    if not args.docs.is_dir():
        parser.error(f"{args.docs} is not a folder")
    return extract_facts(args.docs, args.out, args.keep)


if __name__ == "__main__":
    sys.exit(main())
