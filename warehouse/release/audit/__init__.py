"""The quality gate: Great Expectations checkpoints over the raw layer, staging and the marts of a
candidate warehouse. Suites are the JSON files under expectations/gx/expectations (see
expectations/define_suites.py); data reaches GX as pandas DataFrames read from DuckDB (GX's SQL
datasource and duckdb-engine do not get along)."""

from __future__ import annotations

import contextlib
import io
import logging
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from warehouse.landing.store import RawStore
from warehouse.release.data_docs_assets import localise
from warehouse.release.readers import attach_published, open_published
from warehouse.settings import DATA_DOCS_SITE, DUCKDB_MEMORY_LIMIT, GX_ROOT

if TYPE_CHECKING:
    import pandas as pd

MAX_FACT_DROP = 0.2
# the layer and table each validated DataFrame is read from (RAW_QUERIES, WAREHOUSE_QUERIES)
VALIDATED_TABLES = {
    "raw_documents": "raw.documents_current",
    "raw_fetch_log": "raw.fetch_log",
    "staging_documents": "intermediate.int_documents_classified",
    "staging_segments": "intermediate.int_segments_split",
    "marts_facts": "marts.fct_indicator_values",
}  # a build may lose at most this share of the published facts
# where a table's rows are counted instead: the view documents_current is the versions current_versions lists
# (counting the view joins every version's row of `documents`)
COUNTED_ON = {"raw_documents": "raw.current_versions"}

# Each query validates the rows of its `{scope}`: everything on a first audit, else the document versions this
# build made or changed since the published file (Scope below): the audit's work follows the build's, not the
# corpus. Its condition is written on the query's own columns.
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
_AUDITED = "(select version_id from audited_versions)"
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
# the columns that name the document behind a row (its id first, then its title): GX returns them with every
# unexpected row, so a failed audit says which documents to look at
DOCUMENT_COLUMNS = {
    "raw_documents": ["document_key", "title"],
    "raw_fetch_log": ["url"],
    "staging_documents": ["version_id", "title"],
    "staging_segments": ["version_id", "title"],
    "marts_facts": ["document_id", "document_title"],
}
EXAMPLES_SHOWN = 5
ROWS_RETURNED = 20  # unexpected rows GX returns per expectation, and so the documents a failure can name


def result_format(suite: str) -> dict:
    """What each checkpoint returns per expectation (the committed checkpoints hold the same)."""
    return {
        "result_format": "SUMMARY",
        "partial_unexpected_count": ROWS_RETURNED,
        "unexpected_index_column_names": DOCUMENT_COLUMNS[suite],
    }


@dataclass
class Failure:
    suite: str
    expectation: str
    column: str
    unexpected_count: int
    examples: list
    documents: list[str] = field(default_factory=list)  # "title (id)" of the documents behind unexpected rows

    def __str__(self) -> str:
        behind = f"; documents: {'; '.join(self.documents)}" if self.documents else ""
        return (
            f"{self.suite}: {self.expectation}({self.column}) failed for {self.unexpected_count} rows, "
            f"e.g. {self.examples}{behind}"
        )

    def as_record(self) -> dict:
        """JSON-able, for the Airflow Asset event of the audit."""
        return {
            "suite": self.suite,
            "expectation": self.expectation,
            "column": self.column,
            "unexpected_rows": self.unexpected_count,
            "documents": self.documents,
        }


def documents_behind(rows: list[dict], columns: list[str]) -> list[str]:
    """The distinct documents of GX's unexpected rows (partial_unexpected_index_list), as "title (id)"."""
    named = []
    for row in rows:
        identifier, title = row.get(columns[0]), row.get(columns[1]) if len(columns) > 1 else None
        label = f"{title} ({identifier})" if isinstance(title, str) and title else str(identifier)  # NaN: none
        if identifier is not None and label not in named:
            named.append(label)
    return named


@dataclass
class AuditReport:
    success: bool
    row_counts: dict[str, int] = field(default_factory=dict)  # rows validated, per suite
    failures: list[Failure] = field(default_factory=list)
    evaluated: int = 0  # expectations evaluated, over every suite
    documents_new: int = 0  # document versions in the candidate that the serving file does not have
    table_rows: dict[str, int] = field(default_factory=dict)  # rows of each validated table, in or out of scope
    scope: str = "every row"  # or the document versions this build made or changed since the published file
    data_docs: Path | None = None
    validation_pages: dict[str, Path] = field(default_factory=dict)  # suite → this run's Data Docs page
    # an analyst's corrections that name no current document or fact (int_corrections_unmatched): reported, they
    # do not fail the audit (the data is right either way; the row is to be edited or deleted)
    unmatched_corrections: list[str] = field(default_factory=list)

    def figures(self) -> dict:
        """What a build's audit comes to, for the Airflow Asset events of its audit and publish."""
        figures: dict[str, Any] = {
            "audit": "passed" if self.success else "FAILED",
            "facts_published": self._rows("marts_facts") if self.success else 0,
            "documents_published": self._rows("staging_documents") if self.success else 0,
            "documents_new": self.documents_new,
            "expectations_evaluated": self.evaluated,
            "expectations_failed": len(self.failures),
        }
        if self.failures:
            figures["failed_expectations"] = [failure.as_record() for failure in self.failures]
        if self.unmatched_corrections:
            figures["unmatched_corrections"] = self.unmatched_corrections
        return figures

    def _rows(self, suite: str) -> int:
        return self.table_rows.get(suite, self.row_counts.get(suite, 0))

    def summary(self) -> str:
        lines = [
            f"audit {'passed' if self.success else 'FAILED'} ({self.scope}): "
            + ", ".join(f"{name} {rows} rows" for name, rows in self.row_counts.items())
        ]
        lines += [f"  - {failure}" for failure in self.failures]
        if self.unmatched_corrections:
            lines.append(
                f"{len(self.unmatched_corrections)} correction(s) match nothing in this build"
                " (dbt_project/seeds/document_corrections.csv, fact_corrections.csv; docs/runbook.md):"
            )
            lines += [f"  - {correction}" for correction in self.unmatched_corrections]
        return "\n".join(lines)


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

    def parameters(self, suite: str) -> dict:
        return {"watermark": self.watermark} if not self.full and "$watermark" in SCOPES[suite] else {}


def _scope(con, serving_path: Path | str | None) -> Scope:
    """Attach the published file and find what this build made or changed since it (Scope)."""
    if not serving_path or not Path(serving_path).exists():
        return Scope(full=True)
    attach_published(con, serving_path, "serving")
    try:
        if con.execute(REFERENCE.format(db="")).fetchall() != con.execute(REFERENCE.format(db="serving.")).fetchall():
            return Scope(full=True)
        segmented, decided = con.execute(
            "select (select max(processed_at) from serving.intermediate.int_segments_split),"
            " (select max(processed_at) from serving.intermediate.int_mention_decisions)"
        ).fetchall()[0]
        if segmented is None or decided is None:
            return Scope(full=True)
        con.execute(AUDITED_VERSIONS, {"segmented": segmented, "decided": decided})
    except duckdb.Error:  # a file published before these tables or columns existed
        return Scope(full=True)
    audited = [version for (version,) in con.execute("select version_id from audited_versions").fetchall()]
    written_out = _written_out(audited) if len(audited) <= WRITTEN_OUT_MAX else _AUDITED
    return Scope(full=False, watermark=min(segmented, decided), versions=len(audited), audited=written_out)


WRITTEN_OUT_MAX = 1000


def _written_out(versions: list[str]) -> str:
    """Version ids as a list of constants: a filter DuckDB takes into its scans (row groups skipped by their
    min and max), where a semi-join on audited_versions reads every row of the 15 million segments."""
    if not versions:  # `in ()` is not SQL; `not in (null)` would keep nothing
        return "(select null where false)"
    return "(" + ", ".join("'" + version.replace("'", "''") + "'" for version in versions) + ")"


# a suite's rows are validated a chunk of document versions at a time (its rows read from a Parquet file), so
# the audit's memory stays bounded however many versions a first audit has to validate
CHUNK_VERSIONS = 20_000
CHUNKED_BY = {"staging_segments": "version_id", "marts_facts": "document_id"}


@dataclass
class Frames:
    """What _frames read: per suite, its chunks as Parquet files (or a zero-row DataFrame); the whole tables'
    row counts; the scope; the region names."""

    chunks: dict[str, list]
    totals: dict[str, int]
    scope: Scope
    region_names: list[str]
    unmatched_corrections: list[str] = field(default_factory=list)


def _frames(warehouse_path: Path, raw_dir: Path, serving_path: Path | str | None, folder: Path) -> Frames:
    """Read the rows to validate in one connection — the warehouse with the raw layer attached (as dbt sees
    it), under the raw layer's lock so no crawl writes meanwhile — into Parquet files in `folder`."""
    store = RawStore(raw_dir)
    with store.locked():
        con = duckdb.connect(str(warehouse_path), read_only=True, config={"memory_limit": DUCKDB_MEMORY_LIMIT})
        try:
            con.execute(f"attach '{store.db_path}' as raw (read_only)")
            scope = _scope(con, serving_path)
            chunks, counts = {}, {}
            for name, query in {**RAW_QUERIES, **WAREHOUSE_QUERIES}.items():
                selected = query.format(scope=scope.condition(name), scope_of_documents=scope.of_documents())
                chunks[name], counts[name] = _write_chunks(con, selected, scope.parameters(name), folder / name, name)
            totals = {
                name: counts[name] if scope.full else con.execute(f"select count(*) from {table}").fetchall()[0][0]
                for name, table in {**VALIDATED_TABLES, **COUNTED_ON}.items()
            }
            # the facts out of scope: all of them less those validated (a count of `not in` read two million ids)
            scope.facts_outside = totals["marts_facts"] - counts["marts_facts"]
            region_names = [row[0] for row in con.execute("select region_name from marts.dim_region").fetchall()]
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


def unmatched_corrections(con) -> list[str]:
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


def _write_chunks(con, query: str, parameters: dict, folder: Path, suite: str) -> tuple[list, int]:
    version = CHUNKED_BY.get(suite)
    chunk = f"(dense_rank() over (order by {version}) - 1) // {CHUNK_VERSIONS}" if version else "0"
    rows = con.execute(
        f"copy (select *, {chunk} as audit_chunk from ({query})) to '{folder}'"
        " (format parquet, partition_by (audit_chunk))",
        parameters,
    ).fetchall()[0][0]
    parts = sorted(folder.glob("audit_chunk=*"), key=lambda path: int(path.name.split("=")[1]))
    return (parts or [con.execute(f"select * from ({query}) limit 0", parameters).df()]), rows


def _load(chunk) -> pd.DataFrame:
    if not isinstance(chunk, Path):
        return chunk
    con = duckdb.connect()
    try:
        return con.execute("select * from read_parquet(?)", [str(chunk / "*.parquet")]).df()
    finally:
        con.close()


def _name_data_asset(context, result, table: str) -> None:
    """A DataFrame's validation knows no table: write the layer and table into each result and render its page
    again, so that the Data Docs say `Data asset: marts.fct_indicator_values` instead of None."""
    for identifier in result.run_results:
        stored = context.validation_results_store.get(identifier)
        stored.meta["batch_spec"] = {**(stored.meta.get("batch_spec") or {}), "data_asset_name": table}
        context.validation_results_store.set(identifier, stored)
        context.build_data_docs(resource_identifiers=[identifier])


def published_fact_count(serving_path: Path | str | None) -> int | None:
    if not serving_path or not Path(serving_path).exists():
        return None
    con = open_published(serving_path)
    try:
        return con.execute("select count(*) from marts.fct_indicator_values").fetchall()[0][0]
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
            return con.execute("select count(*) from marts.dim_document").fetchall()[0][0]
        attach_published(con, serving_path, "serving")
        try:  # a version new since the published file has a newer row: no `not in` over every version
            return con.execute(NEW_DOCUMENTS).fetchall()[0][0]
        except duckdb.Error:  # a file published before dim_document had refreshed_at
            return con.execute(
                "select count(*) from marts.dim_document"
                " where document_id not in (select document_id from serving.marts.dim_document)"
            ).fetchall()[0][0]
    finally:
        con.close()


class CheckpointBroken(RuntimeError):
    """A checkpoint committed with the suites does not load: a person must mend it, never a silent re-creation."""


def _checkpoint(context, gx, name: str):
    """The suite's committed checkpoint; created (with its asset and validation definition) only when no file of
    it is committed. One that is committed but does not load is an error."""
    committed = Path(context.root_directory) / "checkpoints" / f"{name}.json"
    if committed.exists():
        try:
            return context.checkpoints.get(name)
        except Exception as failed:  # GX raises several kinds for a file it cannot read: all stop the audit
            raise CheckpointBroken(
                f"the committed checkpoint {committed} does not load ({type(failed).__name__}: {failed}); "
                "mend it, or delete it to have it made again from its suite"
            ) from failed
    # Data source, assets, validation definitions and checkpoints are created once and committed with the
    # suites; re-creating them each run would rewrite their ids in the repository every time.
    try:
        source = context.data_sources.get("warehouse")
    except (KeyError, ValueError, LookupError):
        source = context.data_sources.add_pandas("warehouse")
    asset = next((a for a in source.assets if a.name == name), None) or source.add_dataframe_asset(name)
    batch = next(
        (b for b in asset.batch_definitions if b.name == "whole"), None
    ) or asset.add_batch_definition_whole_dataframe("whole")
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=name, data=batch, suite=context.suites.get(name))
    )
    return context.checkpoints.add(
        gx.Checkpoint(
            name=name,
            validation_definitions=[definition],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")],
            result_format=result_format(name),
        )
    )


def _record(report: AuditReport, name: str, result, context) -> None:
    """Add one checkpoint run (a chunk of a suite) to the report: a failure of an expectation another chunk
    failed too is added to that failure."""
    _name_data_asset(context, result, VALIDATED_TABLES[name])
    for identifier in result.run_results:
        report.validation_pages[name] = (
            DATA_DOCS_SITE.relative_to(GX_ROOT).joinpath("validations", *identifier.to_tuple()).with_suffix(".html")
        )
    for run in result.run_results.values():
        report.evaluated += len(run.results)
        for outcome in run.results:
            if not outcome.success:
                _add_failure(report, name, outcome)
    report.success = report.success and result.success


def _add_failure(report: AuditReport, name: str, outcome) -> None:
    config = outcome.expectation_config
    column = str(
        config.kwargs.get("column")
        or config.kwargs.get("column_list")
        or f"{config.kwargs.get('column_A')},{config.kwargs.get('column_B')}"
    )
    failure = Failure(
        suite=name,
        expectation=config.type,
        column=column,
        unexpected_count=outcome.result.get("unexpected_count", outcome.result.get("observed_value")),
        examples=list(outcome.result.get("partial_unexpected_list", []))[:EXAMPLES_SHOWN],
        documents=documents_behind(outcome.result.get("partial_unexpected_index_list") or [], DOCUMENT_COLUMNS[name]),
    )
    same = next(
        (f for f in report.failures if (f.suite, f.expectation, f.column) == (name, failure.expectation, column)), None
    )
    if same is None:
        report.failures.append(failure)
        return
    if isinstance(same.unexpected_count, int) and isinstance(failure.unexpected_count, int):
        same.unexpected_count += failure.unexpected_count
    same.examples = (same.examples + failure.examples)[:EXAMPLES_SHOWN]
    same.documents += [document for document in failure.documents if document not in same.documents]


def audit(
    warehouse_path: Path | str,
    raw_dir: Path | str,
    serving_path: Path | str | None = None,
    gx_root: Path = GX_ROOT,
    run_name: str | None = None,
) -> AuditReport:
    """Validate a candidate warehouse; nothing is published here. `run_name` names the validations in the Data
    Docs (the Airflow run id; `make publish` and other callers get publish-<UTC time>)."""
    logging.getLogger("great_expectations").setLevel(logging.WARNING)  # before import: it logs while importing
    with contextlib.redirect_stdout(io.StringIO()):
        import great_expectations as gx

    from great_expectations.core.run_identifier import RunIdentifier

    run_name = run_name or f"publish-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    with tempfile.TemporaryDirectory(prefix="audit-") as folder:
        frames = _frames(Path(warehouse_path), Path(raw_dir), serving_path, Path(folder))
        published = published_fact_count(serving_path)
        # the whole table may lose at most MAX_FACT_DROP of the published facts; the rows out of scope count
        min_fact_rows = max(0, int(published * (1 - MAX_FACT_DROP)) - frames.scope.facts_outside) if published else 0
        context = gx.get_context(mode="file", project_root_dir=str(gx_root))
        report = AuditReport(
            success=True,
            documents_new=new_document_count(Path(warehouse_path), serving_path),
            table_rows=frames.totals,
            scope="every row"
            if frames.scope.full
            else f"{frames.scope.versions} document versions made or changed by this build",
            unmatched_corrections=frames.unmatched_corrections,
        )
        for name, chunks in frames.chunks.items():
            checkpoint = _checkpoint(context, gx, name)
            report.row_counts[name] = 0
            for number, chunk in enumerate(chunks):
                frame = _load(chunk)
                last = number == len(chunks) - 1
                parameters = {
                    "region_names": frames.region_names,
                    # the row count is the whole scope's: held against the last chunk with the rows before it
                    "min_fact_rows": max(0, min_fact_rows - report.row_counts[name]) if last else 0,
                }
                report.row_counts[name] += len(frame)
                result = checkpoint.run(
                    batch_parameters={"dataframe": frame},
                    expectation_parameters=parameters,
                    run_id=RunIdentifier(run_name),
                )
                del frame
                _record(report, name, result, context)
    site = gx_root / DATA_DOCS_SITE.relative_to(GX_ROOT)
    localise(site)
    report.data_docs = site / "index.html"
    report.validation_pages = {name: gx_root / page for name, page in report.validation_pages.items()}
    return report
