"""The local PostgreSQL (warehouse.settings: 127.0.0.1:5432, trust authentication) for Airflow's metadata, the
dbt build on PostgreSQL and the BI serving copy: connection strings, databases, and copies of a DuckDB schema
into a PostgreSQL schema that replace it in one transaction.

A server that does not take a connection (`connect`, `ensure_database`) raises Unreachable: one line naming
where PostgreSQL was looked for and the setting that points there."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.settings import POSTGRES_HOST as HOST
from warehouse.settings import POSTGRES_PORT as PORT
from warehouse.settings import POSTGRES_USER as USER

PG_SETTINGS = "MINZHENG_PG_HOST/MINZHENG_PG_PORT"
# a host that drops packets would otherwise hold a publish for as long as the kernel retries
CONNECT_TIMEOUT = 10


class Unreachable(RuntimeError):
    """PostgreSQL did not take a connection; the message says where it was looked for and which setting."""


def connect(dsn: str, setting: str):
    """A psycopg2 connection to `dsn`, which the variable `setting` configures (named when it fails)."""
    import psycopg2

    try:
        if "connect_timeout" in dsn:
            return psycopg2.connect(dsn)
        return psycopg2.connect(dsn, connect_timeout=CONNECT_TIMEOUT)
    except psycopg2.OperationalError as exc:
        raise Unreachable(unreachable_message(dsn, setting, exc)) from exc


def unreachable_message(dsn: str, setting: str, exc: BaseException) -> str:
    """One line: PostgreSQL at 127.0.0.1:5999 (MINZHENG_ANALYTICS_PG) refused the connection, and the like."""
    from psycopg2.extensions import parse_dsn

    try:
        params = parse_dsn(dsn)
    except Exception:  # a malformed string still gets a message that names its setting
        params = {}
    where = f"{params.get('host') or 'the local socket'}:{params.get('port') or 5432}"
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    if "refused" in text:
        why = "refused the connection"
    elif "timeout expired" in text or "timed out" in text:
        why = "did not answer"
    else:
        why = "turned the connection down: " + first.split(" failed: ", 1)[-1].strip()
    return f"PostgreSQL at {where} ({setting}) {why}"


def sqlalchemy_url(name: str, host: str = HOST, port: int = PORT, user: str = USER) -> str:
    return f"postgresql+psycopg2://{user}@{host}:{port}/{name}"


def libpq_dsn(name: str, host: str = HOST, port: int = PORT, user: str = USER) -> str:
    """The same database as a libpq connection string (psycopg2, MINZHENG_ANALYTICS_PG)."""
    return f"host={host} port={port} user={user} dbname={name}"


def admin_connection(host: str = HOST, port: int = PORT, user: str = USER):
    """An autocommit connection to the `postgres` database (creating and dropping databases). Raises
    psycopg2.OperationalError as it comes (the tests' skip checks read it); ensure_database says it in one line."""
    import psycopg2

    admin = psycopg2.connect(host=host, port=port, user=user, dbname="postgres", connect_timeout=5)
    admin.autocommit = True
    return admin


def ensure_database(name: str, host: str = HOST, port: int = PORT, user: str = USER) -> str:
    """The SQLAlchemy URL of database `name`, created if missing."""
    import psycopg2

    try:
        admin = admin_connection(host, port, user)
    except psycopg2.OperationalError as exc:
        raise Unreachable(unreachable_message(libpq_dsn("postgres", host, port, user), PG_SETTINGS, exc)) from exc
    try:
        with admin.cursor() as cursor:
            cursor.execute("select 1 from pg_database where datname = %s", [name])
            if not cursor.fetchall():
                cursor.execute(f'create database "{name}"')
    finally:
        admin.close()
    return sqlalchemy_url(name, host, port, user)


TYPES = {
    "VARCHAR": "text",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "BOOLEAN": "boolean",
    "FLOAT": "real",
    "SMALLINT": "smallint",
    "HUGEINT": "numeric",
}


@dataclass
class Table:
    name: str
    comment: str | None
    columns: list[tuple[str, str, str | None]]  # name, PostgreSQL type, comment


def _pg_type(duckdb_type: str) -> str:
    if duckdb_type.startswith("DECIMAL"):
        return duckdb_type.replace("DECIMAL", "numeric")
    return TYPES.get(duckdb_type, "text")


def _tables(con: duckdb.DuckDBPyConnection, schema: str, only: tuple[str, ...] | None = None) -> list[Table]:
    rows = con.execute(
        """
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
    """,
        {"schema": schema},
    ).fetchall()
    tables: dict[str, Table] = {}
    for table, table_comment, column, data_type, column_comment in rows:
        if only is not None and table not in only:
            continue
        tables.setdefault(table, Table(table, table_comment or None, [])).columns.append(
            (column, _pg_type(data_type), column_comment or None)
        )
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
    cursor.copy_expert(f"copy {schema}.\"{table.name}\" ({columns}) from stdin with (format csv, null '\\N')", buffer)
    return len(frame)


def copy_schema(
    duckdb_path: Path | str,
    source_schema: str,
    dsn: str,
    schema: str,
    only: tuple[str, ...] | None = None,
    bi_role: str | None = None,
    setting: str = PG_SETTINGS,
) -> dict[str, int]:
    """Copy the tables and views of DuckDB schema `source_schema` (or those named in `only`) into PostgreSQL
    schema `schema`, replacing it in one transaction; `bi_role`, if given, may read them. `setting` is the
    variable `dsn` came from, named if PostgreSQL does not take the connection."""
    from psycopg2 import sql

    con = duckdb.connect(str(duckdb_path), read_only=True)
    incoming = f"{schema}_incoming"
    counts: dict[str, int] = {}
    try:
        tables = _tables(con, source_schema, only)
        pg = connect(dsn, setting)
        try:
            with pg, pg.cursor() as cursor:
                # a BI session holding the old schema for long makes the swap wait; give up loudly, not forever
                cursor.execute("set local lock_timeout = '60s'")
                cursor.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(incoming)))
                cursor.execute(sql.SQL("create schema {}").format(sql.Identifier(incoming)))
                for table in tables:
                    columns = sql.SQL(", ").join(
                        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(pg_type))
                        for name, pg_type, _ in table.columns
                    )
                    target = sql.Identifier(incoming, table.name)
                    cursor.execute(sql.SQL("create table {} ({})").format(target, columns))
                    counts[table.name] = _copy(cursor, con, source_schema, incoming, table)
                    if table.comment:
                        cursor.execute(sql.SQL("comment on table {} is %s").format(target), [table.comment])
                    for name, _, comment in table.columns:
                        if comment:
                            cursor.execute(
                                sql.SQL("comment on column {} is %s").format(
                                    sql.Identifier(incoming, table.name, name)
                                ),
                                [comment],
                            )
                if bi_role:
                    _ensure_role(cursor, bi_role)
                    cursor.execute(
                        sql.SQL("grant usage on schema {} to {}").format(
                            sql.Identifier(incoming), sql.Identifier(bi_role)
                        )
                    )
                    cursor.execute(
                        sql.SQL("grant select on all tables in schema {} to {}").format(
                            sql.Identifier(incoming), sql.Identifier(bi_role)
                        )
                    )
                cursor.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(schema)))
                cursor.execute(
                    sql.SQL("alter schema {} rename to {}").format(sql.Identifier(incoming), sql.Identifier(schema))
                )
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
        cursor.execute(
            sql.SQL("create role {} login nosuperuser nocreatedb nocreaterole noinherit").format(sql.Identifier(role))
        )
        cursor.execute("select current_database()")
        database = cursor.fetchall()[0][0]
        cursor.execute(sql.SQL("revoke create on schema public from {}").format(sql.Identifier(role)))
        cursor.execute(
            sql.SQL("grant connect on database {} to {}").format(sql.Identifier(database), sql.Identifier(role))
        )
