"""Ingest DAG: crawl every enabled disclosure site into the raw layer, one mapped task per source."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, get_current_context, task

from dags.assets import RAW_DOCUMENTS
from warehouse.settings import INGEST_SCHEDULE

# How often to crawl: a cron expression or preset; "none" for runs by hand or through the REST API only.
SCHEDULE = None if INGEST_SCHEDULE.lower() == "none" else INGEST_SCHEDULE

DOC_MD = """
### Ingest the civil-affairs disclosure sites

Crawls every **enabled** source of `scrapers/sources.yml` (one mapped `crawl_source` task per source),
politely and incrementally: list pages → work reports selected by title → attachments (PDF/DOCX).
Raw bytes land content-addressed under `warehouse/raw/blobs/`, every fetch attempt in `fetch_log`,
every new document version in `documents`, every failure in `quarantine` (see the view `quarantine_open`).

Each task's log ends with what it fetched, skipped and quarantined. A source none of whose list pages
answered (site down, host name unknown, timeout) fails its task in one line naming the source and the
outcome, and writes an alert to `.run/alerts.jsonl`; the other sources' tasks crawl regardless.
`report_raw_layer` prints what the raw layer holds and updates the `raw_documents` Asset, which schedules
the warehouse build; its event says how many document versions the run landed (`documents_landed`), and a
build triggered only by runs that landed none is skipped.
"""

default_args = {
    "owner": "data-engineering",
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=15),
}


@dag(
    dag_id="ingest_disclosure_sites",
    schedule=SCHEDULE,
    start_date=datetime(2025, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    doc_md=DOC_MD,
    tags=["ingest", "raw", "minzheng"],
)
def ingest_disclosure_sites():
    @task
    def enabled_source_ids() -> list[str]:
        from scrapers.registry import enabled_sources

        return [source.id for source in enabled_sources()]

    @task(map_index_template="{{ source_label }}")
    def crawl_source(source_id: str) -> dict:
        from scrapers.crawl_run import crawl_or_raise
        from scrapers.registry import get_source

        context = get_current_context()
        # map_index_template reads it; Airflow's Context type lists only the keys Airflow itself sets
        context["source_label"] = source_id  # type: ignore[typeddict-unknown-key]
        ti = context["ti"]
        # a source none of whose list pages answered fails here, in one line, with an alert written; delivered
        # once, on the last try (an earlier try is recorded as a retry)
        final = ti.try_number > ti.max_tries
        return crawl_or_raise(get_source(source_id), run_id=context["run_id"], final_attempt=final).as_dict()

    @task(outlets=[RAW_DOCUMENTS], trigger_rule="all_done")
    def report_raw_layer(reports: list[dict], *, outlet_events=None, run_id=None) -> dict:
        from warehouse.build_trigger import documents_landed
        from warehouse.landing.report import raw_layer_report
        from warehouse.landing.store import RawStore

        reports = [report for report in reports if report]
        store = RawStore()
        print(raw_layer_report(store))
        totals = {
            key: sum(report[key] for report in reports)
            for key in ("documents_added", "attachments_added", "quarantined", "requests")
        }
        print(f"sources crawled: {len(reports)}; totals: {totals}")
        # shown on the Asset event; documents_landed (retried attempts included) tells the build whether to run
        landed = documents_landed(store, run_id)
        outlet_events[RAW_DOCUMENTS].extra = {"sources_crawled": len(reports), **totals, "documents_landed": landed}
        return totals

    report_raw_layer(crawl_source.expand(source_id=enabled_source_ids()))


ingest_disclosure_sites()
