"""Write-audit-publish: only an audited candidate reaches the serving file, atomically."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import uuid
from pathlib import Path

import duckdb
import pytest

from tests.integration.conftest import land_seed_documents
from warehouse.release.audit import audit
from warehouse.release.publish import Paths, publish_candidate, rollback
from warehouse.release.readers import open_published
from warehouse.release.steps import AuditFailed, build, write_audit_publish

pytestmark = pytest.mark.integration


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fact_count(path) -> int:
    con = open_published(path)
    try:
        return con.execute("select count(*) from marts.fct_indicator_values").fetchall()[0][0]
    finally:
        con.close()


def tampered(paths: Paths, folder: Path) -> Paths:
    """A fresh build's candidate copied, to be tampered with: the fact tables are incremental, so a row written
    into the shared candidate would stay there for the tests after."""
    build(paths)
    copy = folder / "tampered.duckdb"
    shutil.copyfile(paths.build, copy)
    return Paths(raw=paths.raw, build=copy, serving=paths.serving)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The seed documents built, audited and published once."""
    root = tmp_path_factory.mktemp("wap")
    docs, raw = land_seed_documents(root)
    paths = Paths(raw=raw, build=root / "build" / "warehouse.duckdb", serving=root / "serving" / "warehouse.duckdb")
    report = write_audit_publish(paths)
    return root, docs, paths, report


def test_a_clean_build_is_audited_and_published(published):
    _, _, paths, report = published
    assert report.success and not report.failures
    assert report.row_counts["marts_facts"] == fact_count(paths.serving) > 100
    assert report.data_docs.exists()


def test_after_a_publish_the_audit_validates_only_what_the_build_made_or_changed(published, tmp_path):
    """The gate's work follows the build's: an unchanged rebuild validates no fact, one fact the build wrote again
    (its refreshed_at newer than the published file's) validates the facts of its document, and the whole table
    still counts against the published facts."""
    _, _, paths, _ = published
    build(paths)
    unchanged = audit(paths.build, paths.raw, serving_path=paths.serving)
    assert unchanged.success and unchanged.row_counts["marts_facts"] == 0
    assert unchanged.scope.startswith("0 document versions")
    assert unchanged.figures()["facts_published"] == fact_count(paths.serving)
    paths = tampered(paths, tmp_path)
    con = duckdb.connect(str(paths.build))
    (document, facts_of_document) = con.execute(
        "select document_id, count(*) from marts.fct_indicator_values group by all order by 2 desc limit 1"
    ).fetchall()[0]
    con.execute(  # as a build writes a fact: with the build's stamp
        "update marts.fct_indicator_values set value = value + 1, refreshed_at = now() where indicator_value_id = "
        "(select min(indicator_value_id) from marts.fct_indicator_values where document_id = ?)",
        [document],
    )
    con.close()
    changed = audit(paths.build, paths.raw, serving_path=paths.serving)
    assert changed.row_counts["marts_facts"] == facts_of_document
    assert changed.scope.startswith("1 document versions")
    assert changed.table_rows["marts_facts"] == fact_count(paths.serving)


def test_an_implausible_value_is_refused_and_serving_stays_as_it_was(published, tmp_path):
    """Extraction already drops values outside the plausible ranges; the gate holds the candidate to them
    again, whatever wrote it."""
    _, _, paths, _ = published
    before = digest(paths.serving)
    paths = tampered(paths, tmp_path)
    con = duckdb.connect(str(paths.build))
    con.execute(  # as a faulty build would write them: with its stamp
        "update marts.fct_indicator_values set value = 9, refreshed_at = now() where indicator_code = 'dibao_standard'"
    )
    con.close()
    with pytest.raises(AuditFailed) as refused:
        write_audit_publish(paths, build_first=False)
    failures = refused.value.report.failures
    [implausible] = [f for f in failures if f.suite == "marts_facts" and "a_to_be_greater_than_b" in f.expectation]
    assert 9.0 in implausible.examples[0]
    # the documents behind the failing rows, by title and document id, for the Airflow Asset event
    con = duckdb.connect(str(paths.build), read_only=True)
    behind = con.execute(
        "select distinct coalesce(d.title || ' (' || d.document_id || ')', d.document_id) "
        "from marts.fct_indicator_values as f inner join marts.dim_document as d using (document_id) "
        "where f.indicator_code = 'dibao_standard'"
    ).fetchall()
    con.close()
    assert implausible.documents and set(implausible.documents) <= {row[0] for row in behind}
    figures = refused.value.report.figures()
    assert figures["audit"] == "FAILED" and figures["facts_published"] == 0
    assert {"suite": "marts_facts", "column": "value,plausible_min", "documents": implausible.documents}.items() <= (
        next(f for f in figures["failed_expectations"] if f["expectation"] == implausible.expectation).items()
    )
    assert digest(paths.serving) == before


def test_unknown_regions_and_duplicated_facts_are_named_in_the_refusal(published, tmp_path):
    _, _, paths, _ = published
    before = digest(paths.serving)
    paths = tampered(paths, tmp_path)
    con = duckdb.connect(str(paths.build))
    con.execute(  # rows as a faulty build would write them: with its stamp
        "insert into marts.fct_indicator_values select * replace ('火星市' as region_name, "
        "md5(indicator_value_id) as indicator_value_id, now() as refreshed_at) from marts.fct_indicator_values limit 1"
    )
    con.execute(
        "insert into marts.fct_indicator_values select * replace (md5(indicator_value_id || 'x') as "
        "indicator_value_id, now() as refreshed_at) from marts.fct_indicator_values where region_name <> '火星市' "
        "limit 1"
    )
    con.close()
    with pytest.raises(AuditFailed) as refused:
        write_audit_publish(paths, build_first=False)
    failed = {(f.suite, f.expectation) for f in refused.value.report.failures}
    assert ("marts_facts", "expect_column_values_to_be_in_set") in failed  # 火星市 is in no dim_region
    assert ("marts_facts", "expect_compound_columns_to_be_unique") in failed
    assert "火星市" in refused.value.report.summary()
    assert digest(paths.serving) == before


def test_a_fact_without_a_known_scope_is_refused_and_parts_are_no_duplicates(published, tmp_path):
    """A fact's scope is '' for the whole or one of dim_scope's parts, never NULL; a fact copied with another
    scope is another fact (FACTS.md keys facts on scope), a copy with the same scope a duplicate."""
    _, _, paths, _ = published
    paths = tampered(paths, tmp_path)
    con = duckdb.connect(str(paths.build))
    fact = "(select min(indicator_value_id) from marts.fct_indicator_values where scope = '')"
    for scope in ("rural", "suburban", None):  # as a faulty build would write them: with its stamp
        con.execute(
            "insert into marts.fct_indicator_values select * replace (md5(indicator_value_id || coalesce(?, 'null'))"
            f" as indicator_value_id, ? as scope, now() as refreshed_at) from marts.fct_indicator_values"
            f" where indicator_value_id = {fact}",
            [scope, scope],
        )
    con.close()
    with pytest.raises(AuditFailed) as refused:
        write_audit_publish(paths, build_first=False)
    failed = {(f.expectation, f.column): f for f in refused.value.report.failures if f.suite == "marts_facts"}
    assert set(failed) == {
        ("expect_column_values_to_be_in_set", "scope"),
        ("expect_column_values_to_not_be_null", "scope"),
    }
    assert failed[("expect_column_values_to_be_in_set", "scope")].examples == ["suburban"]


def test_readers_that_open_published_never_see_an_error_or_half_a_publish(published, tmp_path):
    _, _, paths, _ = published
    old = fact_count(paths.serving)
    same = tmp_path / "same.duckdb"
    shutil.copyfile(paths.serving, same)
    alternate = tmp_path / "other.duckdb"
    shutil.copyfile(paths.serving, alternate)
    con = duckdb.connect(str(alternate))
    con.execute("delete from marts.fct_indicator_values where indicator_code = 'dibao_standard'")
    con.close()
    smaller = fact_count(alternate)
    errors, seen, stop = [], set(), threading.Event()

    def reader():
        while not stop.is_set():
            try:
                seen.add(fact_count(paths.serving))
            except Exception as exc:
                errors.append(repr(exc))

    readers = [threading.Thread(target=reader) for _ in range(3)]
    for thread in readers:
        thread.start()
    for swap in range(10):
        publish_candidate(Paths(raw=paths.raw, build=alternate if swap % 2 else same, serving=paths.serving))
    stop.set()
    for thread in readers:
        thread.join()
    assert errors == []
    assert seen <= {old, smaller} and seen


def test_rollback_restores_the_previous_version(published):
    _, _, paths, _ = published
    current = digest(paths.serving)
    previous = digest(paths.previous)
    rollback(paths)
    assert digest(paths.serving) == previous and digest(paths.previous) == current


def test_data_docs_render_in_a_browser(published, chromium):
    """The audit's Data Docs open in headless Chromium with no network and look as GX designed them: Bootstrap's
    styles, the index's bootstrap-table and Font Awesome's icons come from the site's own static/vendor/."""
    from tests.conftest import offline_only, screenshot_path

    _, _, _, report = published
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    offline_only(page)
    refused = []
    page.on("requestfailed", lambda request: refused.append(request.url))
    page.goto(report.data_docs.as_uri())
    page.wait_for_selector(".bootstrap-table")  # the index's table was drawn by bootstrap-table's JS
    assert "Validation Results" in page.inner_text("body")
    page.screenshot(path=screenshot_path("data-docs-index.png"), full_page=False)
    page.goto(report.validation_pages["marts_facts"].as_uri())
    page.evaluate("document.fonts.ready")
    text = page.inner_text("body")
    assert "marts_facts" in text and "Succeeded" in text
    assert "Data asset: marts.fct_indicator_values" in text  # the layer and table, not None
    assert "/publish-" in report.validation_pages["marts_facts"].as_uri()  # the run is named, not __none__
    for column in ("value_type", "region_name", "evidence_has_mention", "rate_value"):
        assert column in text
    # computed styles, not text: Bootstrap's reboot sets the system font stack and its card a rounded border
    assert "Segoe UI" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert page.evaluate("getComputedStyle(document.querySelector('.card')).borderTopLeftRadius") == "4px"
    assert page.evaluate("""document.fonts.check('900 16px "Font Awesome 6 Free"')""")
    assert page.evaluate("[...document.fonts].some(f => f.family.includes('Font Awesome') && f.status == 'loaded')")
    assert not refused, f"requests that needed the network: {refused}"
    page.screenshot(path=screenshot_path("data-docs-marts-facts.png"), full_page=False)
    page.close()


@pytest.fixture
def analytics_database():
    """A throw-away PostgreSQL database and BI role; skipped when PostgreSQL is down."""
    from tests.airflow.conftest import temporary_postgres_database
    from warehouse.postgres import libpq_dsn

    role = f"bi_reader_{uuid.uuid4().hex[:6]}"
    with temporary_postgres_database() as url:
        dsn = libpq_dsn(url.rsplit("/", 1)[1])
        yield dsn, role
        import psycopg2

        with psycopg2.connect(dsn) as con, con.cursor() as cursor:
            cursor.execute(f"drop schema if exists analytics cascade; drop owned by {role}; drop role {role}")


@pytest.mark.postgres
def test_the_marts_are_mirrored_into_postgres_for_bi_tools(published, analytics_database):
    import psycopg2

    from warehouse.release.postgres_copy import copy_marts

    _, _, paths, _ = published
    dsn, role = analytics_database
    counts = copy_marts(paths.serving, dsn, bi_role=role)
    assert counts["fct_indicator_values"] == fact_count(paths.serving)
    assert set(counts) >= {
        "dim_indicator",
        "dim_region",
        "dim_period",
        "dim_document",
        "dim_source",
        "mart_target_attainment",
        "mart_indicator_values",
        "mart_latest_indicator_values",
        "dim_scope",
        "indicator_facts",
    }
    con = psycopg2.connect(dsn + f" user={role}")
    with con, con.cursor() as cursor:
        # the scope dimension, the whole as '' (COPY must not turn it into NULL), and a scope in every fact mart
        cursor.execute("select scope, scope_name_zh from analytics.dim_scope order by sort_order")
        scopes = cursor.fetchall()
        assert scopes[0] == ("", "全部") and ("rural+dispersed", "农村分散供养") in scopes
        cursor.execute(
            "select table_name, col_description(format('analytics.%I', table_name)::regclass, ordinal_position)"
            " from information_schema.columns where table_schema = 'analytics' and column_name = 'scope'"
        )
        described = dict(cursor.fetchall())
        assert set(described) >= {name for name in counts if name.startswith(("fct_", "mart_"))} | {"dim_scope"}
        assert all(described[name] for name in described if name != "indicator_facts"), described
        for name in described:
            cursor.execute(f"select count(*) from analytics.{name} where scope is null")
            assert cursor.fetchall() == [(0,)], name
        cursor.execute("select distinct scope_name from analytics.mart_indicator_values where scope = ''")
        assert cursor.fetchall() == [("全部",)]
        cursor.execute(
            "select value from analytics.indicator_facts where region = '舟山市' and "
            "indicator_code = 'dibao_standard' and period = '2025' and value_type = 'target'"
        )
        assert cursor.fetchall() == [(14000.0,)]
        cursor.execute("select col_description('analytics.fct_indicator_values'::regclass, 1)")
        assert cursor.fetchall()[0][0], "column descriptions travel with the data"
        for statement in (
            "insert into analytics.dim_source (source_id) values ('x')",
            "create table analytics.scratch (x int)",
            "create table public.scratch (x int)",
        ):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cursor.execute(statement)
            con.rollback()
    con.close()


@pytest.mark.postgres
def test_postgres_readers_see_the_old_load_or_the_new_never_half(published, analytics_database):
    import psycopg2

    from warehouse.release.postgres_copy import copy_marts

    _, _, paths, _ = published
    dsn, role = analytics_database
    expected = copy_marts(paths.serving, dsn, bi_role=role)["fct_indicator_values"]
    seen, errors, stop = [], [], threading.Event()

    def read():
        con = psycopg2.connect(dsn + f" user={role}")
        con.autocommit = True  # each query its own transaction, as a BI tool's
        try:
            with con.cursor() as cursor:
                while not stop.is_set():
                    try:
                        cursor.execute("select count(*) from analytics.fct_indicator_values")
                        seen.append(cursor.fetchall()[0][0])
                    except psycopg2.Error as exc:
                        errors.append(exc)
        finally:
            con.close()

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for _ in range(5):
            copy_marts(paths.serving, dsn, bi_role=role)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert not errors and seen and set(seen) == {expected}


def test_dbt_docs_are_published_next_to_the_data_docs(published, chromium):
    from tests.conftest import offline_only, screenshot_path
    from warehouse.settings import DBT_DOCS

    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    offline_only(page)
    page.goto((DBT_DOCS / "index.html").as_uri() + "#!/model/model.minzheng.fct_indicator_values")
    page.get_by_text("One row per value a document states").first.wait_for(timeout=60_000)
    assert "The value in the indicator's catalogue unit." in page.inner_text("body")  # column descriptions
    page.screenshot(path=screenshot_path("dbt-docs.png"))
    page.close()


def test_a_crash_while_copying_leaves_no_torn_previous_version(published, monkeypatch):
    """The copy that keeps the previous version dies half way: the previous version is still whole, the
    serving file untouched, and a later publish works."""
    import warehouse.release.publish as publish

    _, _, paths, _ = published
    serving_before, previous_before = digest(paths.serving), digest(paths.previous)
    real_copy = shutil.copyfile

    def dying_copy(source, target):
        if Path(source) == paths.serving:
            with open(target, "wb") as handle:
                handle.write(b"\0" * 100)  # a few bytes, then the process is gone
            raise KeyboardInterrupt("killed")
        return real_copy(source, target)

    monkeypatch.setattr(publish.shutil, "copyfile", dying_copy)
    with pytest.raises(KeyboardInterrupt):
        publish_candidate(paths)
    monkeypatch.undo()
    assert digest(paths.serving) == serving_before and digest(paths.previous) == previous_before
    assert not [p for p in paths.serving.parent.iterdir() if p.name.endswith(".tmp")]


def test_rollback_refuses_a_previous_version_that_does_not_open(published, tmp_path):
    from warehouse.release.publish import NotServable

    _, _, paths, _ = published
    broken = Paths(raw=paths.raw, build=paths.build, serving=tmp_path / "serving" / "warehouse.duckdb")
    broken.serving.parent.mkdir()
    shutil.copyfile(paths.serving, broken.serving)
    broken.previous.write_bytes(b"")
    with pytest.raises(NotServable, match="missing or empty"):
        rollback(broken)
    assert digest(broken.serving) == digest(paths.serving)
    broken.previous.unlink()
    with pytest.raises(NotServable, match="no previous version"):
        rollback(broken)


def test_a_second_publisher_is_told_who_publishes(published, monkeypatch):
    import warehouse.release.publish as publish
    from warehouse.locks import Busy, exclusive

    _, _, paths, _ = published
    monkeypatch.setattr(publish, "PUBLISH_LOCK_TIMEOUT", 0.3)
    with exclusive(paths.lock, "publishing", timeout=1):
        with pytest.raises(Busy, match=r"publishing: another process \(pid \d+\)"):
            publish_candidate(paths)


def test_a_build_changed_after_its_audit_is_not_published(published):
    from warehouse.release.publish import build_fingerprint, checkpoint

    _, _, paths, _ = published
    before = digest(paths.serving)
    checkpoint(paths.build)
    audited = build_fingerprint(paths.build)
    con = duckdb.connect(str(paths.build))
    con.execute("create table marts.changed_meanwhile as select 1 as x")
    con.close()
    with pytest.raises(RuntimeError, match="changed after it was audited"):
        publish_candidate(paths, audited=audited)
    assert digest(paths.serving) == before


def test_a_first_audit_validates_a_chunk_of_document_versions_at_a_time(published, monkeypatch, tmp_path):
    """However many versions a first audit has: a chunk at a time, the rows and failures of all of them."""
    _, _, paths, _ = published
    paths = tampered(paths, tmp_path)
    con = duckdb.connect(str(paths.build))
    con.execute("update marts.fct_indicator_values set value = 9 where indicator_code = 'dibao_standard'")
    implausible, documents = con.execute(
        "select count(*), count(distinct document_id) from marts.fct_indicator_values"
        " where indicator_code = 'dibao_standard'"
    ).fetchall()[0]
    con.close()
    assert documents >= 2
    monkeypatch.setattr("warehouse.release.audit.frames.CHUNK_VERSIONS", 1)
    report = audit(paths.build, paths.raw)
    assert report.scope == "every row" and report.row_counts["marts_facts"] == fact_count(paths.build)
    [failure] = [f for f in report.failures if f.suite == "marts_facts" and f.column == "value,plausible_min"]
    assert failure.unexpected_count == implausible and len(failure.documents) == documents


def cut_short(source: Path, target: Path, size: int = 1 << 20) -> Path:
    """A copy of `source` cut to `size` bytes, as a full disk or a killed copy leaves one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    os.truncate(target, size)
    return target


def own_serving(paths: Paths, folder: Path) -> Paths:
    """The published fixture's build, with a serving file (a copy of the published one) of the test's own."""
    own = Paths(raw=paths.raw, build=paths.build, serving=folder / "serving" / "warehouse.duckdb")
    own.serving.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(paths.serving, own.serving)
    return own


def test_a_truncated_previous_version_is_not_rolled_back(published, tmp_path):
    """A previous version cut to 1 MB still answers count(*) (from its metadata); every block is read before it
    is served, so it is refused and serving stays as it was."""
    from warehouse.release.publish import NotServable

    _, _, paths, _ = published
    own = own_serving(paths, tmp_path)
    assert paths.serving.stat().st_size > 2 << 20
    cut_short(paths.serving, own.previous)
    con = duckdb.connect(str(own.previous), read_only=True)  # the trap the check must not fall into
    assert con.execute("select count(*) from marts.fct_indicator_values").fetchall()[0][0] == fact_count(paths.serving)
    con.close()
    before = digest(own.serving)
    with pytest.raises(NotServable, match=r"is damaged: reading \S+ failed \(IO Error: Could not read enough bytes"):
        rollback(own)
    assert digest(own.serving) == before


def test_publish_on_a_damaged_serving_file_names_the_command_that_repairs_it(published, tmp_path):
    """A damaged serving file stops the publish before the build, in one line that names the repair: `make
    rollback` when the previous version is whole (it replaces the damaged file and stays the previous version),
    else moving the damaged file aside."""
    from warehouse.release.publish import NotServable
    from warehouse.release.servable import check_servable

    _, _, paths, _ = published
    own = own_serving(paths, tmp_path)
    shutil.copyfile(paths.serving, own.previous)
    cut_short(paths.serving, own.serving)
    with pytest.raises(NotServable) as refused:
        write_audit_publish(own, build_first=False)
    message = str(refused.value)
    assert "\n" not in message and f"the serving file {own.serving} is damaged" in message
    assert "`make rollback` puts the previous version back" in message
    rollback(own)
    check_servable(own.serving)
    assert digest(own.serving) == digest(own.previous) == digest(paths.serving)

    cut_short(paths.serving, own.serving)
    cut_short(paths.serving, own.previous)
    with pytest.raises(NotServable) as refused:
        write_audit_publish(own, build_first=False)
    assert f"`mv {own.serving} {own.serving}.damaged` and `make publish`" in str(refused.value)


def test_make_publish_and_rollback_on_damaged_files_say_so_in_one_line(published, tmp_path, capsys):
    from warehouse.release.__main__ import main

    _, _, paths, _ = published
    own = own_serving(paths, tmp_path)
    cut_short(paths.serving, own.previous)
    assert main(["rollback"], paths=own) == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"nothing rolled back: the previous version {own.previous} is damaged")
    assert "the serving file is unchanged" in line
    cut_short(paths.serving, own.serving)
    assert main(["publish"], paths=own) == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"nothing published: the serving file {own.serving} is damaged") and "mv " in line


def postgres_facts(dsn: str) -> int:
    import psycopg2

    con = psycopg2.connect(dsn)
    try:
        with con.cursor() as cursor:
            cursor.execute("select count(*) from analytics.fct_indicator_values")
            return cursor.fetchall()[0][0]
    finally:
        con.close()


@pytest.mark.postgres
def test_a_rollback_with_postgres_down_says_what_moved_and_the_next_publish_levels_them(
    published, analytics_database, tmp_path, monkeypatch, capsys
):
    """DuckDB is rolled back, PostgreSQL (at a closed port) is not, and the output says both, with the setting
    and the command that brings them level; the next publish, PostgreSQL back, serves one version in both."""
    from tools.airflow_up import free_port as closed_port
    from warehouse.release.__main__ import main

    _, _, paths, _ = published
    dsn, role = analytics_database
    monkeypatch.setenv("MINZHENG_BI_ROLE", role)
    own = own_serving(paths, tmp_path)
    shutil.copyfile(paths.serving, own.previous)
    con = duckdb.connect(str(own.previous))
    con.execute("delete from marts.fct_indicator_values where indicator_code = 'dibao_standard'")
    con.close()
    published_facts, previous_facts = fact_count(own.serving), fact_count(own.previous)
    assert previous_facts < published_facts
    monkeypatch.setenv("MINZHENG_ANALYTICS_PG", dsn)
    assert main(["copy-to-postgres"], paths=own) == 0
    assert postgres_facts(dsn) == published_facts

    port = closed_port()
    monkeypatch.setenv("MINZHENG_ANALYTICS_PG", f"host=127.0.0.1 port={port} user=postgres dbname=minzheng")
    capsys.readouterr()
    assert main(["rollback"], paths=own) == 1
    out, err = capsys.readouterr()
    assert f"DuckDB: rolled back: {own.serving}" in out
    [line] = err.strip().splitlines()
    assert line.startswith(
        f"PostgreSQL: NOT rolled back: PostgreSQL at 127.0.0.1:{port} (MINZHENG_ANALYTICS_PG) refused the "
        "connection; it still serves the version DuckDB served before the rollback;"
    )
    assert "copy-to-postgres" in line and "make publish" in line
    assert fact_count(own.serving) == previous_facts and postgres_facts(dsn) == published_facts

    monkeypatch.setenv("MINZHENG_ANALYTICS_PG", dsn)
    write_audit_publish(own, build_first=False)
    assert fact_count(own.serving) == postgres_facts(dsn) == fact_count(paths.build)


def test_the_copy_to_postgres_after_a_publish_names_the_setting_when_postgres_is_down(
    published, tmp_path, monkeypatch, capsys
):
    from tools.airflow_up import free_port as closed_port
    from warehouse.release.__main__ import main

    _, _, paths, _ = published
    own = own_serving(paths, tmp_path)
    port = closed_port()
    monkeypatch.setenv("MINZHENG_ANALYTICS_PG", f"postgresql://postgres@127.0.0.1:{port}/minzheng")
    assert main(["copy-to-postgres"], paths=own) == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line == (
        f"PostgreSQL: NOT updated: PostgreSQL at 127.0.0.1:{port} (MINZHENG_ANALYTICS_PG) refused the connection"
    )
