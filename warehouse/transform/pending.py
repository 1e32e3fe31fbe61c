"""Which document versions an incremental Python model still has to process, asked so that DuckDB reads the text
of those versions only. Their ids are asked first, on the narrow columns; when they are few they are written out
as constants, the one form of filter DuckDB takes down into the raw table's scan (an anti-join, or a semi-join on
a subquery, reads every text). dbt_project/macros/versions_to_process.sql is the same rule for the SQL models."""

WRITTEN_OUT_MAX = 1000


def versions_to_process(session, versions_sql: str, done_sql: str) -> tuple[str, int]:
    """A where clause keeping the rows of versions (a query with a version_id column) whose version done_sql
    (a query of version ids) does not list, and how many versions it keeps."""
    pending = session.sql(f"select version_id from ({versions_sql}) where version_id not in ({done_sql})").fetchall()
    if len(pending) > WRITTEN_OUT_MAX:
        return f"version_id not in ({done_sql})", len(pending)
    constants = ", ".join(_quoted(version_id) for (version_id,) in pending)
    return f"version_id in ({constants or 'null'})", len(pending)


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
