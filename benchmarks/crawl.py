"""Crawl benchmark against the offline mirror.

1. Throughput: every mirror site enlarged with filler articles, title selection and the rate limit
   off, so every list page, article and attachment is fetched, parsed and landed: pages per second.
2. Incremental: the same crawl again with nothing new: how many requests and bytes it costs, and how
   many article or attachment bodies it downloads again (must be 0: conditional GET answers 304).

    python -m benchmarks.crawl [--extra-fillers 200]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time

from mirror.process import MirrorProcess
from scrapers.fetch import Politeness
from scrapers.ingest import crawl_source
from scrapers.registry import enabled_sources
from warehouse.landing.store import RawStore


def crawl_all(sources, store, run_id):
    started = time.perf_counter()
    reports = [crawl_source(source, store, run_id, progress=lambda _: None) for source in sources]
    return reports, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extra-fillers", type=int, default=200, help="filler articles added to every column")
    args = parser.parse_args()
    with MirrorProcess(extra_fillers=args.extra_fillers) as mirror:
        os.environ.update(mirror.env())
        return run(args)


def run(args) -> int:
    with tempfile.TemporaryDirectory() as raw_dir:
        unthrottled = Politeness(min_interval_seconds=0)
        sources = [
            dataclasses.replace(source, title_include="", politeness=unthrottled, max_list_pages=1000)
            for source in enabled_sources()
        ]
        store = RawStore(raw_dir)

        first, first_seconds = crawl_all(sources, store, "first")
        requests = sum(r.requests for r in first)
        documents = sum(r.documents_added + r.attachments_added for r in first)
        print(f"sources: {len(sources)}, extra filler articles per column: {args.extra_fillers}")
        print(
            f"first run:  {requests} requests, {sum(r.bytes for r in first):,} bytes, {documents} documents "
            f"landed in {first_seconds:.1f}s -> {requests / first_seconds:.1f} pages/s, "
            f"{documents / first_seconds:.1f} documents/s"
        )

        second, second_seconds = crawl_all(sources, store, "second")
        bodies = store.query(
            "select count(*) from fetch_log f where run_id = 'second' and outcome = 'ok'"
            " and exists (select 1 from documents d where d.url = f.url)"
        )[0][0]
        print(
            f"second run (nothing new): {sum(r.requests for r in second)} requests "
            f"({sum(r.list_pages for r in second)} list pages, {sum(r.not_modified for r in second)} "
            f"conditional article requests answered 304), {sum(r.bytes for r in second):,} bytes, "
            f"{bodies} article/attachment bodies downloaded again, {second_seconds:.1f}s"
        )

    with tempfile.TemporaryDirectory() as raw_dir:
        store = RawStore(raw_dir)
        configured = enabled_sources()
        crawl_all(configured, store, "daily-1")
        daily, seconds = crawl_all(configured, store, "daily-2")
        print(
            f"daily run as configured (title selection and rate limits on, same enlarged sites), nothing new: "
            f"{sum(r.requests for r in daily)} requests, {sum(r.bytes for r in daily):,} bytes, "
            f"{sum(r.documents_added + r.attachments_added for r in daily)} documents added, {seconds:.1f}s"
        )
    return 0 if bodies == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
