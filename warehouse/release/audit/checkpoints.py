"""The GX side of the audit: each suite's committed checkpoint (audit() runs it over the suite's chunks), and
what one run of it adds to the report. Suites are the JSON files under expectations/gx/expectations
(expectations/define_suites.py); the data source, assets, validation definitions and checkpoints are committed
beside them."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from warehouse.release.audit.frames import VALIDATED_TABLES
from warehouse.release.audit.report import (
    DOCUMENT_COLUMNS,
    EXAMPLES_SHOWN,
    AuditReport,
    Failure,
    documents_behind,
    result_format,
)
from warehouse.settings import DATA_DOCS_SITE, GX_ROOT

if TYPE_CHECKING:
    from great_expectations.checkpoint.checkpoint import Checkpoint, CheckpointResult
    from great_expectations.core.expectation_validation_result import ExpectationValidationResult
    from great_expectations.data_context.data_context.abstract_data_context import AbstractDataContext


class CheckpointBroken(RuntimeError):
    """A checkpoint committed with the suites does not load: a person must mend it, never a silent re-creation."""


def checkpoint(context: AbstractDataContext, gx: ModuleType, name: str) -> Checkpoint:
    """The suite's committed checkpoint; created (with its asset and validation definition) only when no file of
    it is committed. One that is committed but does not load is an error."""
    committed = Path(context.root_directory or ".") / "checkpoints" / f"{name}.json"
    if committed.exists():
        try:
            return context.checkpoints.get(name)
        except _unloadable(gx) as failed:
            raise CheckpointBroken(
                f"the committed checkpoint {committed} does not load ({type(failed).__name__}: {failed}); "
                "mend it, or delete it to have it made again from its suite"
            ) from failed
    return _create(context, gx, name)


def _unloadable(gx: ModuleType) -> tuple[type[Exception], ...]:
    """What GX raises for a committed checkpoint file it cannot use: JSON that does not parse, fields missing or
    of the wrong type, a validation definition it names that is not there (pydantic's ValidationError and GX's
    "not a Checkpoint" are ValueErrors), a file that cannot be read, or an error of GX's own stores. (GX is
    imported by the caller, quietly: not at this module's import.)"""
    return (ValueError, OSError, gx.exceptions.GreatExpectationsError)


def _create(context: AbstractDataContext, gx: ModuleType, name: str) -> Checkpoint:
    """Data source, asset, validation definition and checkpoint of a suite that has none committed. They are
    created once and committed with the suites; re-creating them each run would rewrite their ids in the
    repository every time."""
    source: Any  # a pandas data source; GX types the lookup as any kind of source
    try:
        source = context.data_sources.get("warehouse")
    except KeyError:  # none yet; one that is configured but does not load is GX's error, raised as it is
        source = context.data_sources.add_pandas("warehouse")
    asset = next((a for a in source.assets if a.name == name), None) or source.add_dataframe_asset(name)
    batch = next(
        (b for b in asset.batch_definitions if b.name == "whole"), None
    ) or asset.add_batch_definition_whole_dataframe("whole")
    # a checkpoint deleted to be made again keeps its committed validation definition: GX refuses a second one
    committed = Path(context.root_directory or ".") / "validation_definitions" / f"{name}.json"
    definition = (
        context.validation_definitions.get(name)
        if committed.exists()
        else context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=context.suites.get(name))
        )
    )
    created: Checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=name,
            validation_definitions=[definition],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")],
            result_format=result_format(name),
        )
    )
    return created


def record(report: AuditReport, name: str, result: CheckpointResult, context: AbstractDataContext) -> None:
    """Add one checkpoint run (a chunk of a suite) to the report."""
    _name_data_asset(context, result, VALIDATED_TABLES[name])
    for identifier in result.run_results:
        parts: tuple[str, ...] = identifier.to_tuple()  # type: ignore[no-untyped-call]  # GX leaves it untyped
        report.validation_pages[name] = (
            DATA_DOCS_SITE.relative_to(GX_ROOT).joinpath("validations", *parts).with_suffix(".html")
        )
    for run in result.run_results.values():
        report.evaluated += len(run.results)
        for outcome in run.results:
            if not outcome.success:
                report.add_failure(_failure(name, outcome))
    report.success = report.success and bool(result.success)


def _failure(name: str, outcome: ExpectationValidationResult) -> Failure:
    config = outcome.expectation_config
    kwargs: dict[str, Any] = config.kwargs if config else {}
    column = str(
        kwargs.get("column") or kwargs.get("column_list") or f"{kwargs.get('column_A')},{kwargs.get('column_B')}"
    )
    result: dict[str, Any] = outcome.result
    return Failure(
        suite=name,
        expectation=config.type if config else "unknown expectation",
        column=column,
        unexpected_count=result.get("unexpected_count", result.get("observed_value")),
        examples=list(result.get("partial_unexpected_list", []))[:EXAMPLES_SHOWN],
        documents=documents_behind(result.get("partial_unexpected_index_list") or [], DOCUMENT_COLUMNS[name]),
    )


def _name_data_asset(context: AbstractDataContext, result: CheckpointResult, table: str) -> None:
    """A DataFrame's validation knows no table: write the layer and table into each result and render its page
    again, so that the Data Docs say `Data asset: marts.fct_indicator_values` instead of None."""
    store = context.validation_results_store
    for identifier in result.run_results:
        stored = store.get(identifier)
        if stored is None:
            raise LookupError(f"GX stored no validation result {identifier} for the checkpoint run just made")
        stored.meta["batch_spec"] = {**(stored.meta.get("batch_spec") or {}), "data_asset_name": table}
        store.set(identifier, stored)
        context.build_data_docs(resource_identifiers=[identifier])
