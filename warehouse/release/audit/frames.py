"""Loading what the audit validates: each suite's rows in scope, read from the candidate warehouse with the raw
layer attached (as dbt sees it) into Parquet chunks, and the figures the expectations are held against. Data
reaches GX as pandas DataFrames read from DuckDB (GX's SQL datasource and duckdb-engine do not get along)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import duckdb

from warehouse.landing.store import RawStore
from warehouse.release.audit.scope import Scope, find_scope
from warehouse.settings import DUCKDB_MEMORY_LIMIT

if TYPE_CHECKING:
    import pandas as pd

# the layer and table each validated DataFrame is read from (RAW_QUERIES, WAREHOUSE_QUERIES)
VALIDATED_TABLES = {
    "raw_documents": "raw.documents_current",
    "raw_fetch_log": "raw.fetch_log",
    "staging_documents": "intermediate.int_documents_classified",
    "staging_segments": "intermediate.int_segments_split",
    "marts_facts": "marts.fct_indicator_values",
}
# where a table's rows are counted instead: the view documents_current is the versions current_versions lists
# (counting the view joins every version's row of `documents`)
COUNTED_ON = {"raw_documents": "raw.current_versions"}

# Each query validates the rows of its `{scope}` (scope.SCOPES): everything on a first audit, else the document
# versions this build made or changed since the published file.
RAW_QUERIES = {
    "raw_documents": """
        select document_key, title, source_id, sha256, length(text) as text_chars, encoding,
               coalesce(date_diff('day', current_date, published_at), 0) as days_published_in_future
        from raw.documents_current
        where {scope}""",
    "raw_fetch_log": "select url, outcome from raw.fetch_log where {scope}",
}
WAREHOUSE_QUERIES = {
    "staging_documents": """
        select c.version_id, d.title, c.document_kind, coalesce(c.document_year, c.plan_end_year) as resolved_year,
               c.document_region
        from intermediate.int_documents_classified as c
        inner join staging.stg_raw__documents as d using (version_id)
        where {scope} and {scope_of_documents}""",
    "staging_segments": """
        select s.segment_id, s.version_id, d.title, s.segment_kind,
               s.start_offset >= 0 and s.end_offset <= d.text_chars and s.start_offset < s.end_offset
                   as offsets_inside_text
        from intermediate.int_segments_split as s
        inner join staging.stg_raw__documents as d using (version_id)
        where {scope} and {scope_of_documents}""",
    # a fact an analyst accepted (seed fact_corrections, action accept) is not doubted: its range, rate, unit and
    # evidence checks see it as passing; every other expectation still holds it
    "marts_facts": """
        select f.indicator_value_id, f.document_id, doc.title as document_title, f.indicator_code, f.region_name,
               f.period_id, f.value_type, f.scope, f.value, f.confidence, f.unit,
               case when a.action is null then i.unit else f.unit end as indicator_unit,
               f.raw_mention, f.evidence,
               case when i.kind = 'rate' and a.action is null then f.value end as rate_value,
               case when a.action is null then r.min_value end as plausible_min,
               case when a.action is null then r.max_value end as plausible_max,
               a.action is not null or contains(f.evidence, f.raw_mention) as evidence_has_mention
        from marts.fct_indicator_values as f
        inner join marts.dim_indicator as i using (indicator_code)
        left join marts.dim_document as doc using (document_id)
        left join reference.plausible_ranges as r using (indicator_code)
        left join (
            select distinct version_id, indicator_code, region, period_id, value_type, scope, value, action
            from intermediate.int_fact_corrections_keyed where action = 'accept'
        ) as a
            on a.version_id = f.document_id and a.indicator_code = f.indicator_code and a.region = f.region_name
            and a.period_id = f.period_id and a.value_type = f.value_type and a.scope = f.scope and a.value = f.value
        where {scope}""",
}

# a suite's rows are validated a chunk of document versions at a time (its rows read from a Parquet file), so
# the audit's memory stays bounded however many versions a first audit has to validate
CHUNK_VERSIONS = 20_000
CHUNKED_BY = {"staging_segments": "version_id", "marts_facts": "document_id"}

# a chunk: a folder of Parquet files, or a DataFrame of no rows when the suite has none in scope
Chunk = Union[Path, "pd.DataFrame"]


@dataclass
class Frames:
    """What read_frames read: per suite, its chunks; the whole tables' row counts; the scope; the region names;
    the analysts' corrections that match nothing."""

    chunks: dict[str, list[Chunk]]
    totals: dict[str, int]
    scope: Scope
    region_names: list[str]
    unmatched_corrections: list[str] = field(default_factory=list)


def read_frames(warehouse_path: Path, raw_dir: Path, serving_path: Path | str | None, folder: Path) -> Frames:
    """Read the rows to validate in one connection — the warehouse with the raw layer attached (as dbt sees
    it), under the raw layer's lock so no crawl writes meanwhile — into Parquet files in `folder`."""
    store = RawStore(raw_dir)
    with store.locked():
        con = duckdb.connect(str(warehouse_path), read_only=True, config={"memory_limit": DUCKDB_MEMORY_LIMIT})
        try:
            con.execute(f"attach '{store.db_path}' as raw (read_only)")
            scope = find_scope(con, serving_path)
            chunks: dict[str, list[Chunk]] = {}
            counts: dict[str, int] = {}
            for name, query in {**RAW_QUERIES, **WAREHOUSE_QUERIES}.items():
                selected = query.format(scope=scope.condition(name), scope_of_documents=scope.of_documents())
                chunks[name], counts[name] = _write_chunks(con, selected, scope.parameters(name), folder / name, name)
            totals = {
                name: counts[name] if scope.full else int(con.execute(f"select count(*) from {table}").fetchall()[0][0])
                for name, table in {**VALIDATED_TABLES, **COUNTED_ON}.items()
            }
            # the facts out of scope: all of them less those validated (a count of `not in` read two million ids)
            scope.facts_outside = totals["marts_facts"] - counts["marts_facts"]
            region_names = [str(row[0]) for row in con.execute("select region_name from marts.dim_region").fetchall()]
            unmatched = unmatched_corrections(con)
        finally:
            con.close()
    return Frames(chunks, totals, scope, region_names, unmatched)


UNMATCHED = """
select correction_seed, document_key, action, indicator_code, region, period_id, value_type, scope, value,
       corrected_by, reason, problem
from intermediate.int_corrections_unmatched
order by correction_seed, document_key, indicator_code, period_id
"""


def unmatched_corrections(con: duckdb.DuckDBPyConnection) -> list[str]:
    """One line per correction that matches nothing in the candidate: its seed, key, who and why, and the problem."""
    try:
        rows = con.execute(UNMATCHED).fetchall()
    except duckdb.CatalogException:  # a warehouse built before the corrections seeds
        return []
    lines = []
    for seed, key, action, indicator, region, period, value_type, scope, value, by, reason, problem in rows:
        fact = f" {indicator} {region} {period} {value_type} scope={scope!r} value={value:g}" if indicator else ""
        lines.append(f"{seed}: {action} {key}{fact} (by {by}: {reason}) — {problem}")
    return lines


def _write_chunks(
    con: duckdb.DuckDBPyConnection, query: str, parameters: dict[str, Any], folder: Path, suite: str
) -> tuple[list[Chunk], int]:
    version = CHUNKED_BY.get(suite)
    chunk = f"(dense_rank() over (order by {version}) - 1) // {CHUNK_VERSIONS}" if version else "0"
    rows = int(
        con.execute(
            f"copy (select *, {chunk} as audit_chunk from ({query})) to '{folder}'"
            " (format parquet, partition_by (audit_chunk))",
            parameters,
        ).fetchall()[0][0]
    )
    parts: list[Chunk] = sorted(folder.glob("audit_chunk=*"), key=lambda path: int(path.name.split("=")[1]))
    return (parts or [con.execute(f"select * from ({query}) limit 0", parameters).df()]), rows


def load(chunk: Chunk) -> pd.DataFrame:
    """One chunk as the DataFrame GX validates."""
    if not isinstance(chunk, Path):
        return chunk
    con = duckdb.connect()
    try:
        return con.execute("select * from read_parquet(?)", [str(chunk / "*.parquet")]).df()
    finally:
        con.close()
