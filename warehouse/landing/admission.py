"""What the raw layer refuses to hold: the raw layer's own promises, which the quality gate checks again on current
versions. The writer (warehouse/landing/writer.py) asks `refusal` of every document record before it becomes a
row, so no caller can land a document that skipped the check."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from warehouse.landing.records import DocumentRecord, ParsedDocument, QuarantineRecord

# What a document's text may have been decoded from: the encodings of Chinese pages and files (and plain
# ASCII/Western text in UTF-8 or cp1252). Anything else (cp1250, koi8-r …) is a mis-detection: quarantined.
LANDABLE_ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16", "big5", "cp1252", "ascii")
# the first character that is neither white space nor invisible: a search stops there, where removing the
# invisible characters and stripping would read the whole text of every document
_VISIBLE = re.compile("[^\\s\u200b\u200c\u200d\u2060\ufeff\u00ad\u3000]")
FUTURE_TOLERANCE_DAYS = 1  # a site a time zone ahead may date a page tomorrow
# No civil-affairs bureau of the People's Republic published before it was founded: an earlier date is a
# placeholder (1900-01-01 of a CMS) or a typo, and would put the document's facts in the wrong era.
EARLIEST_PUBLICATION = date(1949, 10, 1)
LANDING_STAGE = "landing"  # the quarantine stage of a refused document


def landing_problem(parsed: ParsedDocument, encoding: str | None, today: date | None = None) -> tuple[str, str] | None:
    """Why a parsed document must not land in the raw layer, as (error kind, message); None when it may."""
    if encoding and encoding not in LANDABLE_ENCODINGS:
        return "bad_encoding", (
            f"the text decodes only as {encoding}, not an encoding of Chinese documents "
            f"({', '.join(LANDABLE_ENCODINGS)}); save it as UTF-8"
        )
    if not _VISIBLE.search(parsed.text):
        return "no_text", "the document has no visible text"
    if parsed.published_at:
        published = date.fromisoformat(str(parsed.published_at)[:10])
        if published > (today or datetime.now(UTC).date()) + timedelta(days=FUTURE_TOLERANCE_DAYS):
            return "future_date", f"published_at {published} is in the future; correct the sidecar or the page"
        if published < EARLIEST_PUBLICATION:
            return "implausible_date", (
                f"published_at {published} is before {EARLIEST_PUBLICATION}, when no civil-affairs bureau published;"
                " correct the sidecar or the page"
            )
    return None


def refusal(record: DocumentRecord, today: date | None = None) -> QuarantineRecord | None:
    """The quarantine record a document record becomes when it may not land (its bytes kept for a look), or None."""
    problem = landing_problem(record.parsed, record.encoding, today)
    if problem is None:
        return None
    kind, reason = problem
    return QuarantineRecord(
        run_id=record.run_id,
        source_id=record.source_id,
        item=record.item or record.document_key,
        stage=LANDING_STAGE,
        error_kind=kind,
        error=f"{record.context}: {reason}" if record.context else reason,
        body=record.body,
    )
