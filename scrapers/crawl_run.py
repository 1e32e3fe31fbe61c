"""A crawl that got nothing is a failure: the ingest DAG's crawl task and `python -m scrapers crawl` both end here.

A source none of whose list pages answered (closed port, unknown host name, timeout, robots.txt unreachable, 404
on every column) used to finish green with nothing landed. Here such a crawl writes an alert
(warehouse/alerts.py) and raises SourceYieldedNothing with one line naming the source and the outcome; the
command line crawls every other source first and then exits non-zero.
"""

from __future__ import annotations

from collections.abc import Callable

from scrapers.fetch import HostRateLimiter
from scrapers.ingest import CrawlReport, SourceCrawl
from scrapers.registry import Source
from scrapers.shared_rate_limit import RedisHostRateLimiter
from warehouse.alerts import record_source_failure
from warehouse.landing.store import RawStore


class SourceYieldedNothing(RuntimeError):
    """No list page of the source answered; the message is one line naming the source and the outcome."""


def crawl_or_raise(
    source: Source,
    store: RawStore | None = None,
    run_id: str | None = None,
    rate_limiter: HostRateLimiter | RedisHostRateLimiter | None = None,
    progress: Callable[[str], None] | None = None,
    final_attempt: bool = True,
) -> CrawlReport:
    """The crawl's report, or SourceYieldedNothing with an alert; `final_attempt` False (a try Airflow will
    retry) records the alert as a retry, not delivered, so that a dead site alerts once, not once per try."""
    crawl = SourceCrawl(source, store or RawStore(), run_id, rate_limiter, progress=progress)
    report = crawl.run()
    if report.unreachable:
        failed = crawl.first_failure
        assert failed is not None  # a source is unreachable when a list page did not answer
        record_source_failure(
            source.id, report.run_id, failed.outcome, failed.url, report.unreachable, final=final_attempt
        )
        raise SourceYieldedNothing(report.unreachable)
    return report


def crawl_sources(
    sources: list[Source],
    store: RawStore,
    run_id: str,
    rate_limiter: HostRateLimiter | RedisHostRateLimiter | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[str]:
    """Every source crawled, one that yields nothing not stopping the others; one line for each that did."""
    failures = []
    for source in sources:
        try:
            crawl_or_raise(source, store, run_id, rate_limiter, progress)
        except SourceYieldedNothing as nothing:
            failures.append(str(nothing))
    return failures
