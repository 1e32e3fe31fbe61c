"""The one door into the raw layer: `RawWriter.land(record)`.

A document record is checked for admission here (warehouse/landing/admission.py) and, refused, lands as the
quarantine record it became, never as a documents row: no caller can skip the check, because there is no other
way to write. Records become rows in one place (warehouse/landing/rows.py) when they land, and rows are written
in batches: opening DuckDB has a fixed cost, so one transaction per row would dominate a crawl. Callers must
flush() at the end (use `with`)."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import overload

from warehouse.landing.admission import refusal
from warehouse.landing.append import Batch, append
from warehouse.landing.records import DocumentRecord, FetchRecord, LandingRecord, LocationRecord, QuarantineRecord
from warehouse.landing.rows import document_row, fetch_row, location_row, quarantine_row
from warehouse.landing.store import RawStore

OnWritten = Callable[[bool], object]  # told, once the batch is written, whether the document version was new


class RawWriter:
    def __init__(self, store: RawStore, batch_size: int = 100):
        self.store = store
        self.batch_size = batch_size
        self._batch = Batch()
        self._on_written: list[OnWritten | None] = []  # one per document row of the batch

    def __enter__(self) -> RawWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.flush()

    @overload
    def land(self, record: DocumentRecord, on_written: OnWritten | None = None) -> QuarantineRecord | None: ...

    @overload
    def land(self, record: QuarantineRecord) -> QuarantineRecord: ...

    @overload
    def land(self, record: FetchRecord | LocationRecord) -> None: ...

    def land(self, record: LandingRecord, on_written: OnWritten | None = None) -> QuarantineRecord | None:
        """Queue the record's row; the quarantine record written, if one was: the record itself, or what a document
        refused admission became. `on_written(added)` hears, for an admitted document, whether it was a new version."""
        quarantined: QuarantineRecord | None = None
        put_blob = self.store.put_blob
        if isinstance(record, DocumentRecord):
            quarantined = refusal(record)
            if quarantined is None:
                self._batch.documents.append(document_row(record, put_blob))
                self._on_written.append(on_written)
        elif isinstance(record, QuarantineRecord):
            quarantined = record
        elif isinstance(record, FetchRecord):
            self._batch.fetches.append(fetch_row(record, put_blob))
        else:
            self._batch.locations.append(location_row(record))
        if quarantined is not None:
            self._batch.quarantine.append(quarantine_row(quarantined, put_blob))
        if len(self._batch) >= self.batch_size:
            self.flush()
        return quarantined

    def flush(self) -> None:
        """Write what was landed since the last flush, in one transaction."""
        batch, on_written = self._batch, self._on_written
        self._batch, self._on_written = Batch(), []
        if not len(batch):
            return
        # the store offers no public connection that writes: this writer is the only way in
        with self.store._connect() as con:
            added = append(con, self.store.root, batch)
        for callback, was_added in zip(on_written, added):
            if callback:
                callback(was_added)
