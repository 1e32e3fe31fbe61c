"""The raw layer's journal: every row a landing batch appends, also written as Parquet beside the DuckDB file, so
that a damaged raw.duckdb can be rebuilt (warehouse/landing/recover.py) with the same documents, versions, fetch
log and quarantine. The blobs are content-addressed files already; the journal holds the rows that point at them.

journal/<table>/<UTC nanoseconds>-<random>.parquet, one file per table a batch wrote, written by DuckDB from the
rows just inserted (so every type is the table's), inside the batch's transaction and renamed into place before
it commits: a batch that failed leaves nothing behind, and a crash between the rename and the commit leaves rows
the journal has and the file lacks, which the recovery keeps (they were fetched). A raw layer made before the
journal gets a baseline of every row the first time this code opens it."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

JOURNAL_DIR = "journal"
JOURNALED = {
    "fetch_log": "fetch_id",
    "documents": "version_id",
    "quarantine": "quarantine_id",
    "document_locations": "location_id",
}


def journal_dir(root: Path) -> Path:
    return Path(root) / JOURNAL_DIR


def _copy(con, sql: str, params: list, path: Path) -> None:
    con.execute(f"copy ({sql}) to '{path}' (format parquet, compression zstd)", params)


def start(con, root: Path) -> None:
    """A raw layer without a journal (new, or made before it): a baseline of every row, made in a folder of its
    own and renamed into place so that a crash leaves no half baseline."""
    target = journal_dir(root)
    if target.exists():
        return
    building = target.with_name(f"{JOURNAL_DIR}.starting")
    shutil.rmtree(building, ignore_errors=True)
    for table in JOURNALED:
        (building / table).mkdir(parents=True)
        if con.execute(f"select count(*) from {table}").fetchone()[0]:
            _copy(con, f"select * from {table}", [], building / table / "0000000000000000000-baseline.parquet")
    os.replace(building, target)


class Batch:
    """The journal files of one batch: written within its transaction, removed again if it does not commit."""

    def __init__(self, root: Path):
        self.folder = journal_dir(root)
        self.name = f"{time.time_ns():019d}-{uuid.uuid4().hex[:8]}.parquet"
        self.written: list[Path] = []

    def add(self, con, table: str, ids: list[str]) -> None:
        if not ids:
            return
        final = self.folder / table / self.name
        final.parent.mkdir(exist_ok=True)  # a journal started before the table was journaled has no folder for it
        partial = final.with_suffix(".partial")
        try:
            _copy(con, f"select * from {table} where {JOURNALED[table]} in (select unnest(?))", [ids], partial)
            with open(partial, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
        self.written.append(final)

    def discard(self) -> None:
        for path in self.written:
            path.unlink(missing_ok=True)


def files(root: Path, table: str) -> list[Path]:
    """A table's journal files in the order their batches were written."""
    return sorted((journal_dir(root) / table).glob("*.parquet"))
