"""The raw layer: content-addressed immutable bytes plus append-only DuckDB tables.

- blobs/<aa>/<sha256>: every body fetched or file dropped, written once, never changed;
- fetch_log: one row per fetch attempt;
- documents: one row per distinct document version (document_key × sha256 × metadata) with its metadata and
  text: a corrected sidecar makes a new version of the same bytes;
- quarantine: one row per failure, with the stage, the error and the bytes' hash;
  the view quarantine_open keeps only failures not followed by a success for the same item.

DuckDB takes one writer per file, and ingest tasks run in parallel processes, so every write
opens the file under an exclusive file lock for one short transaction and closes it again.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.landing import journal
from warehouse.landing.health import check_length, damaged, is_damage
from warehouse.landing.lock import LOCK_NAME, raw_layer_lock
from warehouse.landing.records import FetchResult, ParsedDocument, Validators
from warehouse.landing.schema import DOCUMENT_COLUMNS, FETCH_COLUMNS, NEWEST_OF, SCHEMA, fill_current_versions, migrate
from warehouse.locks import Busy
from warehouse.settings import RAW_DIR

log = logging.getLogger(__name__)

# What a document's text may have been decoded from: the encodings of Chinese pages and files (and plain
# ASCII/Western text in UTF-8 or cp1252). Anything else (cp1250, koi8-r …) is a mis-detection: quarantined.
LANDABLE_ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16", "big5", "cp1252", "ascii")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u3000"), None)
FUTURE_TOLERANCE_DAYS = 1  # a site a time zone ahead may date a page tomorrow
# No civil-affairs bureau of the People's Republic published before it was founded: an earlier date is a
# placeholder (1900-01-01 of a CMS) or a typo, and would put the document's facts in the wrong era.
EARLIEST_PUBLICATION = date(1949, 10, 1)


def landing_problem(parsed: ParsedDocument, encoding: str | None, today: date | None = None) -> tuple[str, str] | None:
    """Why a parsed document must not land in the raw layer, as (error kind, message); None when it may.
    These are the raw layer's own promises, which the quality gate checks again on current versions."""
    if encoding and encoding not in LANDABLE_ENCODINGS:
        return "bad_encoding", (
            f"the text decodes only as {encoding}, not an encoding of Chinese documents "
            f"({', '.join(LANDABLE_ENCODINGS)}); save it as UTF-8"
        )
    if not parsed.text.translate(_INVISIBLE).strip():
        return "no_text", "the document has no visible text"
    if parsed.published_at:
        published = date.fromisoformat(str(parsed.published_at)[:10])
        if published > (today or utcnow().date()) + timedelta(days=FUTURE_TOLERANCE_DAYS):
            return "future_date", f"published_at {published} is in the future; correct the sidecar or the page"
        if published < EARLIEST_PUBLICATION:
            return "implausible_date", (
                f"published_at {published} is before {EARLIEST_PUBLICATION}, when no civil-affairs bureau published;"
                " correct the sidecar or the page"
            )
    return None


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


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def sha256_hex(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class KnownVersion:
    sha256: str
    validators: Validators
    attachments: list[dict]
    url: str | None = None  # the newest address the document was found at
    text_sha256: str | None = None


_INSERT_FETCH = f"insert into fetch_log ({', '.join(FETCH_COLUMNS)}) values ({', '.join('?' * len(FETCH_COLUMNS))})"
_DOCUMENT_LIST = ", ".join(DOCUMENT_COLUMNS)
# A batch lands in one statement: the incoming rows whose version is neither stored nor earlier in the batch.
# The anti-join is on both keys of the table, so that the plain insert cannot conflict: row by row, each insert
# pays a statement's overhead, and `insert or ignore` costs far more than a plain insert, more as versions are stored.
_NEW_IN_BATCH = """
select position from incoming
where version_id not in (select version_id from documents where version_id in (select version_id from incoming))
  and not exists (
      select 1 from documents as stored
      where stored.document_key = incoming.document_key and stored.sha256 = incoming.sha256
        and stored.meta_sha256 = incoming.meta_sha256
  )
qualify row_number() over (partition by version_id order by position) = 1
    and row_number() over (partition by document_key, sha256, meta_sha256 order by position) = 1
"""
_INSERT_NEW = (
    f"insert into documents ({_DOCUMENT_LIST}) "
    f"select {_DOCUMENT_LIST} from incoming where position in (select unnest($new)) order by position"
)


class RawStore:
    def __init__(self, root: Path | str | None = None, lock_timeout: float = 300.0):
        self.root = Path(root or RAW_DIR)
        self.db_path = self.root / "raw.duckdb"
        self.blob_dir = self.root / "blobs"
        self.lock_path = self.root / LOCK_NAME
        self.lock_timeout = lock_timeout
        self.root.mkdir(parents=True, exist_ok=True)
        self.blob_dir.mkdir(exist_ok=True)
        # a damaged file is found here, before a caller writes a blob or reads a page (RawLayerDamaged)
        with self.connect() as con:
            if self.db_path.stat().st_size:
                check_length(con, self.db_path)
            migrate(con)
            con.execute(SCHEMA)
            fill_current_versions(con)
            journal.start(con, self.root)

    # --- connections ---------------------------------------------------------------------------
    def locked(self):
        """Hold the raw layer's lock (other processes wait, then hear who holds it), without opening it.
        Writers hold it for one short transaction, a dbt build (warehouse.transform.dbt) for the whole build."""
        return raw_layer_lock(self.root, self.lock_timeout)

    @contextmanager
    def connect(self, read_only: bool = False):
        """An exclusive, short-lived connection; other processes wait on the file lock."""
        with self.locked():
            con = self._open(read_only)
            try:
                yield con
            except duckdb.Error as error:
                if is_damage(error):
                    raise damaged(self.db_path, str(error)) from error
                raise
            finally:
                con.close()

    def _open(self, read_only: bool):
        """DuckDB refuses a second process while one (a dbt build that attached the raw layer outside
        warehouse.transform.dbt, e.g. Cosmos) has the file open: wait for it like for the lock."""
        deadline = time.monotonic() + self.lock_timeout
        said = False
        while True:
            try:
                return duckdb.connect(str(self.db_path), read_only=read_only and self.db_path.exists())
            except duckdb.Error as exc:
                if is_damage(exc):
                    raise damaged(self.db_path, str(exc)) from exc
                if not isinstance(exc, duckdb.IOException) or "lock" not in str(exc).lower():
                    raise
                if not said:
                    log.warning(
                        "the raw layer %s is open in another process (a dbt build?): waiting up to %.0f s (%s)",
                        self.db_path,
                        self.lock_timeout,
                        str(exc).splitlines()[0],
                    )
                    said = True
                if time.monotonic() > deadline:
                    raise Busy(
                        f"the raw layer {self.db_path} is open in another process (a dbt build?) and "
                        f"stayed so for {self.lock_timeout:.0f} s: {exc}"
                    ) from exc
                time.sleep(0.2)

    # --- blobs -----------------------------------------------------------------------------------
    def blob_path(self, sha256: str) -> Path:
        return self.blob_dir / sha256[:2] / sha256

    def put_blob(self, body: bytes) -> str:
        digest = sha256_hex(body)
        path = self.blob_path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
                try:
                    tmp.write(body)
                    tmp.flush()
                    os.replace(tmp.name, path)
                except BaseException:  # a full disk, a kill: no half-written temporary file stays behind
                    Path(tmp.name).unlink(missing_ok=True)
                    raise
            os.chmod(path, 0o444)
        return digest

    def get_blob(self, sha256: str) -> bytes:
        return self.blob_path(sha256).read_bytes()

    # --- writes ----------------------------------------------------------------------------------
    def fetch_row(self, run_id: str, source_id: str, result: FetchResult) -> list:
        digest = self.put_blob(result.body) if result.ok and result.body else None
        return [
            str(uuid.uuid4()),
            run_id,
            source_id,
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

    def document_row(
        self,
        *,
        run_id: str,
        source_id: str,
        document_key: str,
        kind: str,
        body: bytes,
        parsed: ParsedDocument,
        url: str | None = None,
        file_name: str | None = None,
        parent_key: str | None = None,
        encoding: str | None = None,
        source_region: str = "",
        validators: Validators | None = None,
    ) -> list:
        digest = self.put_blob(body)
        validators = validators or Validators()
        attachments = json.dumps([{"url": a.url, "name": a.name} for a in parsed.attachments], ensure_ascii=False)
        meta = metadata_fingerprint(parsed, url)
        return [
            sha256_hex(f"{document_key}\n{digest}\n{meta}".encode()),
            document_key,
            source_id,
            kind,
            parsed.format,
            url,
            file_name,
            parent_key,
            digest,
            sha256_hex(parsed.text.encode()),
            meta,
            encoding,
            parsed.title or None,
            parsed.publisher or None,
            source_region or None,
            parsed.published_at,
            parsed.written_at,
            parsed.index_no or None,
            parsed.doc_no or None,
            parsed.column_name or None,
            parsed.topic or None,
            parsed.content_source or None,
            attachments,
            validators.etag,
            validators.last_modified,
            parsed.text,
            len(parsed.text),
            run_id,
            utcnow(),
        ]

    def quarantine_row(
        self,
        *,
        run_id: str,
        source_id: str,
        item: str,
        stage: str,
        error_kind: str,
        error: str,
        body: bytes | None = None,
    ) -> list:
        digest = self.put_blob(body) if body else None
        return [str(uuid.uuid4()), run_id, source_id, item, stage, error_kind, error[:2000], digest, utcnow()]

    def location_row(self, *, run_id: str, source_id: str, document_key: str, url: str) -> list:
        """A document found at a new address with its text unchanged (the site moved): no new version."""
        return [str(uuid.uuid4()), run_id, source_id, document_key, url, utcnow()]

    def write(
        self,
        fetches: Sequence[list] = (),
        documents: Sequence[list] = (),
        quarantine: Sequence[list] = (),
        locations: Sequence[list] = (),
    ) -> list[bool]:
        """Append rows to the tables in one transaction. A document version already stored is
        skipped; the result says, per document row, whether it was new."""
        added = []
        batch = journal.Batch(self.root)
        with self.connect() as con:
            con.execute("begin")
            try:
                if fetches:
                    con.executemany(_INSERT_FETCH, list(fetches))
                if documents:
                    added = self._append_documents(con, documents)
                if quarantine:
                    con.executemany("insert into quarantine values (?, ?, ?, ?, ?, ?, ?, ?, ?)", list(quarantine))
                if locations:
                    con.executemany("insert into document_locations values (?, ?, ?, ?, ?, ?)", list(locations))
                batch.add(con, "fetch_log", [row[0] for row in fetches])
                batch.add(con, "documents", [row[0] for row, new in zip(documents, added) if new])
                batch.add(con, "quarantine", [row[0] for row in quarantine])
                batch.add(con, "document_locations", [row[0] for row in locations])
                con.execute("commit")
            except BaseException:
                batch.discard()  # the transaction rolls back when the connection closes
                raise
        return added

    @staticmethod
    def _append_documents(con, documents: Sequence[list]) -> list[bool]:
        con.execute("create or replace temp table incoming as select *, 0 as position from documents limit 0")
        incoming = pa.table(
            {name: [row[index] for row in documents] for index, name in enumerate(DOCUMENT_COLUMNS)}
            | {"position": list(range(len(documents)))}
        )
        con.register("incoming_rows", incoming)
        con.execute("insert into incoming by name select * from incoming_rows")
        con.unregister("incoming_rows")
        new = {position for (position,) in con.execute(_NEW_IN_BATCH).fetchall()}
        con.execute(_INSERT_NEW, {"new": sorted(new)})
        landed = "select document_key from incoming where position in (select unnest($new))"
        con.execute(f"delete from current_versions where document_key in ({landed})", {"new": sorted(new)})
        con.execute(f"insert into current_versions {NEWEST_OF.format(keys=landed)}", {"new": sorted(new)})
        con.execute("drop table incoming")
        return [position in new for position in range(len(documents))]

    # --- reads -----------------------------------------------------------------------------------
    def known_versions(self, source_id: str) -> dict[str, KnownVersion]:
        """The newest stored version of every document of a source, keyed by document_key (its identity), with
        the newest address it was found at."""
        with self.connect(read_only=True) as con:
            rows = con.execute(
                "select document_key, sha256, etag, last_modified, attachments, url, text_sha256"
                " from documents_current where source_id = ?",
                [source_id],
            ).fetchall()
        return {
            key: KnownVersion(sha, Validators(etag, last_modified), json.loads(attachments or "[]"), url, text_sha)
            for key, sha, etag, last_modified, attachments, url, text_sha in rows
        }

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with self.connect(read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


class RawWriter:
    """Buffers a crawl's rows and writes them in batches: opening DuckDB has a fixed cost, so one
    transaction per row would dominate a crawl. Callers must flush() at the end (use `with`)."""

    def __init__(self, store: RawStore, batch_size: int = 100):
        self.store = store
        self.batch_size = batch_size
        self.fetches: list[list] = []
        self.documents: list[tuple[list, Callable[[bool], object] | None]] = []
        self.quarantine_rows: list[list] = []
        self.locations: list[list] = []

    def __enter__(self) -> RawWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.flush()

    def _maybe_flush(self) -> None:
        if len(self.fetches) + len(self.documents) + len(self.quarantine_rows) + len(self.locations) >= self.batch_size:
            self.flush()

    def log_fetch(self, run_id: str, source_id: str, result: FetchResult) -> None:
        self.fetches.append(self.store.fetch_row(run_id, source_id, result))
        self._maybe_flush()

    def add_document(self, on_written=None, **fields) -> None:
        """Queue a document version; `on_written(added: bool)` is called once it is stored."""
        self.documents.append((self.store.document_row(**fields), on_written))
        self._maybe_flush()

    def quarantine(self, **fields) -> None:
        self.quarantine_rows.append(self.store.quarantine_row(**fields))
        self._maybe_flush()

    def locate(self, **fields) -> None:
        """Record that a stored document was found at a new address (location_row)."""
        self.locations.append(self.store.location_row(**fields))
        self._maybe_flush()

    def flush(self) -> None:
        fetches, documents, quarantine, locations = self.fetches, self.documents, self.quarantine_rows, self.locations
        self.fetches, self.documents, self.quarantine_rows, self.locations = [], [], [], []
        if not (fetches or documents or quarantine or locations):
            return
        added = self.store.write(fetches, [row for row, _ in documents], quarantine, locations)
        for (_, on_written), was_added in zip(documents, added):
            if on_written:
                on_written(was_added)
