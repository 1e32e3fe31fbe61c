"""The raw layer: content-addressed immutable bytes plus append-only DuckDB tables.

- blobs/<aa>/<sha256>: every body fetched or file dropped, written once, never changed;
- fetch_log: one row per fetch attempt;
- documents: one row per distinct document version (document_key × sha256 × metadata) with its metadata and
  text: a corrected sidecar makes a new version of the same bytes;
- quarantine: one row per failure, with the stage, the error and the bytes' hash;
  the view quarantine_open keeps only failures not followed by a success for the same item;
- schema_migrations: the numbered migrations applied to the layer (warehouse/landing/migrations.py).

RawStore opens the layer (applying the migrations it lacks), keeps blobs and answers reads; its connections
that write are private: rows land only through RawWriter.land (warehouse/landing/writer.py), which checks
admission first. DuckDB takes one writer per file, and ingest tasks run in parallel processes, so every write
opens the file under an exclusive file lock for one short transaction and closes it again.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from warehouse.landing import journal
from warehouse.landing.admission import FUTURE_TOLERANCE_DAYS, LANDABLE_ENCODINGS
from warehouse.landing.health import check_length, damaged, is_damage
from warehouse.landing.lock import LOCK_NAME, raw_layer_lock
from warehouse.landing.migrations import apply_pending
from warehouse.landing.records import Validators
from warehouse.landing.rows import sha256_hex
from warehouse.locks import Busy
from warehouse.settings import RAW_DIR

# the quality gate's suites read the raw layer's promises from here (expectations/define_suites.py)
__all__ = ["FUTURE_TOLERANCE_DAYS", "LANDABLE_ENCODINGS", "KnownVersion", "RawStore"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KnownVersion:
    sha256: str
    validators: Validators
    attachments: list[dict[str, str]]
    url: str | None = None  # the newest address the document was found at
    text_sha256: str | None = None


class RawStore:
    def __init__(self, root: Path | str | None = None, lock_timeout: float = 300.0) -> None:
        self.root = Path(root or RAW_DIR)
        self.db_path = self.root / "raw.duckdb"
        self.blob_dir = self.root / "blobs"
        self.lock_path = self.root / LOCK_NAME
        self.lock_timeout = lock_timeout
        self.root.mkdir(parents=True, exist_ok=True)
        self.blob_dir.mkdir(exist_ok=True)
        # a damaged file is found here, before a caller writes a blob or reads a page (RawLayerDamaged)
        with self._connect() as con:
            if self.db_path.stat().st_size:
                check_length(con, self.db_path)
            # the migrations this open applied: none, once the layer has them all
            self.migrations_applied = apply_pending(con)
            journal.start(con, self.root)

    # --- connections ---------------------------------------------------------------------------
    def locked(self) -> AbstractContextManager[None]:
        """Hold the raw layer's lock (other processes wait, then hear who holds it), without opening it.
        Writers hold it for one short transaction, a dbt build (warehouse.transform.dbt) for the whole build."""
        return raw_layer_lock(self.root, self.lock_timeout)

    @contextmanager
    def _connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """An exclusive, short-lived connection; other processes wait on the file lock. Private: a connection that
        writes is the writer's alone (warehouse/landing/writer.py)."""
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

    def _open(self, read_only: bool) -> duckdb.DuckDBPyConnection:
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

    # --- reads -----------------------------------------------------------------------------------
    def known_versions(self, source_id: str) -> dict[str, KnownVersion]:
        """The newest stored version of every document of a source, keyed by document_key (its identity), with
        the newest address it was found at."""
        with self._connect(read_only=True) as con:
            rows = con.execute(
                "select document_key, sha256, etag, last_modified, attachments, url, text_sha256"
                " from documents_current where source_id = ?",
                [source_id],
            ).fetchall()
        return {
            key: KnownVersion(sha, Validators(etag, last_modified), json.loads(attachments or "[]"), url, text_sha)
            for key, sha, etag, last_modified, attachments, url, text_sha in rows
        }

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Rows of a query on a read-only connection: a statement that writes fails."""
        with self._connect(read_only=True) as con:
            return con.execute(sql, params or []).fetchall()
