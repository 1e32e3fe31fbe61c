"""A damaged raw layer (issue 34 item 5): the commands that read or write it say so in one line and write
nothing, and the documented recovery rebuilds it from its journal with the same rows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scrapers.drop_folder import ingest_folder
from tests.integration.conftest import land_seed_documents
from warehouse.landing.health import RawLayerDamaged
from warehouse.landing.store import RawStore
from warehouse.settings import REPO_ROOT
from warehouse.transform.dbt import run_dbt

pytestmark = pytest.mark.integration
SNAPSHOT = {
    "documents": "select version_id, document_key, sha256, meta_sha256, title, published_at, text, ingested_at"
    " from documents order by version_id",
    "current": "select document_key, version_id from documents_current order by 1",
    "quarantine": "select quarantine_id, item, error_kind, error from quarantine order by 1",
    "quarantine_open": "select item, error_kind from quarantine_open order by 1",
    "fetch_log": "select * from fetch_log order by fetch_id",
}


def scrapers(raw: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapers", "--raw-dir", str(raw), *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        timeout=120,
    )


def rows(raw: Path) -> dict[str, list[tuple]]:
    store = RawStore(raw)
    return {name: store.query(sql) for name, sql in SNAPSHOT.items()}


def blobs(raw: Path) -> set[str]:
    return {path.name for path in (raw / "blobs").rglob("*") if path.is_file()}


def test_a_truncated_raw_layer_is_named_damaged_and_rebuilt_from_its_journal(tmp_path):
    _, raw = land_seed_documents(tmp_path)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "new.txt").write_text("某县民政局2025年工作要点\n全县低保标准提高到每人每月1000元。\n", encoding="utf-8")
    ingest_folder(bad, RawStore(raw))
    before = rows(raw)
    assert len(before["current"]) == 6 and before["quarantine_open"]

    db = raw / "raw.duckdb"
    with open(db, "r+b") as handle:
        handle.truncate(db.stat().st_size // 2)
    stored_blobs = blobs(raw)

    for command in (["report"], ["drop", str(bad)]):
        failed = scrapers(raw, *command)
        assert failed.returncode == 1, failed.stdout + failed.stderr
        assert f"the raw layer at {db} is damaged" in failed.stderr
        assert f"python -m warehouse.landing.recover --raw-dir {raw}" in failed.stderr
        assert "Traceback" not in failed.stderr
    (bad / "another.txt").write_text("某县民政局2026年工作要点\n养老床位1200张。\n", encoding="utf-8")
    assert scrapers(raw, "drop", str(bad)).returncode == 1
    assert blobs(raw) == stored_blobs  # the drop wrote nothing before it knew the store opens

    make_dbt = subprocess.run(  # `make dbt ARGS=build`: fails before dbt reads anything, with the same line
        [sys.executable, "-m", "warehouse.transform.dbt", "build"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(REPO_ROOT),
            "MINZHENG_RAW_DIR": str(raw),
            "MINZHENG_WAREHOUSE": str(tmp_path / "build" / "warehouse.duckdb"),
        },
        timeout=120,
    )
    assert make_dbt.returncode == 1 and f"the raw layer at {db} is damaged" in make_dbt.stderr
    assert "Traceback" not in make_dbt.stderr and not (tmp_path / "build" / "warehouse.duckdb").exists()
    with pytest.raises(RawLayerDamaged, match="is damaged"):
        run_dbt(["build"], raw, tmp_path / "build" / "warehouse.duckdb")

    recovered = subprocess.run(
        [sys.executable, "-m", "warehouse.landing.recover", "--raw-dir", str(raw)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        timeout=120,
    )
    assert recovered.returncode == 0, recovered.stderr
    assert "6 current documents" in recovered.stdout
    assert rows(raw) == before
    assert list(raw.glob("raw.duckdb.damaged-*"))  # kept aside, not deleted
    assert scrapers(raw, "report").returncode == 0


def test_a_raw_layer_made_before_the_journal_gets_a_baseline(tmp_path):
    _, raw = land_seed_documents(tmp_path)
    before = rows(raw)
    import shutil

    shutil.rmtree(raw / "journal")  # as a raw layer made by older code
    RawStore(raw)  # the first open by this code journals every row it holds
    (raw / "raw.duckdb").write_bytes(b"")
    from warehouse.landing.recover import recover

    recover(raw)
    assert rows(raw) == before


def test_a_build_refuses_a_raw_layer_with_a_corrupt_block(tmp_path):
    """Bytes overwritten inside the file (not cut short): the length is right, a lazy reader may never touch the
    block; the snapshot a build reads is read whole first, and DuckDB's block checksum names the damage."""
    _, raw = land_seed_documents(tmp_path)
    db = raw / "raw.duckdb"
    data = bytearray(db.read_bytes())
    for offset in range(4096 * 3 + 1000, len(data), 256 * 1024):  # a few bytes in every block
        data[offset : offset + 64] = b"\xff" * 64
    db.write_bytes(bytes(data))
    with pytest.raises(RawLayerDamaged, match="checksum"):
        run_dbt(["build"], raw, tmp_path / "build" / "warehouse.duckdb")
