"""Crawl one source into the raw layer: list pages → selected articles → attachments.

Every fetch is logged; every failure becomes a quarantine row and the crawl goes on with the
next item. Articles already stored are asked for with a conditional GET, so a run with nothing
new downloads no article again.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from scrapers.fetch import Fetcher, HostRateLimiter
from scrapers.hosts import HostBoundary
from scrapers.pager_guard import PagerGuard, PagerRepeats
from scrapers.parse import ParseError, parse_content
from scrapers.registry import Source
from scrapers.shared_rate_limit import RateLimiterUnavailable, RedisHostRateLimiter, default_rate_limiter
from scrapers.sites import ListEntry, ListPageFailed, list_entries
from warehouse.landing import records as fetch_outcomes
from warehouse.landing.identity import document_identity
from warehouse.landing.records import (
    DocumentRecord,
    FetchRecord,
    FetchResult,
    LocationRecord,
    QuarantineRecord,
    Validators,
)
from warehouse.landing.rows import sha256_hex
from warehouse.landing.store import KnownVersion, RawStore
from warehouse.landing.writer import OnWritten, RawWriter

log = logging.getLogger(__name__)
PROGRESS_EVERY = 10


@dataclass
class CrawlReport:
    source_id: str
    run_id: str
    list_pages: int = 0
    list_pages_read: int = 0  # list pages that answered (for a `pages` source: its pages)
    unreachable: str = ""  # why no list page answered, when none did: the crawl got nothing and must say so
    listed: int = 0
    skipped_by_title: int = 0
    repeated: int = 0  # entries listed again (a repeating pager, an article in two columns): not fetched again
    fetched: int = 0
    not_modified: int = 0
    unchanged: int = 0
    documents_added: int = 0
    attachments_added: int = 0
    moved: int = 0  # documents and attachments found at a new address (the site moved), their text unchanged
    quarantined: int = 0
    requests: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        return (
            f"[{self.source_id}] {self.requests} requests, {self.bytes:,} bytes: listed {self.listed} "
            f"({self.skipped_by_title} skipped by title, {self.repeated} listed again), fetched {self.fetched}, "
            f"not modified {self.not_modified}, unchanged {self.unchanged}, new documents {self.documents_added}, "
            f"new attachments {self.attachments_added}, moved {self.moved}, quarantined {self.quarantined}"
        )


class SourceCrawl:
    """One crawl of one source; `run()` returns its report."""

    def __init__(
        self,
        source: Source,
        store: RawStore,
        run_id: str | None = None,
        rate_limiter: HostRateLimiter | RedisHostRateLimiter | None = None,
        progress: Callable[[str], None] | None = None,
    ):
        self.source = source
        self.store = store
        self.run_id = run_id or uuid.uuid4().hex
        self.fetcher = Fetcher(
            source.politeness,
            rate_limiter or default_rate_limiter(),
            observer=self._log_fetch,
            boundary=HostBoundary.of(source.base_url, source.allowed_hosts),
        )
        self.report = CrawlReport(source.id, self.run_id)
        self.progress = progress or log.info
        self.known: dict[str, KnownVersion] = {}
        self.done: set[str] = set()  # article and attachment URLs this run has fetched (or tried to)
        self.pager: PagerGuard | None = None
        self.first_failure: FetchResult | None = None  # the first list page that did not answer
        self.writer = RawWriter(store)

    # --- helpers ---------------------------------------------------------------------------------
    def _log_fetch(self, result: FetchResult) -> None:
        self.writer.land(FetchRecord(self.run_id, self.source.id, result))

    def _fetch(
        self, url: str, method: str = "GET", data: dict | None = None, validators: Validators | None = None
    ) -> FetchResult:
        return self.fetcher.fetch(url, method, data, validators)

    def _fetch_list_page(self, url: str, method: str = "GET", data: dict | None = None) -> FetchResult:
        if self.pager is not None:
            self.pager.before_page(method, url, data)  # PagerRepeats ends the column
        self.report.list_pages += 1
        return self._noted(self._fetch(url, method, data))

    def _noted(self, result: FetchResult) -> FetchResult:
        """Counts a list page (or a `pages` source's page) that answered; keeps the first that did not."""
        if result.ok or result.outcome == fetch_outcomes.NOT_MODIFIED:
            self.report.list_pages_read += 1
        elif self.first_failure is None:
            self.first_failure = result
        return result

    def _quarantine(self, item: str, stage: str, kind: str, error: str, body: bytes | None = None) -> None:
        record = QuarantineRecord(self.run_id, self.source.id, item, stage, kind, error, body)
        self._noted_quarantine(self.writer.land(record))

    def _noted_quarantine(self, quarantined: QuarantineRecord) -> None:
        self.report.quarantined += 1
        self.report.problems.append(f"{quarantined.stage}/{quarantined.error_kind}: {quarantined.item}")
        log.warning(
            "[%s] quarantined %s at %s (%s): %s",
            self.source.id,
            quarantined.item,
            quarantined.stage,
            quarantined.error_kind,
            quarantined.error,
        )

    def _land(self, record: DocumentRecord, on_written: OnWritten) -> bool:
        """The document's version lands, or (refused admission) its quarantine row: False then."""
        quarantined = self.writer.land(record, on_written)
        if quarantined is not None:
            self._noted_quarantine(quarantined)
        return quarantined is None

    def _identity(self, url: str) -> str:
        return document_identity(self.source.id, url)

    def _known(self, url: str) -> tuple[KnownVersion | None, bool]:
        """The stored document at `url` (by identity, whatever host served it), and whether it was last found at
        another address: the site moved, so the old address's validators mean nothing to the new one."""
        try:
            known = self.known.get(self._identity(url))
        except ValueError:  # no web address: the fetch layer refuses it and says why
            return None, False
        return known, known is not None and known.url != url

    def _newest_address(self, url: str) -> str:
        """Where a stored attachment was last found: its article's version lists the address it had then, and the
        site may have moved since."""
        known, _ = self._known(url)
        return known.url if known is not None and known.url else url

    def _moved(self, url: str) -> None:
        """The stored document was found at `url`, its text unchanged: its new address, no new version."""
        self.report.moved += 1
        self.writer.land(LocationRecord(self.run_id, self.source.id, self._identity(url), url))

    def _unchanged_text(self, known: KnownVersion | None, moved: bool, parsed) -> bool:
        """A moved site may serve other bytes for the same text (its own address in the page): not a version."""
        return moved and known is not None and known.text_sha256 == sha256_hex(parsed.text.encode())

    def _count(self, counter: str):
        def count(added: bool) -> None:
            setattr(self.report, counter, getattr(self.report, counter) + int(added))

        return count

    def _tick(self) -> None:
        done = self.report.fetched + self.report.not_modified
        if done and done % PROGRESS_EVERY == 0:
            self.progress(
                f"[{self.source.id}] {self.report.list_pages} list pages, {done} articles fetched, "
                f"{self.report.documents_added} documents stored so far (the raw layer is written in batches)"
            )

    # --- the crawl -------------------------------------------------------------------------------
    def run(self) -> CrawlReport:
        self.known = self.store.known_versions(self.source.id)
        self.progress(f"[{self.source.id}] crawling {self.source.base_url} ({len(self.known)} documents known)")
        try:
            for column, entries in list_entries(self.source, self._fetch_list_page):
                self._crawl_column(column.name if column else "", entries)
        finally:
            self.writer.flush()
            self.report.requests = self.fetcher.requests_sent
            self.report.bytes = self.fetcher.bytes_received
            self.fetcher.close()
        self.progress(self.report.summary())
        if self.report.list_pages_read == 0 and self.first_failure is not None:
            failed = self.first_failure
            self.report.unreachable = (
                f"source {self.source.id} yielded no list page: {failed.outcome} at {failed.url}"
                f" ({failed.error or f'HTTP {failed.status}'})"
            )
        return self.report

    def _crawl_column(self, column_name: str, entries) -> None:
        self.pager = PagerGuard(column_name)
        try:
            for entry in entries:
                if not self.pager.listed(entry.url) or entry.url in self.done:
                    self.report.repeated += 1
                    continue
                self.report.listed += 1
                if entry.title and not self.source.wants(entry.title):
                    self.report.skipped_by_title += 1
                    continue
                try:
                    self._crawl_article(entry)
                except RateLimiterUnavailable:
                    raise  # no page can be fetched politely: the crawl stops, saying why
                except Exception as exc:  # one broken page never stops the others
                    self._quarantine(entry.url, "ingest", type(exc).__name__, repr(exc))
                self._tick()
        except PagerRepeats as stop:
            log.info("[%s] %s: the column ends here", self.source.id, stop)
        except ListPageFailed as exc:
            result = exc.result
            self._quarantine(
                result.url if result else column_name,
                "list",
                result.outcome if result else "list_error",
                str(exc),
                result.body if result else None,
            )

    def _fetch_article(self, url: str, known: KnownVersion | None) -> FetchResult:
        result = self._fetch(url, validators=known.validators if known else None)
        # a `pages` source's pages are its list: none of them answering is a dead source
        return self._noted(result) if self.source.adapter == "pages" else result

    def _crawl_article(self, entry: ListEntry) -> None:
        self.done.add(entry.url)
        known, moved = self._known(entry.url)
        result = self._fetch_article(entry.url, None if moved else known)
        if result.outcome == fetch_outcomes.NOT_MODIFIED and known and not moved:
            self.report.not_modified += 1
            for attachment in known.attachments:
                self._crawl_attachment(self._newest_address(attachment["url"]), attachment["name"], entry.url)
            return
        if not result.ok:
            self._quarantine(entry.url, "fetch", result.outcome, result.error or f"HTTP {result.status}")
            return
        self.report.fetched += 1
        if known and known.sha256 == result.sha256 and not moved:
            self.report.unchanged += 1
            return
        try:
            parsed, encoding = parse_content(result.body, result.content_type, url=entry.url)
        except ParseError as exc:
            self._quarantine(entry.url, "parse", exc.kind, str(exc), result.body)
            return
        if known and (known.sha256 == result.sha256 or self._unchanged_text(known, moved, parsed)):
            # moved, its text unchanged: the new address is noted and its attachments are followed there
            self.report.unchanged += 1
            self._moved(entry.url)
        elif not self._land_article(entry, result, parsed, encoding):
            return
        for link in parsed.attachments:
            self._crawl_attachment(link.url, link.name, entry.url, parsed)

    def _land_article(self, entry: ListEntry, result: FetchResult, parsed, encoding: str | None) -> bool:
        """The article's new version, its metadata completed from the list; False when it may not land."""
        if not parsed.title:
            parsed.title = entry.title
        if not parsed.publisher:
            parsed.publisher = self.source.publisher
        if not parsed.published_at:
            parsed.published_at = entry.date
        if not parsed.column_name:
            parsed.column_name = entry.column
        record = DocumentRecord(
            run_id=self.run_id,
            source_id=self.source.id,
            document_key=self._identity(entry.url),
            url=entry.url,
            kind="docshare" if parsed.format == "docshare" else "article",
            body=result.body,
            parsed=parsed,
            encoding=encoding,
            source_region=self.source.region,
            validators=Validators(result.etag, result.last_modified),
            item=entry.url,
        )
        return self._land(record, self._count("documents_added"))

    def _crawl_attachment(self, url: str, name: str, parent_url: str, parent=None) -> None:
        if url in self.done:
            return
        self.done.add(url)
        known, moved = self._known(url)
        result = self._fetch(url, validators=known.validators if known and not moved else None)
        if result.outcome == fetch_outcomes.NOT_MODIFIED and known and not moved:
            return
        if not result.ok:
            self._quarantine(
                url, "fetch", result.outcome, f"attachment {name!r} of {parent_url}: {result.error or result.status}"
            )
            return
        if known and known.sha256 == result.sha256:
            if moved:
                self._moved(url)
            return
        try:
            parsed, encoding = parse_content(result.body, result.content_type, name=name, url=url)
        except ParseError as exc:
            self._quarantine(url, "parse", exc.kind, f"attachment {name!r} of {parent_url}: {exc}", result.body)
            return
        if self._unchanged_text(known, moved, parsed):
            self._moved(url)
            return
        # The link text names an attachment better than PDF/DOCX title fields ("untitled", "Microsoft Word - …").
        parsed.title = name.rsplit(".", 1)[0] if name else parsed.title
        if parent is not None:
            parsed.publisher = parsed.publisher or parent.publisher
            parsed.published_at = parsed.published_at or parent.published_at
            parsed.written_at = parsed.written_at or parent.written_at
            parsed.index_no = parsed.index_no or parent.index_no
            parsed.column_name = parsed.column_name or parent.column_name
        record = DocumentRecord(
            run_id=self.run_id,
            source_id=self.source.id,
            document_key=self._identity(url),
            url=url,
            kind="attachment",
            parent_key=self._identity(parent_url),
            body=result.body,
            parsed=parsed,
            encoding=encoding,
            source_region=self.source.region,
            validators=Validators(result.etag, result.last_modified),
            item=url,
            context=f"attachment {name!r} of {parent_url}",
        )
        self._land(record, self._count("attachments_added"))


def crawl_source(
    source: Source,
    store: RawStore | None = None,
    run_id: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> CrawlReport:
    return SourceCrawl(source, store or RawStore(), run_id, progress=progress).run()
