"""HTTP fetching with the politeness every source gets: retries with backoff (429/5xx, honouring
Retry-After), timeouts, a per-host rate limit, robots.txt, a size cap, conditional GET and
recognition of anti-bot challenge pages. Site adapters and parsers never see requests itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import requests
from protego import Protego
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from scrapers.challenge import looks_like_challenge
from scrapers.checked_connections import AddressRefused, CheckedAdapter
from scrapers.fetch_failures import NO_ANSWER, ROBOTS_UNAVAILABLE, no_answer
from scrapers.hosts import REFUSED, HostBoundary, scheme_refusal
from warehouse.landing.records import (
    BLOCKED,
    HTTP_ERROR,
    NOT_MODIFIED,
    OK,
    ROBOTS_DISALLOWED,
    TOO_LARGE,
    TRUNCATED,
    FetchResult,
    Validators,
)

if TYPE_CHECKING:  # it imports this module
    from scrapers.shared_rate_limit import RedisHostRateLimiter

USER_AGENT = (
    "minzheng-warehouse/0.1 (civil-affairs indicator research; polite crawler; +https://example.org/minzheng-warehouse)"
)


@dataclass(frozen=True)
class Politeness:
    """Per-source fetch settings (sources.yml `politeness:`)."""

    min_interval_seconds: float = 1.0
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    retries: int = 3
    backoff_factor: float = 0.5
    max_bytes: int = 10 * 1024 * 1024
    obey_robots: bool = True

    @classmethod
    def from_dict(cls, values: dict | None) -> Politeness:
        known = {key: value for key, value in (values or {}).items() if key in cls.__dataclass_fields__}
        return cls(**known)


RETRY_STATUSES = (429, 500, 502, 503, 504)
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5
MAX_RETRY_WAIT = 30.0
MAX_CRAWL_DELAY = 60.0  # a Crawl-delay above a minute counts as a minute: more would stall a crawl for hours


class HostRateLimiter:
    """Keeps at least `interval` seconds between two requests to one host, within this process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}

    def wait(self, host: str, interval: float) -> None:
        if interval <= 0:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + interval
        delay = slot - time.monotonic()
        if delay > 0:
            time.sleep(delay)


class Fetcher:
    """One requests Session per host, each with its own retry policy; use one Fetcher per crawl."""

    def __init__(
        self,
        politeness: Politeness | None = None,
        rate_limiter: HostRateLimiter | RedisHostRateLimiter | None = None,
        user_agent: str = USER_AGENT,
        observer: Callable[[FetchResult], None] | None = None,
        boundary: HostBoundary | None = None,
    ):
        self.politeness = politeness or Politeness()
        self.observer = observer  # sees every request's result, robots.txt included
        self.rate_limiter = rate_limiter or HostRateLimiter()
        self.user_agent = user_agent
        self.boundary = boundary  # the hosts and addresses a source may reach; None: any http(s) URL
        self._sessions: dict[str, requests.Session] = {}
        # scheme://host → its rules; None: no rules (robots.txt answered 4xx); a FetchResult: why none can be read
        self._robots: dict[str, Protego | FetchResult | None] = {}
        self._crawl_delays: dict[str, float] = {}  # host → the Crawl-delay its robots.txt asks of us
        self.requests_sent = 0
        self.bytes_received = 0

    # --- sessions and robots -----------------------------------------------------------------
    def _session(self, host: str) -> requests.Session:
        if host not in self._sessions:
            p = self.politeness
            # connection failures are retried here; answers worth another try (429, 5xx) in fetch(), so that
            # every attempt is a row of fetch_log
            retry = Retry(
                total=p.retries,
                connect=p.retries,
                read=1,
                status=0,
                status_forcelist=(),
                backoff_factor=p.backoff_factor,
                backoff_max=30,
                allowed_methods=frozenset({"GET", "HEAD", "POST"}),
                raise_on_status=False,
            )
            session = requests.Session()
            adapter = (
                CheckedAdapter(self.boundary.address_refusal, max_retries=retry, pool_maxsize=4)
                if self.boundary
                else HTTPAdapter(max_retries=retry, pool_maxsize=4)
            )
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers.update({"User-Agent": self.user_agent, "Accept-Language": "zh-CN,zh;q=0.9"})
            self._sessions[host] = session
        return self._sessions[host]

    def allowed_by_robots(self, url: str) -> bool:
        return self._robots_verdict(url) is None

    def _robots_verdict(self, url: str) -> FetchResult | None:
        """None when robots.txt lets us fetch `url`; else the result to record instead of fetching it."""
        if not self.politeness.obey_robots:
            return None
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._robots:
            rules = self._load_robots(site)
            if isinstance(rules, FetchResult) and rules.outcome in NO_ANSWER:
                # not kept: the next page asks again, so that one lost connection does not cost the whole run
                return self._unanswered(url, rules)
            self._robots[site] = rules
        rules = self._robots[site]
        if isinstance(rules, FetchResult):
            return self._unanswered(url, rules)
        if rules is None or rules.can_fetch(url, self.user_agent):
            return None
        return FetchResult(url, "GET", ROBOTS_DISALLOWED, error="robots.txt disallows this path")

    @staticmethod
    def _unanswered(url: str, robots: FetchResult) -> FetchResult:
        """The page's result when its site's robots.txt could not be read: the robots failure, no request sent."""
        why = f"not requested, {robots.url} could not be read: {robots.error}"
        return FetchResult(url, "GET", robots.outcome, status=robots.status, error=why)

    def _load_robots(self, site: str) -> Protego | FetchResult | None:
        """RFC 9309 (Protego reads wildcards, `$` and Crawl-delay): the rules of a 2xx answer; None (no rules) for
        4xx; for 5xx or 429 a ROBOTS_UNAVAILABLE result (every path disallowed for this run: try later); for no
        answer the failure itself (refused, DNS, timeout). A Crawl-delay longer than the source's interval spaces
        our requests."""
        robots_url = f"{site}/robots.txt"
        result = self._observed(self._follow(robots_url, "GET", None, None, check_robots=False))
        if result.ok:
            parser = Protego.parse(result.body.decode("utf-8", errors="replace"))
            delay = parser.crawl_delay(self.user_agent)
            if delay:
                self._crawl_delays[urlsplit(site).netloc] = min(float(delay), MAX_CRAWL_DELAY)
            return parser
        if result.status is not None and 400 <= result.status < 500 and result.status != 429:
            return None
        if result.outcome == REFUSED or result.outcome in NO_ANSWER:  # the host's address is off limits, or no answer
            return FetchResult(robots_url, "GET", result.outcome, status=result.status, error=result.error)
        why = f"HTTP {result.status}" if result.status else f"{result.outcome}: {result.error}"
        return FetchResult(
            robots_url,
            "GET",
            ROBOTS_UNAVAILABLE,
            status=result.status,
            error=f"{robots_url} answered {why}; RFC 9309: every path is disallowed until it answers, try later",
        )

    # --- fetching ------------------------------------------------------------------------------
    def refusal(self, url: str) -> str | None:
        """Why this fetcher may not fetch `url` (scheme, or a host the source does not name), or None."""
        return self.boundary.refusal(url) if self.boundary else scheme_refusal(url)

    def fetch(
        self, url: str, method: str = "GET", data: dict | None = None, validators: Validators | None = None
    ) -> FetchResult:
        """One URL, retried on 429 and 5xx (Retry-After honoured, else exponential backoff), redirects followed
        within the source's hosts; the observer sees every attempt, and every refusal made without a request."""
        if refused := self.refusal(url):
            return self._observed(FetchResult(url, method, REFUSED, error=refused))
        if verdict := self._robots_verdict(url):
            verdict.method = method
            return self._observed(verdict)
        for attempt in range(self.politeness.retries + 1):
            result = self._observed(self._follow(url, method, data, validators))
            if result.status not in RETRY_STATUSES or attempt == self.politeness.retries:
                return result
            time.sleep(self._retry_delay(result, attempt))
        return result

    def _observed(self, result: FetchResult) -> FetchResult:
        if self.observer:
            self.observer(result)
        return result

    def _retry_delay(self, result: FetchResult, attempt: int) -> float:
        if result.retry_after and result.retry_after.strip().isdigit():
            return min(float(result.retry_after.strip()), MAX_RETRY_WAIT)
        return min(self.politeness.backoff_factor * (2**attempt), MAX_RETRY_WAIT)

    def _follow(
        self, url: str, method: str, data: dict | None, validators: Validators | None, check_robots: bool = True
    ) -> FetchResult:
        """One attempt at `url`: its redirects followed here, not by requests, so that every hop is checked
        against the source's hosts and robots.txt, and at most MAX_REDIRECTS of them. The result carries the
        URL asked for (the document's key), whatever URL answered."""
        started, current = time.monotonic(), url
        for hop in range(MAX_REDIRECTS + 1):
            result, location = self._request(current, method, data, validators)
            if hop == 0:
                sent_at = result.fetched_at
            if location is None:
                break
            target = urljoin(current, location)
            if hop == MAX_REDIRECTS:
                result.outcome, result.error = HTTP_ERROR, f"more than {MAX_REDIRECTS} redirects (last to {target})"
                break
            refused = self.refusal(target)
            verdict = None if refused or not check_robots else self._robots_verdict(target)
            if refused or verdict:
                result.outcome = REFUSED if refused or verdict is None else verdict.outcome
                why = refused or (verdict.error if verdict is not None else None)
                result.error = f"redirect (HTTP {result.status}) from {current} not followed: {why}"
                break
            if result.status in (301, 302, 303) and method == "POST":  # as browsers do: the next hop is a GET
                method, data = "GET", None
            current = target
        result.url = url
        result.fetched_at = sent_at
        result.elapsed_ms = int((time.monotonic() - started) * 1000)
        return result

    def _request(
        self, url: str, method: str, data: dict | None, validators: Validators | None
    ) -> tuple[FetchResult, str | None]:
        """One HTTP exchange; the redirect's Location when the answer is one."""
        p = self.politeness
        host = urlsplit(url).netloc
        headers = {}
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        self.rate_limiter.wait(host, max(p.min_interval_seconds, self._crawl_delays.get(host, 0.0)))
        sent_at = datetime.now(UTC).replace(tzinfo=None)
        self.requests_sent += 1
        location = None
        try:
            with self._session(host).request(
                method,
                url,
                data=data,
                headers=headers,
                stream=True,
                allow_redirects=False,
                timeout=(p.connect_timeout, p.read_timeout),
            ) as response:
                location = response.headers.get("Location") if response.status_code in REDIRECT_STATUSES else None
                if location is None:
                    result = self._read(url, method, response)
                else:  # the redirect's own body is never read
                    result = FetchResult(url, method, OK, status=response.status_code)
        except AddressRefused as exc:
            result = FetchResult(url, method, REFUSED, error=str(exc))
        except requests.exceptions.ChunkedEncodingError as exc:
            result = FetchResult(url, method, TRUNCATED, error=f"body ended early: {exc}")
        except requests.exceptions.RequestException as exc:  # no answer: refused, DNS, timeout, reset
            outcome, message = no_answer(exc, url, p.connect_timeout, p.read_timeout)
            result = FetchResult(url, method, outcome, error=message)
        result.fetched_at = sent_at  # when the request went out: what per-host politeness spaces
        self.bytes_received += len(result.body)
        return result, location

    def _read(self, url: str, method: str, response: requests.Response) -> FetchResult:
        result = FetchResult(
            url,
            method,
            OK,
            status=response.status_code,
            content_type=response.headers.get("Content-Type", ""),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            retry_after=response.headers.get("Retry-After"),
        )
        if response.status_code == 304:
            result.outcome = NOT_MODIFIED
            return result
        declared = int(response.headers.get("Content-Length") or 0)
        if declared > self.politeness.max_bytes:
            result.outcome, result.error = TOO_LARGE, f"Content-Length {declared} exceeds {self.politeness.max_bytes}"
            return result
        chunks, size = [], 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > self.politeness.max_bytes:
                result.outcome = TOO_LARGE
                result.error = f"body exceeds {self.politeness.max_bytes} bytes"
                return result
            chunks.append(chunk)
        result.body = b"".join(chunks)
        if looks_like_challenge(response.status_code, result.body):
            result.outcome, result.error = BLOCKED, f"anti-bot challenge page (HTTP {response.status_code})"
        elif response.status_code >= 400:
            result.outcome, result.error = HTTP_ERROR, f"HTTP {response.status_code}"
        return result

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()
