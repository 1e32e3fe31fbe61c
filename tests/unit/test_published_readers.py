"""Opening the serving file while publishes rename other files over it.

DuckDB reads a database file by path three times while connecting, so a rename between those reads makes the
connect fail (rarely: about one connect in a few hundred that race a swap). The deterministic tests make a
rename happen inside the connect; the threaded one races real renames."""

from __future__ import annotations

import os
import shutil
import threading

import duckdb
import pytest

from warehouse.release import readers
from warehouse.release.readers import attach_published, open_published


def write_version(path, rows: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create table facts as select range as id, 'fact ' || range as label from range(?)", [rows])
    con.close()


def count(con, table: str = "facts") -> int:
    return con.execute(f"select count(*) from {table}").fetchall()[0][0]


def test_a_connect_that_failed_while_the_file_was_replaced_is_made_again(tmp_path):
    serving, incoming = tmp_path / "serving.duckdb", tmp_path / "incoming.duckdb"
    write_version(serving, 10)
    write_version(incoming, 20)
    attempts = []

    def connect_racing_a_publish():
        attempts.append(1)
        if len(attempts) == 1:
            os.replace(incoming, serving)
            raise duckdb.IOException("Could not read enough bytes from file")
        return duckdb.connect(str(serving), read_only=True)

    con = readers.across_swaps(serving, connect_racing_a_publish)
    assert len(attempts) == 2 and count(con) == 20


def test_a_connect_that_fails_on_an_unchanged_file_is_raised_at_once(tmp_path):
    serving = tmp_path / "serving.duckdb"
    write_version(serving, 10)
    attempts = []

    def broken_connect():
        attempts.append(1)
        raise duckdb.IOException("disk gone")

    with pytest.raises(duckdb.IOException, match="disk gone"):
        readers.across_swaps(serving, broken_connect)
    assert len(attempts) == 1


def test_a_file_that_is_not_duckdb_fails_with_duckdbs_error(tmp_path):
    garbage = tmp_path / "serving.duckdb"
    garbage.write_bytes(b"not a database" * 1000)
    with pytest.raises(duckdb.Error):
        open_published(garbage)


def test_attach_reads_the_published_file(tmp_path):
    serving = tmp_path / "serving.duckdb"
    write_version(serving, 7)
    con = duckdb.connect()
    attach_published(con, serving, "serving")
    assert count(con, "serving.facts") == 7


def test_readers_see_whole_versions_while_files_are_renamed_over_the_path(tmp_path):
    serving, smaller, larger = (tmp_path / name for name in ("serving.duckdb", "smaller", "larger"))
    write_version(smaller, 50_000)
    write_version(larger, 100_000)
    shutil.copyfile(smaller, serving)
    errors, seen, stop = [], set(), threading.Event()

    def reader():
        while not stop.is_set():
            try:
                con = open_published(serving)
                try:
                    seen.add(count(con))
                finally:
                    con.close()
            except Exception as exc:
                errors.append(repr(exc))

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        for swap in range(1000):
            staged = shutil.copyfile(larger if swap % 2 else smaller, tmp_path / f"incoming-{swap}.duckdb")
            os.replace(staged, serving)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert seen <= {50_000, 100_000} and seen
