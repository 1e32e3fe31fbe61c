"""What a build does after dbt says it succeeded: drop what dbt left in the warehouse, and checkpoint it.

dbt-duckdb closes its connection at the end of a build, and DuckDB checkpoints on close, but a checkpoint that
fails there (a full disk) is not reported: dbt exits 0 and the build's changes sit in the WAL, to be lost with it
or replayed by the next reader. Checkpointing here, where a failure is an error, makes such a build fail.

Older builds left `<model>__dbt_tmp<timestamp>` tables of the incremental Python models (dbt-duckdb writes them
as real tables but drops only what it made as temporary ones; dbt_project/macros/python_model_temp_tables.sql
makes it drop them): any left from before are dropped here."""

from __future__ import annotations

from pathlib import Path

import duckdb

LEFTOVERS = "select schema_name, table_name from duckdb_tables() where table_name like '%\\_\\_dbt\\_tmp%' escape '\\'"


class BuildNotFinished(RuntimeError):
    """The warehouse could not be checkpointed after a build: the build failed."""


def finish_build(warehouse_path: Path | str) -> list[str]:
    """Drop leftover __dbt_tmp tables and checkpoint; returns the tables dropped. BuildNotFinished on failure."""
    try:
        con = duckdb.connect(str(warehouse_path))
    except duckdb.Error as error:
        raise BuildNotFinished(f"the build at {warehouse_path} could not be opened after dbt: {error}") from error
    try:
        dropped = [f"{schema}.{table}" for schema, table in con.execute(LEFTOVERS).fetchall()]
        for name in dropped:
            schema, table = name.split(".", 1)
            con.execute(f'drop table "{schema}"."{table}"')
        con.execute("force checkpoint")
    except duckdb.Error as error:
        raise BuildNotFinished(
            f"the build at {warehouse_path} could not be checkpointed ({str(error).splitlines()[0]}): "
            "its changes are not safely in the file; free disk space and build again"
        ) from error
    finally:
        con.close()
    return dropped
