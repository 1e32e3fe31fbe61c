"""The records that cross from scraping into the raw layer: what one fetch attempt brought back, what a parser
made of a page or file, and the named records a caller hands the raw store's writer (fetch, document,
quarantine, location), which the writer alone turns into rows. The raw store owns them; scrapers produce them."""

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


# --- what a caller hands the raw store's writer (warehouse/landing/writer.py), one record per row it asks for ---


@dataclass(frozen=True)
class FetchRecord:
    """One fetch attempt, for fetch_log (its body, if it came back whole, is kept as a blob)."""

    run_id: str
    source_id: str
    result: FetchResult


@dataclass(frozen=True)
class DocumentRecord:
    """A version of a document that asks to land. The writer checks it for admission first
    (warehouse/landing/admission.py): refused, it becomes a QuarantineRecord naming `item`, its reason prefixed
    with `context`, and never a documents row."""

    run_id: str
    source_id: str
    document_key: str
    kind: str  # article | attachment | docshare | dropped | page
    body: bytes
    parsed: ParsedDocument
    encoding: str | None = None
    url: str | None = None
    file_name: str | None = None
    parent_key: str | None = None
    source_region: str = ""
    validators: Validators = field(default_factory=Validators)
    # what a refusal's quarantine row names (the address fetched, a dropped file's key): document_key if empty
    item: str = ""
    # who the document is, ahead of a refusal's reason ("attachment 'a.pdf' of <page>", a file's name)
    context: str = ""


@dataclass(frozen=True)
class QuarantineRecord:
    """A failure at some stage of landing one item, for quarantine (its bytes, if any, kept as a blob)."""

    run_id: str
    source_id: str
    item: str
    stage: str
    error_kind: str
    error: str
    body: bytes | None = None


@dataclass(frozen=True)
class LocationRecord:
    """A stored document found at a new address with its text unchanged (the site moved): no new version."""

    run_id: str
    source_id: str
    document_key: str
    url: str


LandingRecord = FetchRecord | DocumentRecord | QuarantineRecord | LocationRecord
