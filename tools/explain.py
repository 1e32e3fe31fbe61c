"""`make explain DOC=<file or document> [INDICATOR=<code>]`: every number mention of a document and what
became of it — the fact (indicator, the phrase that matched, region, period and value type with the rule
that decided each) or why it was dropped.

It reads `intermediate.int_mention_decisions`, the table the facts come from, so what it says is what the
build did. DOC is a file (a scratch build of that file and its sidecar, as `make facts` makes, the main
warehouse untouched) or the name or URL of a document in a warehouse (`--warehouse`, default: the main
build warehouse)."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb

from scrapers.drop_folder import SIDECAR_SUFFIX
from tools.facts import extract_facts
from warehouse.settings import BUILD_WAREHOUSE

DEFAULT_WAREHOUSE = BUILD_WAREHOUSE
QUERY = """
    select d.document, d.raw_mention, d.outcome, d.reason, d.indicator_code, d.matched_phrase, d.pairing_rule,
           d.head, d.value, d.unit, d.region, d.region_rule, d.period, d.period_rule, d.value_type,
           d.value_type_rule, d.scope, d.scope_rule, d.evidence, d.evidence_sentence
    from intermediate.int_mention_decisions as d
    inner join marts.dim_document as current on current.document_id = d.version_id
    where (current.document = $doc or current.url = $doc or current.file_name = $doc)
      and ($indicator is null or d.indicator_code = $indicator)
    order by d.start_offset
"""


def explain_rows(warehouse: Path, document: str, indicator: str | None = None) -> list[dict]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = con.execute(QUERY, {"doc": document, "indicator": indicator})
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def duplicate_of(warehouse: Path, document: str) -> str | None:
    """The document whose facts stand for this one, when it has the same text as an earlier one."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute(
            "select canonical.document from marts.dim_document as d "
            "inner join marts.dim_document as canonical on canonical.document_id = d.canonical_document_id "
            "where (d.document = $doc or d.url = $doc or d.file_name = $doc) "
            "and d.canonical_document_id <> d.document_id",
            {"doc": document},
        ).fetchone()
    finally:
        con.close()
    return row[0] if row else None


def _number(value) -> str:
    return "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))


def format_rows(rows: list[dict]) -> str:
    lines = []
    facts = sum(1 for row in rows if row["outcome"] == "fact")
    for row in rows:
        if row["outcome"] == "fact":
            lines.append(
                f"FACT    {row['raw_mention']} → {row['indicator_code']} {row['region']} {row['period']} "
                f"{row['value_type']} {row['scope'] or 'whole'} {_number(row['value'])} {row['unit']}"
            )
            lines.append(
                f"        phrase '{row['matched_phrase']}' ({row['pairing_rule']}); region: {row['region_rule']};"
                f" period: {row['period_rule']}; value type: {row['value_type_rule']}; scope: {row['scope_rule']}"
            )
            lines.append(f"        evidence: {row['evidence']}")
        else:
            found = f" [{row['indicator_code']} by {row['pairing_rule']}]" if row["indicator_code"] else ""
            lines.append(f"DROPPED {row['raw_mention']}{found}: {row['reason']}")
            lines.append(f"        in: …{row['head']}{row['raw_mention']}")
    lines.append(f"{len(rows)} number mentions: {facts} facts, {len(rows) - facts} dropped")
    return "\n".join(lines)


def explain_file(path: Path, indicator: str | None) -> list[dict]:
    """A scratch build of one file (and its sidecar), then its decisions (one file has no duplicate)."""
    with tempfile.TemporaryDirectory(prefix="minzheng-explain-") as scratch:
        docs = Path(scratch) / "docs"
        docs.mkdir()
        shutil.copy(path, docs / path.name)
        sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
        if sidecar.exists():
            shutil.copy(sidecar, docs / sidecar.name)
        if extract_facts(docs, Path(scratch) / "facts.jsonl", keep=Path(scratch) / "build") != 0:
            raise SystemExit(1)
        return explain_rows(Path(scratch) / "build" / "warehouse.duckdb", path.name, indicator)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("doc", help="a document file, or the name / URL of a document in the warehouse")
    parser.add_argument("--indicator", help="only the mentions paired with this indicator code")
    parser.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="for a document name or URL")
    args = parser.parse_args(argv)
    path = Path(args.doc)
    if path.is_file():
        rows = explain_file(path, args.indicator)
    elif args.warehouse.exists():
        rows = explain_rows(args.warehouse, args.doc, args.indicator)
        if original := duplicate_of(args.warehouse, args.doc):
            print(
                f"NOTE    {args.doc} has the same text as {original}: the fact table holds its facts once, "
                f"as that document's"
            )
    else:
        parser.error(f"{args.doc} is not a file, and {args.warehouse} does not exist (make demo builds it)")
    if not rows:
        print(f"no number mentions of {args.doc}" + (f" paired with {args.indicator}" if args.indicator else ""))
        return 1
    print(format_rows(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
