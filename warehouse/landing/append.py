"""One batch of rows appended to the raw tables in one transaction, journaled with it (warehouse/landing/journal.py).
Called by the writer only (warehouse/landing/writer.py), with rows it made from admitted records."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.landing import journal
from warehouse.landing.rows import Row
from warehouse.landing.schema import DOCUMENT_COLUMNS, FETCH_COLUMNS, NEWEST_OF

_INSERT_FETCH = f"insert into fetch_log ({', '.join(FETCH_COLUMNS)}) values ({', '.join('?' * len(FETCH_COLUMNS))})"
_DOCUMENT_LIST = ", ".join(DOCUMENT_COLUMNS)
# A batch lands in one statement: the incoming rows whose version is neither stored nor earlier in the batch.
# The anti-join is on both keys of the table, so that the plain insert cannot conflict: row by row, each insert
# pays a statement's overhead, and `insert or ignore` costs far more than a plain insert, more as versions are stored.
_NEW_IN_BATCH = """
select position from incoming
where version_id not in (select version_id from documents where version_id in (select version_id from incoming))
  and not exists (
      select 1 from documents as stored
      where stored.document_key = incoming.document_key and stored.sha256 = incoming.sha256
        and stored.meta_sha256 = incoming.meta_sha256
  )
qualify row_number() over (partition by version_id order by position) = 1
    and row_number() over (partition by document_key, sha256, meta_sha256 order by position) = 1
"""
_INSERT_NEW = (
    f"insert into documents ({_DOCUMENT_LIST}) "
    f"select {_DOCUMENT_LIST} from incoming where position in (select unnest($new)) order by position"
)


@dataclass
class Batch:
    fetches: list[Row] = field(default_factory=list)
    documents: list[Row] = field(default_factory=list)
    quarantine: list[Row] = field(default_factory=list)
    locations: list[Row] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.fetches) + len(self.documents) + len(self.quarantine) + len(self.locations)


def append(con: duckdb.DuckDBPyConnection, root: Path, batch: Batch) -> list[bool]:
    """Append the batch in one transaction. A document version already stored is skipped; the result says, per
    document row, whether it was new."""
    added: list[bool] = []
    journaled = journal.Batch(root)
    con.execute("begin")
    try:
        if batch.fetches:
            con.executemany(_INSERT_FETCH, batch.fetches)
        if batch.documents:
            added = _append_documents(con, batch.documents)
        if batch.quarantine:
            con.executemany("insert into quarantine values (?, ?, ?, ?, ?, ?, ?, ?, ?)", batch.quarantine)
        if batch.locations:
            con.executemany("insert into document_locations values (?, ?, ?, ?, ?, ?)", batch.locations)
        journaled.add(con, "fetch_log", [str(row[0]) for row in batch.fetches])
        journaled.add(con, "documents", [str(row[0]) for row, new in zip(batch.documents, added) if new])
        journaled.add(con, "quarantine", [str(row[0]) for row in batch.quarantine])
        journaled.add(con, "document_locations", [str(row[0]) for row in batch.locations])
        con.execute("commit")
    except BaseException:
        journaled.discard()  # the transaction rolls back when the connection closes
        raise
    return added


def _append_documents(con: duckdb.DuckDBPyConnection, documents: list[Row]) -> list[bool]:
    con.execute("create or replace temp table incoming as select *, 0 as position from documents limit 0")
    incoming = pa.table(
        {name: [row[index] for row in documents] for index, name in enumerate(DOCUMENT_COLUMNS)}
        | {"position": list(range(len(documents)))}
    )
    con.register("incoming_rows", incoming)
    con.execute("insert into incoming by name select * from incoming_rows")
    con.unregister("incoming_rows")
    new = {position for (position,) in con.execute(_NEW_IN_BATCH).fetchall()}
    con.execute(_INSERT_NEW, {"new": sorted(new)})
    landed = "select document_key from incoming where position in (select unnest($new))"
    con.execute(f"delete from current_versions where document_key in ({landed})", {"new": sorted(new)})
    con.execute(f"insert into current_versions {NEWEST_OF.format(keys=landed)}", {"new": sorted(new)})
    con.execute("drop table incoming")
    return [position in new for position in range(len(documents))]
