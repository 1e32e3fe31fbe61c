"""Whether a DuckDB file may be served: it opens, holds the fact table BI tools read, and every block of every
table reads back.

`count(*)` is no proof: DuckDB answers it from the table's metadata, so a file cut short after its metadata
passes it while every read of the rows behind fails ("Could not read enough bytes"). Only reading the rows
proves them: every column of every table is hashed, which makes DuckDB read each data block, and a block is
checked against its checksum as it is read. The views of `marts`, which BI tools read, are bound (one over a
table the file lacks fails), not run: they read the tables already read. Views of the other schemas are not:
the staging views name the raw layer, which is attached during a build only.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

FACT_TABLE = ("marts", "fct_indicator_values")


class NotServable(RuntimeError):
    """A file that is not a warehouse BI tools can read."""


def check_servable(path: Path) -> None:
    """Raise NotServable, saying why in one line, unless `path` is a whole warehouse."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        raise NotServable(f"{path} is missing or empty")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise NotServable(f"{path} is not a warehouse BI tools can read: {_first_line(exc)}") from exc
    try:
        _read_everything(con, path)
    finally:
        con.close()


def is_servable(path: Path) -> bool:
    try:
        check_servable(path)
    except NotServable:
        return False
    return True


def _read_everything(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    try:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database() order by all"
        ).fetchall()
        views = con.execute(
            "select schema_name, view_name from duckdb_views() where database_name = current_database()"
            " and schema_name = $schema and not internal order by all",
            {"schema": FACT_TABLE[0]},
        ).fetchall()
    except duckdb.Error as exc:
        raise NotServable(f"{path} is damaged: its catalogue does not read ({_first_line(exc)})") from exc
    if FACT_TABLE not in tables:
        raise NotServable(f"{path} holds no {'.'.join(FACT_TABLE)}: it is not a published warehouse")
    for schema, name in tables:
        _read(con, path, schema, name, f'select bit_xor(hash(row_data)) from "{schema}"."{name}" as row_data')
    for schema, name in views:
        _read(con, path, schema, name, f'select * from "{schema}"."{name}" limit 0')


def _read(con: duckdb.DuckDBPyConnection, path: Path, schema: str, name: str, query: str) -> None:
    try:
        con.execute(query).fetchall()
    except duckdb.Error as exc:
        raise NotServable(f"{path} is damaged: reading {schema}.{name} failed ({_first_line(exc)})") from exc


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
