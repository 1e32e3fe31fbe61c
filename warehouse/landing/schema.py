"""The raw layer's tables and views, and the migrations that bring a raw layer made by older code up to them
(each applied once, detected from the catalogue)."""

from __future__ import annotations

import pyarrow as pa

from warehouse.landing.identity import URL_KEY, document_identity

FETCH_LOG_TABLE = """
create table if not exists fetch_log (
    fetch_id varchar primary key,
    run_id varchar,
    source_id varchar not null,
    url varchar not null,
    method varchar not null,
    fetched_at timestamp not null,
    http_status integer,
    outcome varchar not null,
    sha256 varchar,
    bytes bigint,
    content_type varchar,
    etag varchar,
    last_modified varchar,
    elapsed_ms integer,
    error varchar
);
"""
DOCUMENTS_TABLE = """
create table if not exists documents (
    version_id varchar primary key,
    document_key varchar not null,
    source_id varchar not null,
    kind varchar not null,
    format varchar not null,
    url varchar,
    file_name varchar,
    parent_key varchar,
    sha256 varchar not null,
    text_sha256 varchar not null,
    meta_sha256 varchar not null default '',
    encoding varchar,
    title varchar,
    publisher varchar,
    source_region varchar,
    published_at date,
    written_at date,
    index_no varchar,
    doc_no varchar,
    column_name varchar,
    topic varchar,
    content_source varchar,
    attachments varchar,
    etag varchar,
    last_modified varchar,
    text varchar not null,
    text_chars integer not null,
    run_id varchar,
    ingested_at timestamp not null,
    unique (document_key, sha256, meta_sha256)
);
"""
# old_key -> document_key: the keys a raw layer keyed by URL gave its documents, and their identity now
ALIASES_TABLE = """
create table if not exists document_aliases (
    source_id varchar not null,
    old_key varchar not null,
    document_key varchar not null,
    aliased_at timestamp not null,
    primary key (source_id, old_key)
);
"""
QUARANTINE_AND_VIEWS = (
    ALIASES_TABLE
    + """
-- where a document was found again without a new version: the site moved (scheme, host or port) and the text
-- did not change. Append-only; the newest address of a document is the one its citation shows.
create table if not exists document_locations (
    location_id varchar primary key,
    run_id varchar,
    source_id varchar not null,
    document_key varchar not null,
    url varchar not null,
    located_at timestamp not null
);
create table if not exists quarantine (
    quarantine_id varchar primary key,
    run_id varchar,
    source_id varchar not null,
    item varchar not null,
    stage varchar not null,
    error_kind varchar not null,
    error varchar not null,
    sha256 varchar,
    quarantined_at timestamp not null
);
create or replace view quarantine_open as
with latest as (
    select *, row_number() over (partition by source_id, item order by quarantined_at desc) as recency
    from quarantine
)
select quarantine_id, run_id, source_id, item, stage, error_kind, error, sha256, quarantined_at
from latest
where recency = 1
  and not exists (
      select 1 from documents d
      where (d.document_key = latest.item or d.url = latest.item) and d.ingested_at >= latest.quarantined_at
  )
  and not exists (
      select 1 from document_locations l where l.url = latest.item and l.located_at >= latest.quarantined_at
  );
-- the newest version of each document, kept as versions land (_CURRENT_OF_LANDED): a window over every
-- version grows with the store, and a build reads the view twenty times
create table if not exists current_versions (
    document_key varchar not null,
    version_id varchar not null
);
-- the url is the newest address of the document: its version's, or where it was found since
create or replace view documents_current as
with moved as (
    select document_key, url, located_at from document_locations
    qualify row_number() over (partition by document_key order by located_at desc, location_id desc) = 1
)
select documents.* replace (
    case when moved.located_at > documents.ingested_at then moved.url else documents.url end as url
)
from documents
left join moved on moved.document_key = documents.document_key
where documents.version_id in (select version_id from current_versions);
"""
)
# the newest version of each document_key in `keys`, by the order documents_current always had
NEWEST_OF = """
select document_key, version_id from documents
where document_key in ({keys})
qualify row_number() over (partition by document_key order by ingested_at desc, version_id) = 1
"""
SCHEMA = FETCH_LOG_TABLE + DOCUMENTS_TABLE + QUARANTINE_AND_VIEWS

DOCUMENT_COLUMNS = (
    "version_id",
    "document_key",
    "source_id",
    "kind",
    "format",
    "url",
    "file_name",
    "parent_key",
    "sha256",
    "text_sha256",
    "meta_sha256",
    "encoding",
    "title",
    "publisher",
    "source_region",
    "published_at",
    "written_at",
    "index_no",
    "doc_no",
    "column_name",
    "topic",
    "content_source",
    "attachments",
    "etag",
    "last_modified",
    "text",
    "text_chars",
    "run_id",
    "ingested_at",
)

FETCH_COLUMNS = (
    "fetch_id",
    "run_id",
    "source_id",
    "url",
    "method",
    "fetched_at",
    "http_status",
    "outcome",
    "sha256",
    "bytes",
    "content_type",
    "etag",
    "last_modified",
    "elapsed_ms",
    "error",
)


def migrate(con) -> None:
    _add_meta_sha256(con)
    _key_by_identity(con)
    # fetch_log.encoding was never filled (a document's encoding is on its documents row): dropped
    if con.execute(
        "select 1 from information_schema.columns where table_name = 'fetch_log' and column_name = 'encoding'"
    ).fetchall():
        con.execute("alter table fetch_log drop column encoding")


def fill_current_versions(con) -> None:
    """A raw layer made before current_versions was kept: fill it once from every stored version."""
    if con.execute("select 1 from current_versions limit 1").fetchall():
        return
    con.execute(f"insert into current_versions {NEWEST_OF.format(keys='select document_key from documents')}")


def _add_meta_sha256(con) -> None:
    """A raw layer made before versions knew their metadata: documents gets meta_sha256 (empty for the old
    rows, whose version ids stay) and the wider unique key. Append-only still: every row is kept."""
    columns = {
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns where table_name = 'documents'"
        ).fetchall()
    }
    if not columns or "meta_sha256" in columns:
        return
    con.execute("begin")
    con.execute("drop view if exists documents_current")
    con.execute("drop view if exists quarantine_open")
    con.execute("alter table documents rename to documents_before_meta")
    con.execute(DOCUMENTS_TABLE)
    kept = [name for name in DOCUMENT_COLUMNS if name != "meta_sha256"]
    con.execute(f"insert into documents ({', '.join(kept)}) select {', '.join(kept)} from documents_before_meta")
    con.execute("drop table documents_before_meta")
    con.execute("commit")


def _key_by_identity(con) -> None:
    """A raw layer keyed by URL (before documents were keyed by identity, warehouse/landing/identity.py): every
    document_key and parent_key that is a URL becomes the document's identity, the same document fetched from two
    addresses (a site that moved) one document whose newest version is current, and document_aliases keeps each
    old key beside its identity. The table is rebuilt as _add_meta_sha256 rebuilt it: every row and version id
    is kept. Detected from the rows, not the catalogue: a raw layer recovered from its journal has the old keys
    again, and is migrated again when it is next opened."""
    if not con.execute(
        "select 1 from information_schema.columns where table_name = 'documents' and column_name = 'parent_key'"
    ).fetchall():
        return
    keys = con.execute(
        f"""
        select distinct source_id, document_key from documents where regexp_matches(document_key, '{URL_KEY.pattern}')
        union
        select distinct source_id, parent_key from documents where regexp_matches(parent_key, '{URL_KEY.pattern}')
        """
    ).fetchall()
    aliased = set()
    if con.execute("select 1 from information_schema.tables where table_name = 'document_aliases'").fetchall():
        aliased = set(con.execute("select source_id, old_key from document_aliases").fetchall())
    aliases = []
    for source_id, old_key in set(keys) - aliased:  # an aliased key still here is a kept duplicate (below)
        try:
            aliases.append((source_id, old_key, document_identity(source_id, old_key)))
        except ValueError:  # an address that names no web document keeps its key
            continue
    if not aliases:
        return
    con.execute("begin")
    con.execute(ALIASES_TABLE)
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
    if con.execute("select 1 from information_schema.tables where table_name = 'current_versions'").fetchall():
        con.execute("delete from current_versions")
        con.execute(f"insert into current_versions {NEWEST_OF.format(keys='select document_key from documents')}")
    con.execute("commit")
