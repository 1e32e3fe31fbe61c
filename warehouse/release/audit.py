"""The quality gate: Great Expectations checkpoints over the raw layer, staging and the marts of a
candidate warehouse. Suites are the JSON files under expectations/gx/expectations (see
expectations/define_suites.py); data reaches GX as pandas DataFrames read from DuckDB (GX's SQL
datasource and duckdb-engine do not get along)."""

from __future__ import annotations

import contextlib
import io
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.landing.store import RawStore
from warehouse.release.data_docs_assets import localise
from warehouse.settings import DATA_DOCS_SITE, GX_ROOT

MAX_FACT_DROP = 0.2
# the layer and table each validated DataFrame is read from (RAW_QUERIES, WAREHOUSE_QUERIES)
VALIDATED_TABLES = {
    "raw_documents": "raw.documents_current",
    "raw_fetch_log": "raw.fetch_log",
    "staging_documents": "intermediate.int_documents_classified",
    "staging_segments": "intermediate.int_segments_split",
    "marts_facts": "marts.fct_indicator_values",
}  # a build may lose at most this share of the published facts

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
        where {scope}""",
    "staging_segments": """
        select s.segment_id, s.version_id, d.title, s.segment_kind,
               s.start_offset >= 0 and s.end_offset <= d.text_chars and s.start_offset < s.end_offset
                   as offsets_inside_text
        from intermediate.int_segments_split as s
        inner join staging.stg_raw__documents as d using (version_id)
        where {scope}""",
    "marts_facts": """
        select f.indicator_value_id, f.document_id, doc.title as document_title, f.indicator_code, f.region_name,
               f.period_id, f.value_type, f.value, f.unit, i.unit as indicator_unit, f.raw_mention, f.evidence,
               case when i.kind = 'rate' then f.value end as rate_value,
               r.min_value as plausible_min, r.max_value as plausible_max,
               contains(f.evidence, f.raw_mention) as evidence_has_mention
        from marts.fct_indicator_values as f
        inner join marts.dim_indicator as i using (indicator_code)
        left join marts.dim_document as doc using (document_id)
        left join reference.plausible_ranges as r using (indicator_code)
        where {scope}""",
}
_AUDITED = "(select version_id from audited_versions)"
SCOPES = {
    "raw_documents": f"(version_id in {_AUDITED} or ingested_at > $watermark)",
    "raw_fetch_log": "fetched_at > $watermark",
    "staging_documents": f"c.version_id in {_AUDITED}",
    "staging_segments": f"s.version_id in {_AUDITED}",
    "marts_facts": f"f.document_id in {_AUDITED}",
}
# The versions a build made or changed since the published file: new to it, split or decided after its newest
# row, classified differently, or with facts that differ from its facts (the marts are rebuilt every time).
AUDITED_VERSIONS = """
create temp table audited_versions as
select document_id as version_id from marts.dim_document
where document_id not in (select document_id from serving.marts.dim_document)
union select version_id from intermediate.int_segments_split where processed_at > $segmented
union select version_id from intermediate.int_mention_decisions where processed_at > $decided
union select version_id from (
    select * from intermediate.int_documents_classified
    except select * from serving.intermediate.int_documents_classified
)
union select document_id from (
    select * from marts.fct_indicator_values except select * from serving.marts.fct_indicator_values
)
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

    def figures(self) -> dict:
        """What a build's audit comes to, for the Airflow Asset events of its audit and publish."""
        figures = {
            "audit": "passed" if self.success else "FAILED",
            "facts_published": self._rows("marts_facts") if self.success else 0,
            "documents_published": self._rows("staging_documents") if self.success else 0,
            "documents_new": self.documents_new,
            "expectations_evaluated": self.evaluated,
            "expectations_failed": len(self.failures),
        }
        if self.failures:
            figures["failed_expectations"] = [failure.as_record() for failure in self.failures]
        return figures

    def _rows(self, suite: str) -> int:
        return self.table_rows.get(suite, self.row_counts.get(suite, 0))

    def summary(self) -> str:
        lines = [
            f"audit {'passed' if self.success else 'FAILED'} ({self.scope}): "
            + ", ".join(f"{name} {rows} rows" for name, rows in self.row_counts.items())
        ]
        lines += [f"  - {failure}" for failure in self.failures]
        return "\n".join(lines)


@dataclass
class Scope:
    """Which rows an audit validates: all (`full`), or those of `audited_versions` and of fetches and documents
    landed after `watermark`. `facts_outside` counts the facts it leaves out, for the row-count expectation."""

    full: bool
    watermark: datetime | None = None
    versions: int = 0
    facts_outside: int = 0

    def parameters(self, suite: str) -> dict:
        return {"watermark": self.watermark} if not self.full and "$watermark" in SCOPES[suite] else {}


def _scope(con, serving_path: Path | None) -> Scope:
    """Attach the published file and find what this build made or changed since it (Scope)."""
    if not serving_path or not Path(serving_path).exists():
        return Scope(full=True)
    con.execute(f"attach '{serving_path}' as serving (read_only)")
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
    versions, facts_outside = con.execute(
        "select (select count(*) from audited_versions), (select count(*) from marts.fct_indicator_values"
        f" where document_id not in {_AUDITED})"
    ).fetchall()[0]
    return Scope(full=False, watermark=min(segmented, decided), versions=versions, facts_outside=facts_outside)


def _frames(warehouse_path: Path, raw_dir: Path, serving_path: Path | None = None) -> tuple[dict, dict, Scope, list]:
    """The DataFrames to validate, read in one connection: the warehouse with the raw layer attached
    (as dbt sees it), under the raw layer's lock so no crawl writes meanwhile. Also: the whole tables' row
    counts, the scope, and the region names."""
    store = RawStore(raw_dir)
    with store.locked():
        con = duckdb.connect(str(warehouse_path), read_only=True)
        try:
            con.execute(f"attach '{store.db_path}' as raw (read_only)")
            scope = _scope(con, serving_path)
            frames = {
                name: con.execute(
                    query.format(scope="true" if scope.full else SCOPES[name]), scope.parameters(name)
                ).df()
                for name, query in {**RAW_QUERIES, **WAREHOUSE_QUERIES}.items()
            }
            totals = {
                name: frames[name].shape[0]
                if scope.full
                else con.execute(f"select count(*) from {table}").fetchall()[0][0]
                for name, table in VALIDATED_TABLES.items()
            }
            region_names = [row[0] for row in con.execute("select region_name from marts.dim_region").fetchall()]
        finally:
            con.close()
    return frames, totals, scope, region_names


def _name_data_asset(context, result, table: str) -> None:
    """A DataFrame's validation knows no table: write the layer and table into each result and render its page
    again, so that the Data Docs say `Data asset: marts.fct_indicator_values` instead of None."""
    for identifier in result.run_results:
        stored = context.validation_results_store.get(identifier)
        stored.meta["batch_spec"] = {**(stored.meta.get("batch_spec") or {}), "data_asset_name": table}
        context.validation_results_store.set(identifier, stored)
        context.build_data_docs(resource_identifiers=[identifier])


def published_fact_count(serving_path: Path | None) -> int | None:
    if not serving_path or not Path(serving_path).exists():
        return None
    con = duckdb.connect(str(serving_path), read_only=True)
    try:
        return con.execute("select count(*) from marts.fct_indicator_values").fetchall()[0][0]
    finally:
        con.close()


def new_document_count(warehouse_path: Path, serving_path: Path | None) -> int:
    """Document versions of the candidate that are not yet published (all of them before a first publish)."""
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        if not serving_path or not Path(serving_path).exists():
            return con.execute("select count(*) from marts.dim_document").fetchall()[0][0]
        con.execute(f"attach '{serving_path}' as serving (read_only)")
        return con.execute(
            "select count(*) from marts.dim_document"
            " where document_id not in (select document_id from serving.marts.dim_document)"
        ).fetchall()[0][0]
    finally:
        con.close()


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
    frames, totals, scope, region_names = _frames(Path(warehouse_path), Path(raw_dir), serving_path)
    published = published_fact_count(serving_path)
    parameters = {
        "region_names": region_names,
        # the whole table may lose at most MAX_FACT_DROP of the published facts; the rows out of scope count
        "min_fact_rows": max(0, int(published * (1 - MAX_FACT_DROP)) - scope.facts_outside) if published else 0,
    }
    context = gx.get_context(mode="file", project_root_dir=str(gx_root))
    # Data source, assets, validation definitions and checkpoints are created once and committed with the
    # suites; re-creating them each run would rewrite their ids in the repository every time.
    try:
        source = context.data_sources.get("warehouse")
    except (KeyError, ValueError, LookupError):
        source = context.data_sources.add_pandas("warehouse")
    report = AuditReport(
        success=True,
        documents_new=new_document_count(Path(warehouse_path), serving_path),
        table_rows=totals,
        scope="every row" if scope.full else f"{scope.versions} document versions made or changed by this build",
    )
    for name, frame in frames.items():
        report.row_counts[name] = len(frame)
        try:
            checkpoint = context.checkpoints.get(name)
        except Exception:
            asset = next((a for a in source.assets if a.name == name), None) or source.add_dataframe_asset(name)
            batch = next(
                (b for b in asset.batch_definitions if b.name == "whole"), None
            ) or asset.add_batch_definition_whole_dataframe("whole")
            definition = context.validation_definitions.add(
                gx.ValidationDefinition(name=name, data=batch, suite=context.suites.get(name))
            )
            checkpoint = context.checkpoints.add(
                gx.Checkpoint(
                    name=name,
                    validation_definitions=[definition],
                    actions=[gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")],
                    result_format=result_format(name),
                )
            )
        result = checkpoint.run(
            batch_parameters={"dataframe": frame}, expectation_parameters=parameters, run_id=RunIdentifier(run_name)
        )
        _name_data_asset(context, result, VALIDATED_TABLES[name])
        for identifier in result.run_results:
            report.validation_pages[name] = (
                DATA_DOCS_SITE.relative_to(GX_ROOT).joinpath("validations", *identifier.to_tuple()).with_suffix(".html")
            )
        for run in result.run_results.values():
            report.evaluated += len(run.results)
            for outcome in run.results:
                if outcome.success:
                    continue
                config = outcome.expectation_config
                column = (
                    config.kwargs.get("column")
                    or config.kwargs.get("column_list")
                    or f"{config.kwargs.get('column_A')},{config.kwargs.get('column_B')}"
                )
                report.failures.append(
                    Failure(
                        suite=name,
                        expectation=config.type,
                        column=str(column),
                        unexpected_count=outcome.result.get("unexpected_count", outcome.result.get("observed_value")),
                        examples=list(outcome.result.get("partial_unexpected_list", []))[:EXAMPLES_SHOWN],
                        documents=documents_behind(
                            outcome.result.get("partial_unexpected_index_list") or [], DOCUMENT_COLUMNS[name]
                        ),
                    )
                )
        report.success = report.success and result.success
    site = gx_root / DATA_DOCS_SITE.relative_to(GX_ROOT)
    localise(site)
    report.data_docs = site / "index.html"
    report.validation_pages = {name: gx_root / page for name, page in report.validation_pages.items()}
    return report
