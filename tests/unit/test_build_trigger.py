"""The warehouse build runs only when the ingest that triggered it landed something (warehouse/build_trigger.py):
the decision the build DAG's first task takes on its triggering Asset events."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

from airflow.sdk.execution_time.comms import AssetEventDagRunReferenceResult
from airflow.sdk.execution_time.context import TriggeringAssetEventsAccessor

from warehouse.build_trigger import build_decision, documents_landed, event_extras
from warehouse.landing.records import LocationRecord
from warehouse.landing.store import RawStore
from warehouse.landing.writer import RawWriter
from warehouse.settings import REPO_ROOT

NOTHING_NEW = {"sources_crawled": 7, "documents_added": 0, "attachments_added": 0, "quarantined": 0, "requests": 9}


def _events(*extras: dict) -> TriggeringAssetEventsAccessor:
    """What Airflow hands a task as context["triggering_asset_events"]: events of the raw_documents Asset."""
    return TriggeringAssetEventsAccessor.build(
        AssetEventDagRunReferenceResult(
            asset={"name": "raw_documents", "uri": "raw_documents", "extra": {}},
            extra=extra,
            source_task_id="report_raw_layer",
            source_dag_id="ingest_disclosure_sites",
            source_run_id=f"scheduled__{number}",
            source_map_index=-1,
            source_aliases=[],
            timestamp=datetime(2026, 12, 7, 6, number, tzinfo=UTC),
        )
        for number, extra in enumerate(extras)
    )


def test_an_ingest_that_landed_nothing_skips_the_build():
    decision = build_decision(event_extras(_events({**NOTHING_NEW, "documents_landed": 0})))
    assert not decision.build
    assert "no new document" in decision.reason


def test_events_that_together_landed_something_build():
    decision = build_decision(event_extras(_events(NOTHING_NEW, {**NOTHING_NEW, "attachments_added": 2})))
    assert decision.build and decision.reason.startswith("2 new document version(s) from 2 ingest event(s)")


def test_what_the_raw_layer_holds_from_the_run_outweighs_the_crawl_reports():
    """A crawl attempt that landed documents and failed is retried; the retry finds them known and counts 0."""
    retried = {**NOTHING_NEW, "documents_landed": 5}
    assert build_decision(event_extras(_events(retried))).build


def test_runs_by_hand_full_refreshes_and_events_that_do_not_say_build():
    assert build_decision(event_extras({})).build  # triggered by hand: no events
    assert build_decision(event_extras(_events(NOTHING_NEW)), full_refresh=True).build
    assert build_decision(event_extras(_events({}))).build  # an event posted through the REST API
    assert build_decision(event_extras(_events({"documents_added": "3"}))).build


def test_documents_landed_counts_every_version_a_run_left_in_the_raw_layer(tmp_path):
    from scrapers.drop_folder import ingest_folder

    seeds = sorted((REPO_ROOT / "data" / "seeds").glob("*.txt"))[:3]
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, files in ((first, seeds[:2]), (second, seeds[2:])):
        folder.mkdir()
        for path in files:
            shutil.copy(path, folder)
    store = RawStore(tmp_path / "raw")
    ingest_folder(first, store, run_id="scheduled__1")
    ingest_folder(second, store, run_id="scheduled__2")
    ingest_folder(first, store, run_id="scheduled__3")  # the same files again: nothing new

    assert [documents_landed(store, run) for run in ("scheduled__1", "scheduled__2", "scheduled__3")] == [2, 1, 0]


def test_a_run_that_found_documents_at_a_new_address_builds(tmp_path):
    """A moved site lands no version, only the documents' new addresses: the build must run for the facts to cite
    them (docs/ingest.md, document identity)."""
    store = RawStore(tmp_path / "raw")
    with RawWriter(store) as writer:
        writer.land(LocationRecord(run_id="scheduled__4", source_id="s", document_key="s:/a", url="http://b/a"))
    assert documents_landed(store, "scheduled__4") == 1
    assert build_decision(event_extras(_events({**NOTHING_NEW, "documents_landed": 1}))).build
