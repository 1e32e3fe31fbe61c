"""Rebuild a damaged raw layer from its journal: `python -m warehouse.landing.recover [--raw-dir DIR]`.

Under the raw layer's lock, a new raw.duckdb is made beside the old one from every journal file (the same
fetch_log, documents and quarantine rows, each once; current_versions recomputed), checked whole, and renamed
into place; the damaged file is kept as raw.duckdb.damaged-<UTC time> for a post-mortem. The blobs are not
touched: the command counts the rows whose blob is missing and says so."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.landing import journal
from warehouse.landing.health import check_whole
from warehouse.landing.lock import raw_layer_lock
from warehouse.landing.migrations import apply_again_after_recovery, apply_pending
from warehouse.settings import RAW_DIR


@dataclass
class Recovered:
    rows: dict[str, int]
    current_documents: int
    missing_blobs: int
    kept_aside: Path | None

    def summary(self) -> str:
        rows = ", ".join(f"{count} {table} rows" for table, count in self.rows.items())
        aside = f"; the damaged file is kept as {self.kept_aside}" if self.kept_aside else ""
        missing = f"; {self.missing_blobs} rows point at a blob that is missing" if self.missing_blobs else ""
        return f"raw layer rebuilt from its journal: {rows}, {self.current_documents} current documents{missing}{aside}"


def _fill(con, root: Path) -> dict[str, int]:
    """Each journaled row once, in the order the batches wrote them: a row both in the baseline and in a later
    batch (a crash between a batch's rename and its commit, then a baseline) counts once."""
    counts = {}
    for table, key in journal.JOURNALED.items():
        paths = journal.files(root, table)
        if paths:
            listed = ", ".join(f"'{path}'" for path in paths)
            con.execute(
                f"insert into {table} by name select * exclude (filename)"
                f" from read_parquet([{listed}], filename = true)"
                f" qualify row_number() over (partition by {key} order by filename) = 1"
                + (
                    " and row_number() over (partition by document_key, sha256, meta_sha256 order by filename) = 1"
                    if table == "documents"
                    else ""
                )
            )
        counts[table] = con.execute(f"select count(*) from {table}").fetchone()[0]
    return counts


def _missing_blobs(con, root: Path) -> int:
    digests = con.execute(
        "select sha256 from documents union select sha256 from fetch_log where sha256 is not null"
        " union select sha256 from quarantine where sha256 is not null"
    ).fetchall()
    return sum(not (root / "blobs" / digest[:2] / digest).exists() for (digest,) in digests)


def recover(root: Path | str = RAW_DIR) -> Recovered:
    root = Path(root)
    if not journal.journal_dir(root).is_dir():
        raise SystemExit(f"nothing to recover from: {journal.journal_dir(root)} does not exist")
    db_path = root / "raw.duckdb"
    with raw_layer_lock(root):
        rebuilt = root / "raw.duckdb.recovering"
        rebuilt.unlink(missing_ok=True)
        Path(f"{rebuilt}.wal").unlink(missing_ok=True)
        con = duckdb.connect(str(rebuilt))
        try:
            apply_pending(con)  # a new file: every migration, recorded
            rows = _fill(con, root)
            apply_again_after_recovery(con)  # the journal keeps rows as they landed: URL keys before identity
            current = con.execute("select count(*) from current_versions").fetchall()[0][0]
            missing = _missing_blobs(con, root)
            con.execute("checkpoint")
        finally:
            con.close()
        check_whole(rebuilt)
        kept_aside = None
        if db_path.exists():
            kept_aside = root / f"raw.duckdb.damaged-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
            os.replace(db_path, kept_aside)
            if Path(f"{db_path}.wal").exists():
                os.replace(f"{db_path}.wal", f"{kept_aside}.wal")
        os.replace(rebuilt, db_path)
    return Recovered(rows, current, missing, kept_aside)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warehouse.landing.recover", description=__doc__)
    parser.add_argument("--raw-dir", default=str(RAW_DIR), help="raw layer folder (default: %(default)s)")
    args = parser.parse_args(argv)
    print(recover(args.raw_dir).summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
