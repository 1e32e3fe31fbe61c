"""The raw layer's schema changes are numbered migrations, recorded in schema_migrations and applied once: a layer
made by older code (its DDL frozen in tests/fixtures/raw_layer) is brought up to date with every row kept, and
an open that finds them all recorded runs nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from tests.old_raw_layer import (
    BEFORE_METADATA_VERSIONS,
    BEFORE_MIGRATIONS,
    blob_keeper,
    insert_rows,
    make_old_raw_layer,
)
from warehouse.landing.migrations import MIGRATIONS, RawLayerTooNew
from warehouse.landing.records import (
    DocumentRecord,
    FetchRecord,
    FetchResult,
    LocationRecord,
    ParsedDocument,
    QuarantineRecord,
)
from warehouse.landing.rows import document_row, fetch_row, location_row, quarantine_row
from warehouse.landing.schema import DOCUMENT_COLUMNS, FETCH_COLUMNS
from warehouse.landing.store import RawStore

NUMBERED = [(migration.number, migration.name) for migration in MIGRATIONS]
TABLES = {
    "fetch_log": "fetch_id",
    "documents": "version_id",
    "quarantine": "quarantine_id",
    "document_locations": "location_id",
}


def _document(key: str, text: str, url: str | None = None) -> DocumentRecord:
    parsed = ParsedDocument(format="txt", text=text, title="舟山市民政局2024年工作总结", published_at="2025-01-10")
    return DocumentRecord(
        run_id="old", source_id="zs", document_key=key, kind="article", body=text.encode(), parsed=parsed, url=url
    )


def _landed_by_old_code(root: Path) -> Path:
    """A layer as the code before migrations left it after a crawl: a row in every table, current versions kept."""
    db_path = make_old_raw_layer(root, BEFORE_MIGRATIONS)
    put_blob = blob_keeper(root)
    url = "http://127.0.0.1:8780/art/1.html"
    result = FetchResult(url=url, method="GET", outcome="ok", status=200, body="低保标准每人每月900元。".encode())
    insert_rows(db_path, "fetch_log", [fetch_row(FetchRecord("old", "zs", result), put_blob)])
    documents = [
        _document("zs:/art/1.html", "低保标准每人每月900元。", url),
        _document("zs:/art/2.html", "床位1200张。"),
    ]
    insert_rows(db_path, "documents", [document_row(record, put_blob) for record in documents], current=True)
    quarantined = QuarantineRecord("old", "zs", "http://127.0.0.1:8780/art/3.html", "fetch", "http_error", "HTTP 500")
    insert_rows(db_path, "quarantine", [quarantine_row(quarantined, put_blob)])
    moved = LocationRecord("old", "zs", "zs:/art/1.html", "https://mzj.example.gov.cn/art/1.html")
    insert_rows(db_path, "document_locations", [location_row(moved)])
    return db_path


def _contents(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        tables = {
            table: con.execute(f"select * from {table} order by {key}").fetchall() for table, key in TABLES.items()
        }
        tables["documents_current"] = con.execute("select * from documents_current order by version_id").fetchall()
        tables["quarantine_open"] = con.execute("select * from quarantine_open order by quarantine_id").fetchall()
    return tables


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_raw_layer_records_every_migration_in_order(tmp_path):
    store = RawStore(tmp_path / "raw")
    assert [number for number, _ in NUMBERED] == list(range(1, len(MIGRATIONS) + 1))
    assert store.migrations_applied == tuple(number for number, _ in NUMBERED)
    assert store.query("select number, name from schema_migrations order by number") == NUMBERED


def test_a_layer_made_by_the_code_before_migrations_upgrades_with_its_data_intact(tmp_path):
    db_path = _landed_by_old_code(tmp_path / "raw")
    before = _contents(db_path)
    assert all(before.values())

    store = RawStore(tmp_path / "raw")
    assert store.migrations_applied == tuple(number for number, _ in NUMBERED)
    assert store.query("select number, name from schema_migrations order by number") == NUMBERED
    assert _contents(db_path) == before


def test_a_second_open_runs_no_migration_and_no_ddl(tmp_path):
    _landed_by_old_code(tmp_path / "raw")
    first = RawStore(tmp_path / "raw")
    recorded = first.query("select * from schema_migrations order by number")
    file_before = _sha256(first.db_path)

    again = RawStore(tmp_path / "raw")
    assert again.migrations_applied == ()
    assert again.query("select * from schema_migrations order by number") == recorded
    # DDL (a view replaced, a table created if missing) would change the file: not one byte of it changed
    assert _sha256(again.db_path) == file_before


def test_the_oldest_layout_is_migrated_step_by_step_with_every_row_kept(tmp_path):
    """Before metadata versions, identity keys and current_versions, with fetch_log.encoding: each migration finds
    its change missing and makes it."""
    db_path = make_old_raw_layer(tmp_path / "raw", BEFORE_METADATA_VERSIONS)
    put_blob = blob_keeper(tmp_path / "raw")
    url = "http://127.0.0.1:8780/art/1.html"
    row = document_row(_document(url, "低保标准每人每月900元。", url), put_blob)
    meta = DOCUMENT_COLUMNS.index("meta_sha256")
    insert_rows(db_path, "documents", [row[:meta] + row[meta + 1 :]])
    result = FetchResult(url=url, method="GET", outcome="ok", status=200, body=b"x")
    fetched = fetch_row(FetchRecord("old", "zs", result), put_blob)
    encoding_at = FETCH_COLUMNS.index("bytes") + 1  # the old fetch_log had encoding after bytes
    insert_rows(db_path, "fetch_log", [fetched[:encoding_at] + [None] + fetched[encoding_at:]])

    store = RawStore(tmp_path / "raw")
    assert store.migrations_applied == tuple(number for number, _ in NUMBERED)
    assert store.query("select version_id, document_key, meta_sha256, url from documents") == [
        (row[0], "zs:/art/1.html", "", url)
    ]
    assert store.query("select version_id from current_versions") == [(row[0],)]
    assert store.query("select old_key, document_key from document_aliases") == [(url, "zs:/art/1.html")]
    assert store.query("select * from fetch_log") == [tuple(fetched)]
    assert store.query("select count(*) from documents_current") == [(1,)]
    assert set(store.known_versions("zs")) == {"zs:/art/1.html"}


def test_a_layer_that_records_a_migration_this_code_does_not_know_is_refused(tmp_path):
    """Newer code made it: older code writing rows of an older shape into it would spoil it."""
    store = RawStore(tmp_path / "raw")
    with duckdb.connect(str(store.db_path)) as con:
        con.execute("insert into schema_migrations values (99, 'from_the_future', current_timestamp::timestamp)")
    file_before = _sha256(store.db_path)
    with pytest.raises(RawLayerTooNew, match="99"):
        RawStore(tmp_path / "raw")
    assert _sha256(store.db_path) == file_before
