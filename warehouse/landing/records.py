"""The records that cross from scraping into the raw layer: what one fetch attempt brought back, and what a
parser made of a page or file. The raw store owns them; scrapers produce them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

# Outcomes of one fetch attempt, as recorded in the raw layer's fetch_log.
OK, NOT_MODIFIED = "ok", "not_modified"
HTTP_ERROR, BLOCKED, ROBOTS_DISALLOWED = "http_error", "blocked", "robots_disallowed"
TIMEOUT, CONNECTION_ERROR, TRUNCATED, TOO_LARGE = "timeout", "connection_error", "truncated", "too_large"
FETCH_OUTCOMES = (
    OK,
    NOT_MODIFIED,
    HTTP_ERROR,
    BLOCKED,
    ROBOTS_DISALLOWED,
    TIMEOUT,
    CONNECTION_ERROR,
    TRUNCATED,
    TOO_LARGE,
)


@dataclass(frozen=True)
class Validators:
    """What a conditional GET sends back to the server."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass
class FetchResult:
    url: str
    method: str
    outcome: str
    status: int | None = None
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    error: str = ""
    retry_after: str | None = None  # the server's Retry-After, for the next attempt
    elapsed_ms: int = 0
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))

    @property
    def ok(self) -> bool:
        return self.outcome == OK

    @property
    def sha256(self) -> str | None:
        return hashlib.sha256(self.body).hexdigest() if self.outcome == OK else None


@dataclass(frozen=True)
class AttachmentLink:
    url: str
    name: str


@dataclass
class ParsedDocument:
    format: str  # html | docshare | pdf | docx | txt
    text: str
    title: str = ""
    publisher: str = ""
    published_at: str | None = None  # YYYY-MM-DD
    written_at: str | None = None
    index_no: str = ""
    doc_no: str = ""
    column_name: str = ""
    topic: str = ""
    content_source: str = ""
    attachments: list[AttachmentLink] = field(default_factory=list)
