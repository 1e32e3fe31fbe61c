"""The raw layer's schema changes as numbered, named migrations, each applied once and recorded in
schema_migrations(number, name, applied_at).

A migration runs in one transaction with its record, so a crash leaves it neither half done nor recorded. A raw
layer made before this table has no record: every migration runs on it once, and each finds from the catalogue or
the rows whether its change is there already (the code before applied the same changes ad hoc at every open,
so such a layer may have any of them). An open that finds every migration recorded runs no DDL at all.

Numbers are never reused or reordered: a change to the schema is a new migration at the end."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from warehouse.landing.identity import URL_KEY, document_identity
from warehouse.landing.schema import DOCUMENT_COLUMNS, DOCUMENTS_TABLE, NEWEST_OF, TABLES, VIEWS

log = logging.getLogger(__name__)

MIGRATIONS_TABLE = """
create table if not exists schema_migrations (
    number integer primary key,
    name varchar not null,
    applied_at timestamp not null
)
"""


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    apply: Callable[[duckdb.DuckDBPyConnection], None]
    # run again over rows recovered from the journal, which keeps rows as they landed (warehouse/landing/recover.py)
    again_after_recovery: bool = False


class RawLayerTooNew(RuntimeError):
    """The raw layer records a migration this code does not know: newer code made it, and older code must not
    write rows of an older shape into it."""


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Every table as it is now; on a layer from older code only the tables it lacks (each step below reshapes
    the ones it has)."""
    con.execute(TABLES)


def _add_meta_sha256(con: duckdb.DuckDBPyConnection) -> None:
    """A raw layer made before versions knew their metadata: documents gets meta_sha256 (empty for the old
    rows, whose version ids stay) and the wider unique key. Append-only still: every row is kept."""
    if _has_column(con, "documents", "meta_sha256"):
        return
    con.execute("drop view if exists documents_current")
    con.execute("drop view if exists quarantine_open")
    con.execute("alter table documents rename to documents_before_meta")
    con.execute(DOCUMENTS_TABLE)
    kept = [name for name in DOCUMENT_COLUMNS if name != "meta_sha256"]
    con.execute(f"insert into documents ({', '.join(kept)}) select {', '.join(kept)} from documents_before_meta")
    con.execute("drop table documents_before_meta")


def _url_keys(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(source_id, old key, identity) of every document_key and parent_key that is still a URL."""
    keys = con.execute(
        f"""
        select distinct source_id, document_key from documents where regexp_matches(document_key, '{URL_KEY.pattern}')
        union
        select distinct source_id, parent_key from documents where regexp_matches(parent_key, '{URL_KEY.pattern}')
        """
    ).fetchall()
    aliased = set(con.execute("select source_id, old_key from document_aliases").fetchall())
    aliases = []
    for source_id, old_key in set(keys) - aliased:  # an aliased key still here is a kept duplicate (below)
        try:
            aliases.append((source_id, old_key, document_identity(source_id, old_key)))
        except ValueError:  # an address that names no web document keeps its key
            continue
    return aliases


def _key_by_identity(con: duckdb.DuckDBPyConnection) -> None:
    """A raw layer keyed by URL (before documents were keyed by identity, warehouse/landing/identity.py): every
    document_key and parent_key that is a URL becomes the document's identity, the same document fetched from two
    addresses (a site that moved) one document whose newest version is current, and document_aliases keeps each
    old key beside its identity. The table is rebuilt as _add_meta_sha256 rebuilt it: every row and version id
    is kept. Detected from the rows: a raw layer recovered from its journal has the old keys again."""
    aliases = _url_keys(con)
    if not aliases:
        return
    con.register(
        "identity_of",
        pa.table({name: [row[i] for row in aliases] for i, name in enumerate(("source_id", "old_key", "new_key"))}),
    )
    con.execute("drop view if exists documents_current")
    con.execute("drop view if exists quarantine_open")
    con.execute("alter table documents rename to documents_keyed_by_url")
    con.execute(DOCUMENTS_TABLE)
    columns = ", ".join(DOCUMENT_COLUMNS)
    con.execute(
        f"""
        insert into documents ({columns})
        select {columns} from (
            -- a version stored under two old keys with the same bytes and metadata (a layer from before
            -- meta_sha256 that doubled) would break the unique key: the later copy keeps its old key
            select old.* replace (
                case
                    when row_number() over (
                        partition by coalesce(own.new_key, old.document_key), old.sha256, old.meta_sha256
                        order by old.ingested_at, old.version_id
                    ) = 1 then coalesce(own.new_key, old.document_key)
                    else old.document_key
                end as document_key,
                coalesce(parent.new_key, old.parent_key) as parent_key
            )
            from documents_keyed_by_url as old
            left join identity_of as own on own.source_id = old.source_id and own.old_key = old.document_key
            left join identity_of as parent on parent.source_id = old.source_id and parent.old_key = old.parent_key
        )
        """
    )
    con.execute("drop table documents_keyed_by_url")
    con.execute(
        "insert into document_aliases select distinct source_id, old_key, new_key, current_timestamp::timestamp"
        " from identity_of where not exists (select 1 from document_aliases a"
        " where a.source_id = identity_of.source_id and a.old_key = identity_of.old_key)"
    )
    con.unregister("identity_of")
    con.execute("delete from current_versions")  # the keys changed: refilled by the next migration


def _drop_fetch_encoding(con: duckdb.DuckDBPyConnection) -> None:
    """fetch_log.encoding was never filled (a document's encoding is on its documents row)."""
    if _has_column(con, "fetch_log", "encoding"):
        con.execute("alter table fetch_log drop column encoding")


def _fill_current_versions(con: duckdb.DuckDBPyConnection) -> None:
    """A raw layer made before current_versions was kept (or rekeyed just now): filled once from every version."""
    if con.execute("select 1 from current_versions limit 1").fetchall():
        return
    con.execute(f"insert into current_versions {NEWEST_OF.format(keys='select document_key from documents')}")


def _create_views(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(VIEWS)


MIGRATIONS = (
    Migration(1, "create_raw_tables", _create_tables),
    Migration(2, "documents_meta_sha256", _add_meta_sha256),
    Migration(3, "documents_keyed_by_identity", _key_by_identity, again_after_recovery=True),
    Migration(4, "fetch_log_without_encoding", _drop_fetch_encoding),
    Migration(5, "current_versions_filled", _fill_current_versions, again_after_recovery=True),
    Migration(6, "current_and_open_views", _create_views, again_after_recovery=True),
)


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    return bool(
        con.execute(
            "select 1 from information_schema.columns where table_name = ? and column_name = ?", [table, column]
        ).fetchall()
    )


def applied(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """The migrations recorded in the raw layer open on `con`, by number (none for a layer made before them)."""
    if not con.execute("select 1 from information_schema.tables where table_name = 'schema_migrations'").fetchall():
        return {}
    return dict(con.execute("select number, name from schema_migrations").fetchall())


def apply_pending(con: duckdb.DuckDBPyConnection) -> tuple[int, ...]:
    """Apply, in order, every migration the raw layer open on `con` has not recorded; the numbers applied."""
    done = applied(con)
    unknown = sorted(set(done) - {migration.number for migration in MIGRATIONS})
    if unknown:
        raise RawLayerTooNew(
            f"the raw layer records migrations {unknown} ({', '.join(done[n] for n in unknown)}) this code does not"
            " know: it was made by newer code; update this checkout before writing to it"
        )
    pending = [migration for migration in MIGRATIONS if migration.number not in done]
    if pending and not done:
        con.execute(MIGRATIONS_TABLE)
    for migration in pending:
        con.execute("begin")  # a failure leaves the transaction open: closing the connection rolls it back
        migration.apply(con)
        con.execute(
            "insert into schema_migrations values (?, ?, current_timestamp::timestamp)",
            [migration.number, migration.name],
        )
        con.execute("commit")
        log.info("raw layer migration %d (%s) applied", migration.number, migration.name)
    return tuple(migration.number for migration in pending)


def apply_again_after_recovery(con: duckdb.DuckDBPyConnection) -> None:
    """Rows filled from the journal are as they landed (URL keys of a layer made before identity): the migrations
    that reshape rows run over them again, in one transaction (they are recorded already)."""
    con.execute("begin")
    for migration in MIGRATIONS:
        if migration.again_after_recovery:
            migration.apply(con)
    con.execute("commit")
