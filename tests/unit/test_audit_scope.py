"""What an audit validates against a published file (warehouse/release/audit/scope.py), on real DuckDB files: a
file published before the tables the scope reads is audited whole; an error that is not about such a file stops
the audit instead of turning silently into a scope."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.release.audit.scope import find_scope

REFERENCE_TABLES = """
create schema intermediate; create schema marts;
create table intermediate.int_extraction_rules_hashed as select 'rules-1' as rules_hash;
create table marts.dim_region as select '舟山市' as region_name;
create table marts.dim_indicator as select 'dibao_standard' as indicator_code;
"""


def _file(path, sql: str) -> str:
    con = duckdb.connect(str(path))
    con.execute(sql)
    con.close()
    return str(path)


@pytest.fixture
def candidate(tmp_path):
    con = duckdb.connect(_file(tmp_path / "candidate.duckdb", REFERENCE_TABLES), read_only=True)
    yield con
    con.close()


def test_no_published_file_audits_every_row(candidate, tmp_path):
    assert find_scope(candidate, tmp_path / "nothing.duckdb").full
    assert find_scope(candidate, None).full


def test_a_file_published_before_the_stamped_tables_is_audited_whole(candidate, tmp_path):
    published = _file(tmp_path / "old.duckdb", "create table t as select 1 as x")
    assert find_scope(candidate, published).full


def test_a_file_the_audit_cannot_read_stops_it(candidate, tmp_path):
    damaged = tmp_path / "damaged.duckdb"
    damaged.write_bytes(b"not a duckdb file" * 512)
    with pytest.raises(duckdb.Error):
        find_scope(candidate, damaged)
