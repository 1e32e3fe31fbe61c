"""The one place records become rows of the raw tables, in the order of their columns (warehouse/landing/schema.py).

Only the writer (warehouse/landing/writer.py) calls these, after admission; a row is made when its record lands,
so ingested_at and the blob are those of that moment. Tests use them to build a raw layer as older code left it."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from warehouse.landing.records import DocumentRecord, FetchRecord, LocationRecord, ParsedDocument, QuarantineRecord

Row = list[object]
PutBlob = Callable[[bytes], str]  # keeps bytes as a content-addressed blob, returns their sha256
QUARANTINE_ERROR_CHARS = 2000


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def metadata_fingerprint(parsed: ParsedDocument, url: str | None) -> str:
    """The metadata a version is known by besides its bytes: a corrected sidecar is a new version."""
    fields = [
        url,
        parsed.title,
        parsed.publisher,
        parsed.published_at,
        parsed.written_at,
        parsed.index_no,
        parsed.doc_no,
    ]
    return sha256_hex(json.dumps([str(value or "") for value in fields], ensure_ascii=False).encode())[:16]


def fetch_row(record: FetchRecord, put_blob: PutBlob) -> Row:
    result = record.result
    digest = put_blob(result.body) if result.ok and result.body else None
    return [
        str(uuid.uuid4()),
        record.run_id,
        record.source_id,
        result.url,
        result.method,
        result.fetched_at,
        result.status,
        result.outcome,
        digest,
        len(result.body),
        result.content_type,
        result.etag,
        result.last_modified,
        result.elapsed_ms,
        result.error or None,
    ]


def document_row(record: DocumentRecord, put_blob: PutBlob) -> Row:
    parsed = record.parsed
    digest = put_blob(record.body)
    attachments = json.dumps([{"url": a.url, "name": a.name} for a in parsed.attachments], ensure_ascii=False)
    meta = metadata_fingerprint(parsed, record.url)
    return [
        sha256_hex(f"{record.document_key}\n{digest}\n{meta}".encode()),
        record.document_key,
        record.source_id,
        record.kind,
        parsed.format,
        record.url,
        record.file_name,
        record.parent_key,
        digest,
        sha256_hex(parsed.text.encode()),
        meta,
        record.encoding,
        parsed.title or None,
        parsed.publisher or None,
        record.source_region or None,
        parsed.published_at,
        parsed.written_at,
        parsed.index_no or None,
        parsed.doc_no or None,
        parsed.column_name or None,
        parsed.topic or None,
        parsed.content_source or None,
        attachments,
        record.validators.etag,
        record.validators.last_modified,
        parsed.text,
        len(parsed.text),
        record.run_id,
        utcnow(),
    ]


def quarantine_row(record: QuarantineRecord, put_blob: PutBlob) -> Row:
    digest = put_blob(record.body) if record.body else None
    return [
        str(uuid.uuid4()),
        record.run_id,
        record.source_id,
        record.item,
        record.stage,
        record.error_kind,
        record.error[:QUARANTINE_ERROR_CHARS],
        digest,
        utcnow(),
    ]


def location_row(record: LocationRecord) -> Row:
    return [str(uuid.uuid4()), record.run_id, record.source_id, record.document_key, record.url, utcnow()]
