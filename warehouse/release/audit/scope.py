"""What to audit: every row on a first audit (or when what the expectations measure against changed), else the
document versions this build made or changed since the published file (Scope) — the audit's work follows the
build's, not the corpus. Also the counts of the published file the report and the row-count expectation need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from warehouse.release.readers import attach_published, open_published

# Errors of a file published before a table or column the audit reads existed: such a file is audited whole
# (scope) or counted the old way. Any other error (a file that cannot be read) stops the audit.
OLDER_FILE = (duckdb.CatalogException, duckdb.BinderException)

_AUDITED = "(select version_id from audited_versions)"
# Each suite's query validates the rows of its `{scope}`, a condition written on the query's own columns.
SCOPES = {
    # one semi-join, not an `or`: DuckDB then reads the text of these versions only
    "raw_documents": """version_id in (
        select version_id from audited_versions
        union select version_id from raw.documents where ingested_at > $watermark)""",
    "raw_fetch_log": "fetched_at > $watermark",
    "staging_documents": "c.version_id in {audited}",
    "staging_segments": "s.version_id in {audited}",
    # the facts' rows by rowid: a list of two or more constants is no scan filter on DuckDB 2.0, so `document_id
    # in (…)` reads every column of every fact, where the rowids are found on the one column first
    "marts_facts": "f.rowid in (select rowid from marts.fct_indicator_values where document_id in {audited})",
}
# The versions a build made or changed since the published file, each told by a stamp the build writes: its
# document row written (new or named again), split, decided, classified, their facts written, or their canonical
# or current status changed after the file's newest of that stamp (comparing every version's facts in both files
# grows with the warehouse, a stamp with the change). A new fact model rebuilds the table, so every fact is newer
# then; a file whose rows predate a stamp is newer nowhere, and every version is audited.
AUDITED_VERSIONS = """
create temp table audited_versions as
select document_id as version_id from marts.dim_document
where refreshed_at > (select coalesce(max(refreshed_at), '-infinity'::timestamp) from serving.marts.dim_document)
union select version_id from intermediate.int_segments_split where processed_at > $segmented
union select version_id from intermediate.int_mention_decisions where processed_at > $decided
union select version_id from intermediate.int_documents_classified
where classified_at > (select coalesce(max(classified_at), '-infinity'::timestamp)
                       from serving.intermediate.int_documents_classified)
union select document_id from marts.fct_indicator_values
where refreshed_at > (select coalesce(max(refreshed_at), '-infinity'::timestamp)
                      from serving.marts.fct_indicator_values)
union select version_id from intermediate.int_documents_deduplicated
where status_changed_at > (select coalesce(max(status_changed_at), '-infinity'::timestamp)
                           from serving.intermediate.int_documents_deduplicated)
"""
# what the expectations are measured against besides the rows: when it changed, every row is audited again
REFERENCE = """
select (select max(rules_hash) from {db}intermediate.int_extraction_rules_hashed),
       (select count(*) from {db}marts.dim_region), (select count(*) from {db}marts.dim_indicator)
"""
WRITTEN_OUT_MAX = 1000


@dataclass
class Scope:
    """Which rows an audit validates: all (`full`), or those of `audited_versions` and of fetches and documents
    landed after `watermark`. `facts_outside` counts the facts it leaves out, for the row-count expectation."""

    full: bool
    watermark: datetime | None = None
    versions: int = 0
    facts_outside: int = 0
    audited: str = _AUDITED  # the versions as a query, or written out when few (DuckDB then reads only theirs)

    def condition(self, suite: str) -> str:
        return "true" if self.full else SCOPES[suite].replace("{audited}", self.audited)

    def of_documents(self) -> str:
        """The same versions, on the raw documents a query joins (so that their scan reads only those)."""
        return "true" if self.full else f"d.version_id in {self.audited}"

    def parameters(self, suite: str) -> dict[str, Any]:
        return {"watermark": self.watermark} if not self.full and "$watermark" in SCOPES[suite] else {}

    def describe(self) -> str:
        return "every row" if self.full else f"{self.versions} document versions made or changed by this build"


def find_scope(con: duckdb.DuckDBPyConnection, serving_path: Path | str | None) -> Scope:
    """Attach the published file as `serving` and find what this build made or changed since it (Scope)."""
    if not serving_path or not Path(serving_path).exists():
        return Scope(full=True)
    attach_published(con, serving_path, "serving")
    try:
        if con.execute(REFERENCE.format(db="")).fetchall() != con.execute(REFERENCE.format(db="serving.")).fetchall():
            return Scope(full=True)
        stamps = con.execute(
            "select (select max(processed_at) from serving.intermediate.int_segments_split),"
            " (select max(processed_at) from serving.intermediate.int_mention_decisions)"
        ).fetchone()
        segmented, decided = stamps if stamps else (None, None)
        if segmented is None or decided is None:
            return Scope(full=True)
        con.execute(AUDITED_VERSIONS, {"segmented": segmented, "decided": decided})
    except OLDER_FILE:
        return Scope(full=True)
    audited = [str(version) for (version,) in con.execute("select version_id from audited_versions").fetchall()]
    written_out = _written_out(audited) if len(audited) <= WRITTEN_OUT_MAX else _AUDITED
    return Scope(full=False, watermark=min(segmented, decided), versions=len(audited), audited=written_out)


def _written_out(versions: list[str]) -> str:
    """Version ids as a list of constants: a filter DuckDB takes into its scans (row groups skipped by their
    min and max), where a semi-join on audited_versions reads every row of the 15 million segments."""
    if not versions:  # `in ()` is not SQL; `not in (null)` would keep nothing
        return "(select null where false)"
    return "(" + ", ".join("'" + version.replace("'", "''") + "'" for version in versions) + ")"


def published_fact_count(serving_path: Path | str | None) -> int | None:
    """The facts of the published file (None before a first publish): a build may lose only a share of them."""
    if not serving_path or not Path(serving_path).exists():
        return None
    con = open_published(serving_path)
    try:
        return _count(con, "select count(*) from marts.fct_indicator_values")
    finally:
        con.close()


NEW_DOCUMENTS = """
select count(*) from marts.dim_document as d
where refreshed_at > (select coalesce(max(refreshed_at), '-infinity'::timestamp) from serving.marts.dim_document)
    and not exists (select 1 from serving.marts.dim_document as s where s.document_id = d.document_id)
"""


def new_document_count(warehouse_path: Path, serving_path: Path | str | None) -> int:
    """Document versions of the candidate that are not yet published (all of them before a first publish)."""
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        if not serving_path or not Path(serving_path).exists():
            return _count(con, "select count(*) from marts.dim_document")
        attach_published(con, serving_path, "serving")
        try:  # a version new since the published file has a newer row: no `not in` over every version
            return _count(con, NEW_DOCUMENTS)
        except OLDER_FILE:  # a file published before dim_document had refreshed_at
            return _count(
                con,
                "select count(*) from marts.dim_document"
                " where document_id not in (select document_id from serving.marts.dim_document)",
            )
    finally:
        con.close()


def _count(con: duckdb.DuckDBPyConnection, query: str) -> int:
    row = con.execute(query).fetchone()
    return int(row[0]) if row else 0
