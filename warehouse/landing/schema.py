"""The raw layer's tables and views as they are now, and the order of their columns. A raw layer gets them through
the numbered migrations of warehouse/landing/migrations.py, which also bring a raw layer made by older code up
to them."""

from __future__ import annotations

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
LOCATIONS_TABLE = """
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
"""
QUARANTINE_TABLE = """
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
"""
# the newest version of each document, kept as versions land (warehouse/landing/append.py): a window over every
# version grows with the store, and a build reads the view twenty times
CURRENT_VERSIONS_TABLE = """
create table if not exists current_versions (
    document_key varchar not null,
    version_id varchar not null
);
"""
VIEWS = """
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

# the newest version of each document_key in `keys`, by the order documents_current always had
NEWEST_OF = """
select document_key, version_id from documents
where document_key in ({keys})
qualify row_number() over (partition by document_key order by ingested_at desc, version_id) = 1
"""
TABLES = FETCH_LOG_TABLE + DOCUMENTS_TABLE + ALIASES_TABLE + LOCATIONS_TABLE + QUARANTINE_TABLE + CURRENT_VERSIONS_TABLE

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
