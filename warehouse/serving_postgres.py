"""A PostgreSQL copy of the published marts for BI tools that speak PostgreSQL (schema `analytics`).

The serving DuckDB file stays the embedded default; this copy is made after each publish when
MINZHENG_ANALYTICS_PG (a libpq connection string, e.g. "host=127.0.0.1 dbname=warehouse user=postgres") is set.

One transaction: the marts are loaded into a fresh schema `analytics_incoming`, the old `analytics` is
dropped and the new one renamed into its place, and the read-only BI role is granted SELECT. PostgreSQL's
DDL is transactional, so a reader sees the whole previous load or the whole new one, never half of either.
Table and column comments (the dbt descriptions) travel with the data.
"""

from __future__ import annotations

import io
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)
SCHEMA = "analytics"
BI_ROLE = os.environ.get("MINZHENG_BI_ROLE", "bi_reader")
TYPES = {"VARCHAR": "text", "BIGINT": "bigint", "INTEGER": "integer", "DOUBLE": "double precision",
         "DATE": "date", "TIMESTAMP": "timestamp", "TIMESTAMP WITH TIME ZONE": "timestamptz", "BOOLEAN": "boolean",
         "FLOAT": "real", "SMALLINT": "smallint", "HUGEINT": "numeric"}


@dataclass
class Table:
    name: str
    comment: str | None
    columns: list[tuple[str, str, str | None]]  # name, PostgreSQL type, comment


def configured_dsn() -> str | None:
    return os.environ.get("MINZHENG_ANALYTICS_PG") or None


def _pg_type(duckdb_type: str) -> str:
    if duckdb_type.startswith("DECIMAL"):
        return duckdb_type.replace("DECIMAL", "numeric")
    return TYPES.get(duckdb_type, "text")


def _tables(con: duckdb.DuckDBPyConnection, schema: str, only: tuple[str, ...] | None = None) -> list[Table]:
    rows = con.execute("""
        select t.table_name, t.comment, c.column_name, c.data_type, c.comment
        from duckdb_tables() as t
        inner join duckdb_columns() as c using (database_name, schema_name, table_name)
        where t.schema_name = $schema and t.database_name = current_database()
        union all
        select v.view_name, v.comment, c.column_name, c.data_type, c.comment
        from duckdb_views() as v
        inner join duckdb_columns() as c on c.database_name = v.database_name
            and c.schema_name = v.schema_name and c.table_name = v.view_name
        where v.schema_name = $schema and v.database_name = current_database()
        order by 1
    """, {"schema": schema}).fetchall()
    tables: dict[str, Table] = {}
    for table, table_comment, column, data_type, column_comment in rows:
        if only is not None and table not in only:
            continue
        tables.setdefault(table, Table(table, table_comment or None, [])).columns.append(
            (column, _pg_type(data_type), column_comment or None))
    for table in tables.values():  # keep the warehouse's column order
        order = [row[0] for row in con.execute(f'select * from "{schema}"."{table.name}" limit 0').description]
        table.columns.sort(key=lambda column: order.index(column[0]))
    return list(tables.values())


def _copy(cursor, con: duckdb.DuckDBPyConnection, source_schema: str, schema: str, table: Table) -> int:
    frame = con.execute(f'select * from "{source_schema}"."{table.name}"').df()
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, header=False, na_rep="\\N")
    buffer.seek(0)
    columns = ", ".join(f'"{name}"' for name, _, _ in table.columns)
    cursor.copy_expert(f'copy {schema}."{table.name}" ({columns}) from stdin with (format csv, null \'\\N\')', buffer)
    return len(frame)


def mirror_marts(serving_path: Path | str, dsn: str, schema: str = SCHEMA, bi_role: str = BI_ROLE) -> dict[str, int]:
    """Copy every table and view of the serving file's `marts` schema into PostgreSQL schema `schema`."""
    counts = mirror_schema(serving_path, "marts", dsn, schema, bi_role=bi_role)
    log.info("mirrored marts into PostgreSQL schema %s: %s", schema, counts)
    return counts


def mirror_schema(duckdb_path: Path | str, source_schema: str, dsn: str, schema: str,
                  only: tuple[str, ...] | None = None, bi_role: str | None = None) -> dict[str, int]:
    """Copy the tables and views of DuckDB schema `source_schema` (or those named in `only`) into PostgreSQL
    schema `schema`, replacing it in one transaction; `bi_role`, if given, may read them."""
    import psycopg2
    from psycopg2 import sql

    con = duckdb.connect(str(duckdb_path), read_only=True)
    incoming = f"{schema}_incoming"
    counts: dict[str, int] = {}
    try:
        tables = _tables(con, source_schema, only)
        pg = psycopg2.connect(dsn)
        try:
            with pg, pg.cursor() as cursor:
                # a BI session holding the old schema for long makes the swap wait; give up loudly, not forever
                cursor.execute("set local lock_timeout = '60s'")
                cursor.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(incoming)))
                cursor.execute(sql.SQL("create schema {}").format(sql.Identifier(incoming)))
                for table in tables:
                    columns = sql.SQL(", ").join(
                        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(pg_type)) for name, pg_type, _ in table.columns)
                    target = sql.Identifier(incoming, table.name)
                    cursor.execute(sql.SQL("create table {} ({})").format(target, columns))
                    counts[table.name] = _copy(cursor, con, source_schema, incoming, table)
                    if table.comment:
                        cursor.execute(sql.SQL("comment on table {} is %s").format(target), [table.comment])
                    for name, _, comment in table.columns:
                        if comment:
                            cursor.execute(sql.SQL("comment on column {} is %s").format(
                                sql.Identifier(incoming, table.name, name)), [comment])
                if bi_role:
                    _ensure_role(cursor, bi_role)
                    cursor.execute(sql.SQL("grant usage on schema {} to {}").format(sql.Identifier(incoming),
                                                                                      sql.Identifier(bi_role)))
                    cursor.execute(sql.SQL("grant select on all tables in schema {} to {}").format(
                        sql.Identifier(incoming), sql.Identifier(bi_role)))
                cursor.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(schema)))
                cursor.execute(sql.SQL("alter schema {} rename to {}").format(sql.Identifier(incoming),
                                                                              sql.Identifier(schema)))
        finally:
            pg.close()
    finally:
        con.close()
    return counts


def _ensure_role(cursor, role: str) -> None:
    """The BI role logs in and reads; it owns nothing and may create nothing (its password, if any, is set
    by whoever runs PostgreSQL — trust authentication on 127.0.0.1 needs none)."""
    from psycopg2 import sql

    cursor.execute("select 1 from pg_roles where rolname = %s", [role])
    if not cursor.fetchall():
        cursor.execute(sql.SQL("create role {} login nosuperuser nocreatedb nocreaterole noinherit").format(
            sql.Identifier(role)))
        cursor.execute("select current_database()")
        database = cursor.fetchall()[0][0]
        cursor.execute(sql.SQL("revoke create on schema public from {}").format(sql.Identifier(role)))
        cursor.execute(sql.SQL("grant connect on database {} to {}").format(sql.Identifier(database),
                                                                             sql.Identifier(role)))
