"""Whether a run of the warehouse build has anything to build.

The ingest DAG's `report_raw_layer` puts on its `raw_documents` Asset event what the run landed
(`documents_landed`: every document version the raw layer holds from that run, attempts that failed and were
retried included, and every document found at a new address (a moved site); `documents_added` and
`attachments_added`: what the crawl reports counted). Those events schedule `build_warehouse`, whose first task
asks `build_decision`: a run whose events all say nothing new landed is skipped (the whole run shows as skipped
in the UI); a run by hand, a full refresh, or an event that does not say what it landed (posted through the REST
API, or by an older ingest) builds.

Standard library only: the DAG file imports it at parse time."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

LANDED = "documents_landed"
COUNTED = ("documents_added", "attachments_added")


@dataclass(frozen=True)
class BuildDecision:
    build: bool
    reason: str


def landed_by(extra: Mapping[str, Any] | None) -> int | None:
    """New document versions an ingest event says its run landed; None when it does not say."""
    if not extra:
        return None
    if isinstance(extra.get(LANDED), int):
        return cast(int, extra[LANDED])
    if all(isinstance(extra.get(key), int) for key in COUNTED):
        return cast(int, sum(extra[key] for key in COUNTED))
    return None


def build_decision(extras: Iterable[Mapping[str, Any] | None], full_refresh: bool = False) -> BuildDecision:
    """Build unless every triggering event says its ingest landed no new document."""
    extras = list(extras)
    if full_refresh:
        return BuildDecision(True, "full_refresh: every incremental model is rebuilt")
    if not extras:
        return BuildDecision(True, "run by hand (no ingest event): building")
    landed = [landed_by(extra) for extra in extras]
    counts = [count for count in landed if count is not None]
    if len(counts) < len(landed):
        return BuildDecision(True, "an event that does not say what it landed: building")
    if sum(counts) > 0:
        return BuildDecision(True, f"{sum(counts)} new document version(s) from {len(counts)} ingest event(s)")
    return BuildDecision(False, f"{len(counts)} ingest event(s), no new document: nothing to build, run skipped")


def event_extras(triggering_asset_events: Mapping[Any, Iterable[Any]] | None) -> list[Mapping[str, Any] | None]:
    """The extras of a run's triggering Asset events (context["triggering_asset_events"]), one per event."""
    if not triggering_asset_events:
        return []
    return [event.extra for events in triggering_asset_events.values() for event in events]


def documents_landed(store: Any, run_id: str) -> int:
    """Document versions (documents and attachments) the raw layer holds from run_id, and documents it found at a
    new address (a moved site: no version, but the facts must cite the new address): counted in the raw layer,
    so that what an attempt landed before it failed and was retried counts too. store is a RawStore."""
    return cast(
        int,
        store.query(
            "select (select count(*) from documents where run_id = ?)"
            " + (select count(*) from document_locations where run_id = ?)",
            [run_id, run_id],
        )[0][0],
    )
