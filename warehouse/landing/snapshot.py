"""A snapshot of the raw layer for a build to read, so that crawls and drops never wait on a build.

A dbt build attaching raw.duckdb itself held the raw layer for the whole build (a full rebuild at national scale
takes longer than a writer waits, docs/scaling.md). Instead the file is copied under the raw layer's lock (the
only wait a writer sees: the copy), every row of the copy is read to prove it whole, and dbt attaches the copy.
Writers land beside it meanwhile; the next build's snapshot has their rows."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from warehouse import settings
from warehouse.landing.health import check_whole
from warehouse.landing.registry import land_registry
from warehouse.landing.store import RawStore

DB_NAME = "raw.duckdb"


def _copy_durably(source: Path, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    try:
        shutil.copyfile(source, partial)
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def take_snapshot(
    raw_dir: Path | str, into: Path | str, lock_timeout: float = 300.0, registry: Path | str | None = None
) -> Path:
    """Copy the raw layer at raw_dir into the folder `into` (as raw.duckdb, what dbt's profile attaches there),
    check the copy whole (RawLayerDamaged, naming raw_dir's file, when it is not) and land the source registry
    (`registry`, else settings.SOURCES) into the copy as the table `sources`. Returns `into`."""
    store = RawStore(raw_dir, lock_timeout=lock_timeout)  # makes an empty raw layer on a fresh machine
    into = Path(into)
    into.mkdir(parents=True, exist_ok=True)
    target = into / DB_NAME
    with store.locked():  # no writer has the file open: its WAL, if one was left, is copied with it
        _copy_durably(store.db_path, target)
        wal = Path(f"{store.db_path}.wal")
        if wal.exists():
            _copy_durably(wal, Path(f"{target}.wal"))
        else:
            Path(f"{target}.wal").unlink(missing_ok=True)
    check_whole(target, named=store.db_path)
    con = duckdb.connect(str(target))
    try:
        land_registry(con, registry or settings.SOURCES)
    finally:
        con.close()
    return into
