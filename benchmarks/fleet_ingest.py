"""Ingest throughput against a simulated fleet of disclosure sites, one Celery worker vs two.

The offline mirror serves `--sites` county sites (mirror.fleet: each its own port, so its own host; half
Hanweb JCMS, half jpaas; four work reports among sixteen notices), in a process of its own as remote sites
would be. For each worker count, a fresh Airflow with the CeleryExecutor (Redis broker, PostgreSQL metadata
in a scratch database, per-host politeness shared through Redis) and a fresh raw layer run the ingest DAG
once through the REST API: one mapped `crawl_source` task per site. The warehouse build stays paused: this
measures the crawl.

    python -m benchmarks.fleet_ingest [--sites 200] [--workers 1 2] [--concurrency 4] [--interval 1.0]

Needs PostgreSQL and Redis on 127.0.0.1 (as `make airflow-distributed` does).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from benchmarks.scratch import scratch_folder
from mirror.fleet import fleet_registry
from mirror.process import MirrorProcess
from tests.harness.airflow_client import seconds_between
from tests.harness.postgres import scratch_database
from tests.harness.scratch_pipeline import INGEST, scratch_pipeline
from tests.harness.services import postgres_unreachable, redis_unreachable
from tools.airflow_up import tasks_received
from warehouse.landing.store import RawStore
from warehouse.postgres import sqlalchemy_url


def run_once(root: Path, mirror: MirrorProcess, registry: Path, workers: int, concurrency: int) -> dict:
    with scratch_database("fleet_bench") as database:
        with scratch_pipeline(
            root,
            metadata_url=sqlalchemy_url(database),
            celery_workers=workers,
            worker_concurrency=concurrency,
            mirror=mirror,
            unpause=(INGEST,),
            extra_env={"MINZHENG_SOURCES": str(registry)},
        ) as pipeline:
            started = time.monotonic()
            run_id = pipeline.client.trigger(INGEST)
            run = pipeline.client.wait_for_run(INGEST, run_id, timeout=7200)
            wall = time.monotonic() - started
            tasks = pipeline.client.task_instances(INGEST, run_id)
    crawls = [ti for ti in tasks if ti["task_id"] == "crawl_source"]
    store = RawStore(root / "raw")
    requests, fetched_bytes = store.query("select count(*), coalesce(sum(bytes), 0) from fetch_log")[0]
    documents = store.query("select count(*) from documents")[0][0]
    quarantined = store.query("select count(*) from quarantine")[0][0]
    # politeness check: the gaps between the requests sent to one host (fetched_at: when a request went out)
    min_gap, median_gap = store.query("""
        select min(gap), median(gap) from (
            select epoch(fetched_at - lag(fetched_at) over (partition by source_id order by fetched_at)) as gap
            from fetch_log)
        where gap is not null""")[0]
    span = seconds_between(min(ti["start_date"] for ti in crawls), max(ti["end_date"] for ti in crawls))
    return {
        "workers": workers,
        "slots": workers * concurrency,
        "state": run["state"],
        "run_seconds": seconds_between(run["start_date"], run["end_date"]),
        "wall_seconds": wall,
        "crawl_span_seconds": span,
        "sites": len(crawls),
        "sites_succeeded": sum(ti["state"] == "success" for ti in crawls),
        "task_seconds_median": statistics.median(ti["duration"] for ti in crawls),
        "requests": requests,
        "bytes": fetched_bytes,
        "documents": documents,
        "quarantined": quarantined,
        "min_gap": min_gap,
        "median_gap": median_gap,
        "received": tasks_received(root / "logs", workers),
    }


def report(result: dict, interval: float) -> str:
    run = result["run_seconds"]
    per_site_requests = result["requests"] / max(result["sites"], 1)
    return (
        f"{result['workers']} worker(s), {result['slots']} task slots: run {result['state']} in {run:.0f}s "
        f"(crawl tasks spanned {result['crawl_span_seconds']:.0f}s) — {result['sites_succeeded']}/{result['sites']} "
        f"sites, {result['requests']} requests ({per_site_requests:.1f}/site), {result['bytes']:,} bytes, "
        f"{result['documents']} documents, {result['quarantined']} quarantined\n"
        f"    throughput: {60 * result['sites'] / run:.1f} sites/min, {result['requests'] / run:.2f} requests/s, "
        f"{result['documents'] / run:.2f} documents/s; median crawl task {result['task_seconds_median']:.1f}s "
        f"(politeness floor {(per_site_requests - 1) * interval:.1f}s); tasks received per worker "
        f"{result['received']}\n"
        f"    politeness (fetch_log): requests to one host went out {result['min_gap']:.3f}s apart at least, "
        f"{result['median_gap']:.3f}s at the median (configured {interval}s)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--concurrency", type=int, default=4, help="task slots per Celery worker")
    parser.add_argument("--interval", type=float, default=1.0, help="per-host politeness: seconds between requests")
    parser.add_argument("--keep", type=Path, help="keep the scratch folders (logs, raw layers) here")
    args = parser.parse_args()
    missing = redis_unreachable() or postgres_unreachable()
    if missing:
        print(f"the fleet benchmark runs the CeleryExecutor and needs Redis and PostgreSQL: {missing}", file=sys.stderr)
        return 2
    with scratch_folder(args.keep, "minzheng-fleet-") as base, MirrorProcess(fleet=args.sites) as mirror:
        registry = fleet_registry(mirror.fleet_urls(), base / "fleet_sources.yml", args.interval)
        print(
            f"fleet: {args.sites} sites on the mirror, politeness {args.interval}s per host, "
            f"{os.cpu_count()} cores, registry {registry}",
            flush=True,
        )
        for workers in args.workers:
            result = run_once(base / f"workers-{workers}", mirror, registry, workers, args.concurrency)
            print(report(result, args.interval), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
