"""Whether the raw layer's DuckDB file is whole, and the one-line error that says what to do when it is not.

DuckDB checks each block it reads against its checksum, but reads lazily: a file cut short (a full disk, a copy
interrupted) still opens, and a reader that never touches the lost blocks answers from what it could read. So
the file's length is compared with the blocks its header counts whenever the raw layer is opened, and a build
reads every row of its snapshot before it starts."""

from __future__ import annotations

from pathlib import Path

import duckdb

RECOVER_COMMAND = "python -m warehouse.landing.recover"
HEADER_BYTES = 3 * 4096  # DuckDB's file header and its two database headers, before the first block
# what DuckDB says about a file it cannot read, as opposed to a lock, a full disk or a bad query
_DAMAGE_SIGNS = (
    "not a valid duckdb database file",
    "could not read enough bytes",
    "checksum",
    "corrupt",
    "failed to load metadata",
    "serialization error",
)
TABLES = ("fetch_log", "documents", "quarantine", "current_versions")


class RawLayerDamaged(RuntimeError):
    """The raw layer's file cannot be read whole: nothing is written to it until it is recovered."""


def damaged(db_path: Path, reason: str) -> RawLayerDamaged:
    root = Path(db_path).parent
    return RawLayerDamaged(
        f"the raw layer at {db_path} is damaged ({reason.strip().splitlines()[0][:300]}); nothing was written to it."
        f" Rebuild it from its journal with `{RECOVER_COMMAND} --raw-dir {root}` (the damaged file is kept aside;"
        " docs/ingest.md, 'Recovering the raw layer')"
    )


def is_damage(error: BaseException) -> bool:
    if isinstance(error, duckdb.SerializationException | duckdb.InternalException):
        return True
    return isinstance(error, duckdb.Error) and any(sign in str(error).lower() for sign in _DAMAGE_SIGNS)


def check_length(con, db_path: Path, named: Path | None = None) -> None:
    """Raise RawLayerDamaged when the file is shorter than the blocks its header counts and its rows do not read
    back (cheap where the length agrees: no block read)."""
    (_, _, block_size, total_blocks, *_rest) = con.execute("pragma database_size").fetchone()
    expected = HEADER_BYTES + block_size * total_blocks
    actual = Path(db_path).stat().st_size
    if actual >= expected:
        return
    # the count can run ahead of the file (blocks allocated, free ones cut off the end): only rows that cannot
    # be read back make the layer damaged
    try:
        for table in TABLES:
            con.execute(f"select count(*), max(hash(t)) from {table} as t").fetchall()
    except duckdb.CatalogException:
        return  # a raw layer being created has no tables yet
    except duckdb.Error as error:
        reason = f"the file has {actual} bytes, its header counts {expected}: it was cut short ({error})"
        raise damaged(named or db_path, reason) from error


def check_whole(db_path: Path, named: Path | None = None) -> None:
    """Read every row of every table (each block checked against its checksum): RawLayerDamaged if one fails,
    naming `named` (the raw layer a snapshot was copied from) or db_path."""
    named = Path(named or db_path)
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as error:
        if is_damage(error):
            raise damaged(named, str(error)) from error
        raise
    try:
        check_length(con, db_path, named)
        for table in TABLES:
            con.execute(f"select count(*), max(hash(t)) from {table} as t").fetchall()
    except duckdb.Error as error:
        if is_damage(error):
            raise damaged(named, str(error)) from error
        raise
    finally:
        con.close()
