"""The quality gate: Great Expectations checkpoints over the raw layer, staging and the marts of a candidate
warehouse, in four parts: what to audit (scope), loading the rows (frames), the GX run (checkpoints) and what it
comes to (report). `audit()` runs them in that order; nothing is published here."""

from __future__ import annotations

import contextlib
import io
import logging
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from warehouse.release.audit.checkpoints import CheckpointBroken, checkpoint, record
from warehouse.release.audit.frames import RAW_QUERIES, VALIDATED_TABLES, WAREHOUSE_QUERIES, load, read_frames
from warehouse.release.audit.report import DOCUMENT_COLUMNS, AuditReport, Failure, documents_behind, result_format
from warehouse.release.audit.scope import Scope, new_document_count, published_fact_count
from warehouse.release.data_docs_assets import localise
from warehouse.settings import DATA_DOCS_SITE, GX_ROOT

__all__ = [
    "DOCUMENT_COLUMNS",
    "MAX_FACT_DROP",
    "RAW_QUERIES",
    "VALIDATED_TABLES",
    "WAREHOUSE_QUERIES",
    "AuditReport",
    "CheckpointBroken",
    "Failure",
    "Scope",
    "audit",
    "documents_behind",
    "result_format",
]

MAX_FACT_DROP = 0.2  # a build may lose at most this share of the published facts


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
        frames = read_frames(Path(warehouse_path), Path(raw_dir), serving_path, Path(folder))
        published = published_fact_count(serving_path)
        # the whole table may lose at most MAX_FACT_DROP of the published facts; the rows out of scope count
        min_fact_rows = max(0, int(published * (1 - MAX_FACT_DROP)) - frames.scope.facts_outside) if published else 0
        context = gx.get_context(mode="file", project_root_dir=str(gx_root))
        report = AuditReport(
            success=True,
            documents_new=new_document_count(Path(warehouse_path), serving_path),
            table_rows=frames.totals,
            scope=frames.scope.describe(),
            unmatched_corrections=frames.unmatched_corrections,
        )
        for name, chunks in frames.chunks.items():
            suite_checkpoint = checkpoint(context, gx, name)
            report.row_counts[name] = 0
            for number, chunk in enumerate(chunks):
                frame = load(chunk)
                last = number == len(chunks) - 1
                parameters = {
                    "region_names": frames.region_names,
                    # the row count is the whole scope's: held against the last chunk with the rows before it
                    "min_fact_rows": max(0, min_fact_rows - report.row_counts[name]) if last else 0,
                }
                report.row_counts[name] += len(frame)
                result = suite_checkpoint.run(
                    batch_parameters={"dataframe": frame},
                    expectation_parameters=parameters,
                    run_id=RunIdentifier(run_name),
                )
                del frame
                record(report, name, result, context)
    site = gx_root / DATA_DOCS_SITE.relative_to(GX_ROOT)
    localise(site)
    report.data_docs = site / "index.html"
    report.validation_pages = {name: gx_root / page for name, page in report.validation_pages.items()}
    return report
