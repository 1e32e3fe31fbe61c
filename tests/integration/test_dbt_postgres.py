"""The step after one DuckDB file, run for real: the same dbt project builds on PostgreSQL for every model that
depends on no DuckDB-only feature (selector `portable`); the others say which feature keeps them on DuckDB.
Skipped with the reason when PostgreSQL is not on 127.0.0.1:5432."""

from __future__ import annotations

import pytest

from tests.airflow.conftest import temporary_postgres_database
from tests.integration.conftest import land_seed_documents
from warehouse.landing.store import RawStore
from warehouse.postgres import libpq_dsn
from warehouse.settings import REPO_ROOT
from warehouse.transform.dbt_on_postgres import build_on_postgres

pytestmark = [pytest.mark.integration, pytest.mark.postgres]
PORTABLE_MODELS = {
    "int_documents_deduplicated",
    "stg_raw__documents",
    "stg_raw__document_names",
    "stg_raw__sources",
    "int_extraction_rules_hashed",
    "int_document_corrections",
    "int_fact_corrections_keyed",
    "dim_indicator",
    "dim_source",
    "dim_scope",
}


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory):
    return land_seed_documents(tmp_path_factory.mktemp("dbt-pg"))[1]


def test_the_portable_models_build_on_postgres(raw_dir, tmp_path):
    import psycopg2

    with temporary_postgres_database() as url:
        database = url.rsplit("/", 1)[1]
        process, results = build_on_postgres(raw_dir, database, tmp_path)
        assert process.returncode == 0, process.stdout[-4000:] + process.stderr[-2000:]
        statuses = {result["unique_id"]: result["status"] for result in results}
        assert set(statuses.values()) <= {"success", "pass"}, statuses
        models = {uid.split(".")[-1] for uid in statuses if uid.startswith("model.")}
        assert models == PORTABLE_MODELS
        seeds = len(list((REPO_ROOT / "dbt_project" / "seeds").glob("*.csv")))
        assert sum(uid.startswith("seed.") for uid in statuses) == seeds
        assert sum(uid.startswith("test.") for uid in statuses) >= 10

        con = psycopg2.connect(libpq_dsn(database))
        try:
            with con.cursor() as cursor:
                cursor.execute("select count(*) from marts.dim_indicator")
                indicators = cursor.fetchall()[0][0]
                cursor.execute("select source_id, documents from marts.dim_source")
                sources = dict(cursor.fetchall())
                cursor.execute("select col_description('marts.dim_indicator'::regclass, 1)")
                comment = cursor.fetchall()[0][0]
                # the seed's empty cell is NULL on PostgreSQL too; the dimension's whole is ''
                cursor.execute("select scope, scope_name_zh from marts.dim_scope order by sort_order")
                scopes = cursor.fetchall()
        finally:
            con.close()
    catalogue_rows = (
        len(
            (REPO_ROOT / "dbt_project" / "seeds" / "indicator_catalogue.csv")
            .read_text(encoding="utf-8")
            .strip()
            .splitlines()
        )
        - 1
    )
    assert indicators == catalogue_rows
    assert sum(sources.values()) == RawStore(raw_dir).query("select count(*) from documents_current")[0][0]
    assert comment, "column descriptions reach PostgreSQL as comments (persist_docs)"
    seeded = (REPO_ROOT / "dbt_project" / "seeds" / "scopes.csv").read_text(encoding="utf-8").strip().splitlines()
    assert scopes[:3] == [("", "全部"), ("urban", "城市"), ("rural", "农村")] and len(scopes) == len(seeded) - 1


def test_every_model_left_on_duckdb_names_its_duckdb_feature(manifest):
    models = {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    duckdb_only = {
        name: node["config"].get("meta", {}).get("duckdb_only", "")
        for name, node in models.items()
        if "duckdb_only" in node["config"]["tags"]
    }
    assert duckdb_only, "no model is tagged duckdb_only"
    assert all(duckdb_only.values()), f"tagged duckdb_only without meta.duckdb_only saying why: {duckdb_only}"
    scaling = (REPO_ROOT / "docs" / "scaling.md").read_text(encoding="utf-8")
    unlisted = sorted(name for name in duckdb_only if f"`{name}`" not in scaling)
    assert not unlisted, f"docs/scaling.md does not list these DuckDB-only models: {unlisted}"
