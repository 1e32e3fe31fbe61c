"""Raw layers as older code left them, for tests of what this code does with them: made with the DDL frozen in
tests/fixtures/raw_layer/ (never with this code's schema), and rows written straight into their tables, as that
code wrote them, without the writer's admission check."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.landing.records import DocumentRecord
from warehouse.landing.rows import PutBlob, Row, document_row, sha256_hex
from warehouse.landing.schema import NEWEST_OF
from warehouse.landing.store import RawStore

LAYOUTS = Path(__file__).parent / "fixtures" / "raw_layer"
BEFORE_MIGRATIONS = LAYOUTS / "before_migrations.sql"  # the code just before numbered migrations
BEFORE_METADATA_VERSIONS = LAYOUTS / "before_metadata_versions.sql"  # the oldest layout: URL keys, no meta_sha256


def make_old_raw_layer(root: Path, layout: Path = BEFORE_MIGRATIONS) -> Path:
    """An empty raw layer at `root` made by the DDL of `layout`; its raw.duckdb."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "blobs").mkdir(exist_ok=True)
    db_path = root / "raw.duckdb"
    with duckdb.connect(str(db_path)) as con:
        con.execute(layout.read_text(encoding="utf-8"))
    return db_path


def blob_keeper(root: Path) -> PutBlob:
    """Keeps bytes in the layer's blobs/ as every version of the code did (content-addressed)."""

    def put_blob(body: bytes) -> str:
        digest = sha256_hex(body)
        path = root / "blobs" / digest[:2] / digest
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        return digest

    return put_blob


def insert_rows(db_path: Path, table: str, rows: list[Row], current: bool = False) -> None:
    """Rows straight into `table`; with current=True, current_versions kept as the code before this kept it."""
    with duckdb.connect(str(db_path)) as con:
        for row in rows:
            con.execute(f"insert into {table} values ({', '.join('?' * len(row))})", row)
        if current:
            keys = ", ".join(f"'{row[1]}'" for row in rows)
            con.execute(f"delete from current_versions where document_key in ({keys})")
            con.execute(f"insert into current_versions {NEWEST_OF.format(keys=keys)}")


def land_unchecked(store: RawStore, record: DocumentRecord) -> Row:
    """A document landed as code before the landing checks landed it (a future date, say), under the layer's lock:
    the writer would refuse it. Its row."""
    row = document_row(record, store.put_blob)
    with store.locked():
        insert_rows(store.db_path, "documents", [row], current=True)
    return row
