"""A stuck warehouse unblocked without touching the raw layer: a source's region follows the current sources.yml,
and an analyst's corrections (seeds document_corrections and fact_corrections) reach the facts, the marts and the
audit on the next ordinary build."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.integration.conftest import land_seed_documents
from warehouse import settings
from warehouse.landing.records import DocumentRecord, ParsedDocument
from warehouse.landing.store import RawStore
from warehouse.landing.writer import RawWriter
from warehouse.release.audit import audit
from warehouse.release.publish import Paths
from warehouse.release.steps import AuditFailed, write_audit_publish
from warehouse.settings import DBT_PROJECT
from warehouse.transform.dbt import run_dbt

pytestmark = pytest.mark.integration

SOURCE = "xincheng_bureau"
# a bureau whose name and text name no division: its region can come from the registry only
TEXTS = {
    "2024年工作总结": "一、2024年工作总结\n低保标准提高到每人每月900元，保障低保对象2100人。",
    "2023年工作总结": "一、2023年工作总结\n低保标准提高到每人每月850元，保障低保对象2300人。",
    "2025年工作要点": "二、2025年工作要点\n力争低保标准提高到每人每月950元。",
}
REGISTRY = """
sources:
  - id: {source}
    publisher: 社会救助事务中心
    region: {region}
    adapter: pages
    base_url: http://127.0.0.1:1
    pages: [/a.html]
"""


def land_new_source(raw: Path, region: str) -> None:
    """The new source's documents as its crawl lands them: with the region of sources.yml at that time."""
    with RawWriter(RawStore(raw)) as writer:
        for number, (title, text) in enumerate(TEXTS.items()):
            record = DocumentRecord(
                run_id="crawl-1",
                source_id=SOURCE,
                document_key=f"http://127.0.0.1:1/{number}.html",
                kind="page",
                body=text.encode(),
                parsed=ParsedDocument(format="html", text=text, title=title, publisher="社会救助事务中心"),
                url=f"http://127.0.0.1:1/{number}.html",
                source_region=region,
            )
            assert writer.land(record) is None


def query(path: Path, sql: str, parameters: list | None = None, raw: Path | None = None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        if raw:  # the views on the raw layer read it as dbt attached it
            con.execute(f"attach '{raw / 'raw.duckdb'}' as raw (read_only)")
        return con.execute(sql, parameters or []).fetchall()
    finally:
        con.close()


def test_a_region_fixed_in_sources_yml_unblocks_the_audit_without_touching_the_raw_layer(tmp_path, monkeypatch):
    """The region 新城 is no GB/T 2260 division: the documents land with it, the audit fails (no region resolved).
    Correcting sources.yml and building again publishes: the raw layer's rows are as they landed."""
    registry = tmp_path / "sources.yml"
    registry.write_text(REGISTRY.format(source=SOURCE, region="新城"), encoding="utf-8")
    monkeypatch.setattr(settings, "SOURCES", registry)
    paths = Paths(
        raw=tmp_path / "raw", build=tmp_path / "build" / "warehouse.duckdb", serving=tmp_path / "serving" / "w.duckdb"
    )
    land_new_source(paths.raw, region="新城")
    with pytest.raises(AuditFailed) as failed:
        write_audit_publish(paths)
    assert "document_region" in failed.value.report.summary()
    assert not paths.serving.exists()
    landed = "select version_id, source_region from documents order by 1"
    raw_before = query(paths.raw / "raw.duckdb", landed)

    registry.write_text(REGISTRY.format(source=SOURCE, region="宁波市"), encoding="utf-8")
    report = write_audit_publish(paths)

    assert report.success, report.summary()
    assert query(paths.raw / "raw.duckdb", landed) == raw_before  # still 新城: nothing edited by hand
    assert {region for _, region in raw_before} == {"新城"}
    assert query(paths.serving, "select source_region from marts.dim_source where source_id = ?", [SOURCE]) == [
        ("宁波市",)
    ]
    assert set(
        query(
            paths.serving, "select distinct document_region, region_evidence from intermediate.int_documents_classified"
        )
    ) == {("宁波市", "source_registry")}
    assert query(paths.serving, "select distinct region_name from marts.fct_indicator_values") == [("宁波市",)]


# --- corrections ----------------------------------------------------------------------------------------------
DOCUMENT_HEADER = ["document_key", "action", "region", "year", "corrected_by", "reason"]
FACT_HEADER = [
    "document_key", "indicator_code", "region", "period_id", "value_type", "scope", "value", "action",
    "corrected_by", "reason",
]  # fmt: skip


def write_seed(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


FACTS = """
select v.document_key, f.document_id, f.indicator_code, f.region_name, f.period_id, f.value_type, f.scope, f.value
from marts.fct_indicator_values as f
inner join raw.current_versions as v on v.version_id = f.document_id
"""


def facts_of(build: Path, raw: Path) -> list[tuple]:
    con = duckdb.connect(str(build), read_only=True)
    try:
        con.execute(f"attach '{raw / 'raw.duckdb'}' as raw (read_only)")
        return con.execute(FACTS).fetchall()
    finally:
        con.close()


def doubted(build: Path, fact: tuple, folder: Path) -> Path:
    """A copy of the build in which the audit doubts `fact`: its indicator's plausible range ends just below it."""
    copy = folder / f"doubted-{build.parent.name}.duckdb"
    shutil.copyfile(build, copy)
    con = duckdb.connect(str(copy))
    try:
        con.execute("delete from reference.plausible_ranges where indicator_code = ?", [fact[2]])
        con.execute("insert into reference.plausible_ranges values (?, 0, ?, 'doubted')", [fact[2], fact[7] - 0.5])
    finally:
        con.close()
    return copy


@pytest.fixture(scope="module")
def corrected(tmp_path_factory):
    """The seed documents built with no correction, then with one of each kind (and two that match nothing) by
    an ordinary incremental build: the facts before and after, the audits of both with one fact doubted."""
    root = tmp_path_factory.mktemp("corrections")
    project = root / "dbt_project"
    shutil.copytree(DBT_PROJECT, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    _, raw = land_seed_documents(root)
    build = root / "build" / "warehouse.duckdb"

    def dbt_build():
        result = run_dbt(["build"], raw, build, root, project_dir=project)
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]

    dbt_build()
    before = facts_of(build, raw)
    baseline = root / "baseline"
    baseline.mkdir()
    shutil.copyfile(build, baseline / "warehouse.duckdb")
    keys = sorted({fact[0] for fact in before})  # the five seed documents, 000_… to 004_…
    by_key = {key: [fact for fact in before if fact[0] == key] for key in keys}
    # 003's fact with the largest value of an indicator no other fact reaches: the one the audit is made to doubt
    values = {}
    for fact in before:
        values.setdefault(fact[2], []).append(fact[7])
    accepted = max(
        (f for f in by_key[keys[3]] if sorted(values[f[2]])[-1] == f[7] and values[f[2]].count(f[7]) == 1),
        key=lambda f: f[7],
    )
    excluded = next(f for f in by_key[keys[3]] if f != accepted)
    corrections = {
        "exclude_document": keys[2],
        "correct_region": keys[1],
        "correct_year": keys[0],
        "excluded_fact": excluded,
        "accepted_fact": accepted,
    }
    who = {"corrected_by": "analyst@example", "reason": "test"}
    write_seed(
        project / "seeds" / "document_corrections.csv",
        DOCUMENT_HEADER,
        [
            {"document_key": keys[2], "action": "exclude", **who},
            {"document_key": keys[1], "action": "correct", "region": "杭州市", **who},
            {"document_key": keys[0], "action": "correct", "year": 2023, **who},
            {"document_key": "/gone/no_such_document.txt", "action": "exclude", **who},
        ],
    )

    def fact_row(fact, action):
        names = ["document_key", "_", "indicator_code", "region", "period_id", "value_type", "scope", "value"]
        return {**{n: v for n, v in zip(names, fact, strict=True) if n != "_"}, "action": action, **who}

    write_seed(
        project / "seeds" / "fact_corrections.csv",
        FACT_HEADER,
        [
            fact_row(excluded, "exclude"),
            fact_row(accepted, "accept"),
            fact_row((*excluded[:7], 12345.678), "exclude"),  # a fact the document does not state
        ],
    )
    dbt_build()
    after = facts_of(build, raw)
    audits = {
        name: audit(doubted(path, accepted, root), raw)
        for name, path in {"before": baseline / "warehouse.duckdb", "after": build}.items()
    }
    return {
        "before": before, "after": after, "keys": keys, "audits": audits, "build": build, "raw": raw, **corrections
    }  # fmt: skip


def test_an_excluded_document_loses_its_facts(corrected):
    key = corrected["exclude_document"]
    assert [f for f in corrected["before"] if f[0] == key]
    assert [f for f in corrected["after"] if f[0] == key] == []


def test_an_excluded_fact_is_gone_and_its_documents_other_facts_stay(corrected):
    fact = corrected["excluded_fact"]
    assert fact in corrected["before"] and fact not in corrected["after"]
    others = [f for f in corrected["before"] if f[0] == fact[0] and f != fact]
    assert others and set(others) <= set(corrected["after"])


def test_a_corrected_region_reaches_the_document_and_its_facts(corrected):
    key = corrected["correct_region"]
    assert {f[3] for f in corrected["before"] if f[0] == key} == {"湖州市"}
    assert {f[3] for f in corrected["after"] if f[0] == key} == {"杭州市"}
    [(region, evidence)] = query(
        corrected["build"],
        "select c.document_region, c.region_evidence from intermediate.int_documents_classified as c "
        "inner join intermediate.int_document_corrections as k using (version_id) where k.document_key = ?",
        [key],
    )
    assert (region, evidence) == ("杭州市", "correction")


def test_a_corrected_year_reaches_the_facts_periods(corrected):
    key = corrected["correct_year"]
    assert {f[4] for f in corrected["before"] if f[0] == key} == {"2024"}
    assert {f[4] for f in corrected["after"] if f[0] == key} == {"2023"}
    # the untouched document keeps every fact
    untouched = corrected["keys"][4]
    assert {f for f in corrected["before"] if f[0] == untouched} == {f for f in corrected["after"] if f[0] == untouched}


def test_an_accepted_fact_is_no_longer_doubted_by_the_audit(corrected):
    before, after = corrected["audits"]["before"], corrected["audits"]["after"]
    assert not before.success
    assert any("plausible_max" in failure.column for failure in before.failures), before.summary()
    assert after.success, after.summary()
    assert corrected["accepted_fact"] in corrected["after"]


def test_corrections_that_match_nothing_are_reported(corrected):
    unmatched = query(
        corrected["build"],
        "select correction_seed, document_key, value from intermediate.int_corrections_unmatched order by 1",
        raw=corrected["raw"],
    )
    assert unmatched == [
        ("document_corrections", "/gone/no_such_document.txt", None),
        ("fact_corrections", corrected["excluded_fact"][0], 12345.678),
    ]
    report = corrected["audits"]["after"]
    assert len(report.unmatched_corrections) == 2
    summary = report.summary()
    assert "2 correction(s) match nothing" in summary and "/gone/no_such_document.txt" in summary
    assert "12345.7" in summary or "12345.678" in summary
    assert corrected["audits"]["before"].unmatched_corrections == []
