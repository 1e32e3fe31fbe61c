"""Opening the published (serving) file while publishes swap it in.

DuckDB opens a database file by its path three times while connecting: for the magic bytes, for the headers,
then for the blocks. A publish that renames a new file over the path between the second and third open gives
the connection one file's headers and the other's blocks: the connect fails (a serialization or IO error;
about one connect in a few hundred that race a swap). Nothing half-read comes of it — the error is raised by
the connect, before any row — so a connect that failed while the file under the path changed is simply made
again. A connect that fails on an unchanged file is a real error and is raised at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

SWAP_RETRIES = 5
Opened = TypeVar("Opened")


def open_published(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the file at `path`, whole, even while publishes swap files in."""
    return across_swaps(path, lambda: duckdb.connect(str(path), read_only=True))


def attach_published(con: duckdb.DuckDBPyConnection, path: Path | str, alias: str) -> None:
    """`attach … (read_only)` the file at `path` as `alias`, whole, even while publishes swap files in."""
    across_swaps(path, lambda: con.execute(f"attach '{path}' as {alias} (read_only)"))


def across_swaps(path: Path | str, connect: Callable[[], Opened]) -> Opened:
    """`connect()`, made again (up to SWAP_RETRIES times) when it failed while the file at `path` changed."""
    for attempt in range(1, SWAP_RETRIES + 1):
        before = _file_identity(path)
        try:
            return connect()
        except duckdb.Error:
            if attempt == SWAP_RETRIES or _file_identity(path) == before:
                raise
    raise AssertionError("unreachable")


def _file_identity(path: Path | str) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_mtime_ns
