"""A document that fails admission cannot become a documents row through any public entry of the raw store: the
writer turns it into a quarantine row with the reason, and nothing else writes rows."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date

import duckdb
import pytest

from warehouse.landing.admission import landing_problem
from warehouse.landing.records import (
    DocumentRecord,
    FetchRecord,
    FetchResult,
    LocationRecord,
    ParsedDocument,
    QuarantineRecord,
)
from warehouse.landing.rows import document_row
from warehouse.landing.store import RawStore
from warehouse.landing.writer import RawWriter

TEXT = "2024年全市低保标准提高到每人每月1100元。"
REFUSED = {
    "future_date": ParsedDocument(format="txt", text=TEXT, published_at="2999-01-01"),
    "implausible_date": ParsedDocument(format="txt", text=TEXT, published_at="1900-01-01"),
    "no_text": ParsedDocument(format="txt", text="\u3000\u200b \n"),
    "bad_encoding": ParsedDocument(format="txt", text=TEXT),
}


def refused_record(kind: str) -> DocumentRecord:
    return DocumentRecord(
        run_id="r",
        source_id="s",
        document_key=f"s:/{kind}.html",
        kind="article",
        body=TEXT.encode(),
        parsed=REFUSED[kind],
        encoding="cp1250" if kind == "bad_encoding" else "utf-8",
        url=f"http://127.0.0.1:1/{kind}.html",
        context=f"page {kind}",
    )


def _query_inserts(store: RawStore, writer: RawWriter, record: DocumentRecord) -> None:
    row = document_row(record, store.put_blob)
    values = ", ".join("?" * len(row))
    with pytest.raises(duckdb.Error, match="read-only"):
        store.query(f"insert into documents values ({values})", row)
    with pytest.raises(duckdb.Error, match="read-only"):  # the file attached again is read-only too
        store.query(f"attach '{store.db_path}' as again; insert into again.documents values ({values})", row)


def _land(store: RawStore, writer: RawWriter, record: DocumentRecord) -> None:
    quarantined = writer.land(record)
    writer.flush()
    assert quarantined is not None
    kind, reason = landing_problem(record.parsed, record.encoding) or ("", "")
    assert (quarantined.stage, quarantined.error_kind, quarantined.error) == (
        "landing",
        kind,
        f"{record.context}: {reason}",
    )
    assert store.query("select item, stage, error_kind, error from quarantine") == [
        (record.document_key, "landing", kind, f"{record.context}: {reason}")
    ]


def _land_other_records(store: RawStore, writer: RawWriter, record: DocumentRecord) -> None:
    """The records that are not documents land as what they are, never as a document."""
    result = FetchResult(url=record.url or "", method="GET", outcome="ok", status=200, body=record.body)
    writer.land(FetchRecord(record.run_id, record.source_id, result))
    writer.land(LocationRecord(record.run_id, record.source_id, record.document_key, record.url or ""))
    writer.land(QuarantineRecord(record.run_id, record.source_id, record.document_key, "fetch", "http_error", "500"))
    writer.flush()


def _with_lock(store: RawStore, writer: RawWriter, record: DocumentRecord) -> None:
    with store.locked():  # the lock only: no connection comes with it
        pass


ATTEMPTS: dict[str, Callable[[RawStore, RawWriter, DocumentRecord], None]] = {
    "RawStore.query": _query_inserts,
    "RawStore.locked": _with_lock,
    "RawStore.put_blob": lambda store, writer, record: store.put_blob(record.body) and None,
    "RawStore.get_blob": lambda store, writer, record: store.get_blob(store.put_blob(record.body)) and None,
    "RawStore.blob_path": lambda store, writer, record: store.blob_path(store.put_blob(record.body)) and None,
    "RawStore.known_versions": lambda store, writer, record: store.known_versions(record.source_id) and None,
    "RawWriter.land": _land,
    "RawWriter.land (fetch, location, quarantine)": _land_other_records,
    "RawWriter.flush": lambda store, writer, record: writer.flush(),
}


def _public(cls: type) -> set[str]:
    return {f"{cls.__name__}.{name}" for name, _ in inspect.getmembers(cls, callable) if not name.startswith("_")}


def test_every_public_entry_of_the_raw_store_is_tried():
    """A new public method fails this test until it is tried below."""
    tried = {name.split(" ")[0] for name in ATTEMPTS}
    assert _public(RawStore) | _public(RawWriter) == tried


@pytest.mark.parametrize("kind", sorted(REFUSED))
@pytest.mark.parametrize("entry", sorted(ATTEMPTS))
def test_a_record_failing_admission_never_becomes_a_document_row(tmp_path, entry, kind):
    record = refused_record(kind)
    assert landing_problem(record.parsed, record.encoding, date.today()) is not None
    store = RawStore(tmp_path / "raw")
    with RawWriter(store) as writer:
        ATTEMPTS[entry](store, writer, record)
    assert store.query("select count(*) from documents") == [(0,)]
    assert store.query("select count(*) from current_versions") == [(0,)]


def test_the_same_record_admitted_lands_as_a_document(tmp_path):
    """The check refuses what is wrong, not everything: the record with its fault mended lands."""
    record = refused_record("future_date")
    mended = DocumentRecord(**{**record.__dict__, "parsed": ParsedDocument(format="txt", text=TEXT)})
    store = RawStore(tmp_path / "raw")
    added: list[bool] = []
    with RawWriter(store) as writer:
        assert writer.land(mended, added.append) is None
    assert added == [True]
    assert store.query("select document_key, text from documents_current") == [(record.document_key, TEXT)]
    assert store.query("select count(*) from quarantine") == [(0,)]
