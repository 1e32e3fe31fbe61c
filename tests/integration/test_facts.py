"""From documents to facts through the real dbt build: make facts, bad input, adding an indicator."""

from __future__ import annotations

import json
import shutil
import subprocess

import duckdb
import pytest

from tests.integration.shared_builds import BAD_INPUT, OTHER_BUREAUS, build_folder, write_document
from tools.facts import FIELDS
from warehouse.settings import DBT_PROJECT, REPO_ROOT

pytestmark = pytest.mark.integration
SEEDS = REPO_ROOT / "data" / "seeds"


COUNTY = "county.txt"  # the scope issue's own example, beside the seed documents in the one `make facts` run
COUNTY_TEXT = "城乡低保标准分别提高到每人每月1000元和800元；分散供养特困人员基本生活标准达到每人每年15600元\n"


@pytest.fixture(scope="module")
def made_facts(tmp_path_factory):
    """`make facts` once, on the seed documents and the county document (each document's facts are its own)."""
    root = tmp_path_factory.mktemp("facts")
    docs = root / "docs"
    docs.mkdir()
    for path in SEEDS.iterdir():
        shutil.copy(path, docs)
    write_document(docs, COUNTY, COUNTY_TEXT, {"publisher": "安吉县民政局", "published_at": "2024-12-20"})
    out = root / "facts.jsonl"
    main_warehouse = REPO_ROOT / "warehouse" / "build" / "warehouse.duckdb"
    before = main_warehouse.stat().st_mtime if main_warehouse.exists() else None
    result = subprocess.run(
        ["make", "--no-print-directory", "facts", f"DOCS={docs}", f"OUT={out}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    after = main_warehouse.stat().st_mtime if main_warehouse.exists() else None
    assert before == after, "make facts must not touch the main warehouse"
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def seed_facts(made_facts):
    return [fact for fact in made_facts if fact["document"] != COUNTY]


def test_make_facts_writes_exactly_the_facts_md_fields(seed_facts):
    assert seed_facts
    for fact in seed_facts:
        assert tuple(fact) == FIELDS
        assert fact["value_type"] in ("actual", "target")
        assert fact["qualifier"] in ("", "approx", "at_least")
        assert isinstance(fact["value"], (int, float))


@pytest.mark.parametrize(
    "document, code, region, period, value_type, value",
    [
        ("004_66b1147c1cebaaf5.txt", "dibao_standard", "舟山市", "2020", "actual", 9720),
        ("004_66b1147c1cebaaf5.txt", "dibao_standard", "舟山市", "2022", "target", 11000),
        ("004_66b1147c1cebaaf5.txt", "dibao_standard", "舟山市", "2025", "target", 14000),
        ("001_e56da56907128640.txt", "dibao_standard", "湖州市", "2024", "target", 14000),
        ("002_de7a5c5b853a32a4.txt", "tekun_standard", "慈溪市", "2021", "actual", 20508),
        ("003_964adb30ad5d0ead.txt", "dibao_standard", "温州市", "2025H1", "actual", 13740),
        ("003_964adb30ad5d0ead.txt", "dibao_standard", "温州市", "2025", "target", 14280),
        ("003_964adb30ad5d0ead.txt", "lottery_sales", "温州市", "2025H1", "actual", 92800),
        ("000_c62b87d9ede609d7.txt", "lottery_sales", "舟山市", "2024", "actual", 26000),
    ],
)
def test_known_facts_of_the_seed_documents(seed_facts, document, code, region, period, value_type, value):
    keys = {
        (f["document"], f["indicator_code"], f["region"], f["period"], f["value_type"], f["value"]) for f in seed_facts
    }
    assert (document, code, region, period, value_type, value) in keys


def test_evidence_contains_the_figure(seed_facts):
    for fact in seed_facts:
        assert fact["evidence"], fact


def _build(tmp_path, docs, project_dir=DBT_PROJECT):
    return build_folder(tmp_path, docs, project_dir)


def test_bad_input_never_fails_the_build(small_documents):
    """The bad documents (shared_builds.BAD_INPUT) built beside others: the build succeeds and they give only
    the facts their text states."""
    _, built = small_documents
    facts = [f for f in built if f[0] in BAD_INPUT]
    assert ("one_line.txt", "elderly_institution_beds_added", "2024") in {(f[0], f[1], f[3]) for f in facts}
    assert not [f for f in facts if f[0] in ("no_numbers.txt", "mojibake.txt", "forty_digits.txt")]


def test_adding_an_indicator_is_a_seed_row(tmp_path):
    """docs/adding-an-indicator.md, played by an analyst: one catalogue row, no Python, and the next
    ordinary (incremental) build finds the new indicator in documents that were already processed."""
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "report.txt").write_text(
        "杭州市民政局2024年工作总结\n全市实名注册志愿者达到12.5万人。全市共有养老机构86家。", encoding="utf-8"
    )
    before = _build(tmp_path, docs, project_dir=project)
    assert ("report.txt", "elderly_institutions", "杭州市", "2024", "actual", 86.0) in before
    assert not [f for f in before if f[1] == "registered_volunteers"]

    with (project / "seeds" / "indicator_catalogue.csv").open("a", encoding="utf-8") as catalogue:
        catalogue.write(
            "registered_volunteers,注册志愿者人数,community,人,stock,"
            "Registered volunteers at the end of the period,注册志愿者|实名注册志愿者\n"
        )
    after = _build(tmp_path, docs, project_dir=project)
    assert ("report.txt", "registered_volunteers", "杭州市", "2024", "actual", 125000.0) in after
    assert ("report.txt", "elderly_institutions", "杭州市", "2024", "actual", 86.0) in after


def test_incremental_build_processes_only_new_documents(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEEDS / "000_c62b87d9ede609d7.txt", docs)
    _build(tmp_path, docs)
    query = "select version_id, min(processed_at), max(processed_at) from intermediate.{} group by 1"
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    first = {
        model: con.execute(query.format(model)).fetchall()
        for model in ("int_segments_split", "int_number_mentions_extracted", "int_mention_decisions")
    }
    con.close()
    shutil.copy(SEEDS / "001_e56da56907128640.txt", docs)
    facts = _build(tmp_path, docs)
    assert {f[0] for f in facts} == {"000_c62b87d9ede609d7.txt", "001_e56da56907128640.txt"}
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    for model, rows in first.items():
        [(old_version, made_at, _)] = rows
        second = dict((version, (low, high)) for version, low, high in con.execute(query.format(model)).fetchall())
        assert len(second) == 2
        assert second[old_version] == (made_at, made_at), f"{model} recomputed a document it already had"
        new_version = next(version for version in second if version != old_version)
        assert second[new_version][0] > made_at
    con.close()


def test_documents_of_other_bureaus_get_their_region_kind_and_period(small_documents):
    _, built = small_documents
    assert {f for f in built if f[0] in OTHER_BUREAUS} == {
        ("district.txt", "dibao_standard", "海曙区", "2024", "actual", 15600.0),
        ("district.txt", "dibao_recipients", "海曙区", "2024", "actual", 2100.0),
        ("bulletin.txt", "dibao_recipients", "全国", "2022", "actual", 6824000.0),
        ("quarter.txt", "dibao_recipients", "浙江省", "2023H1", "actual", 18000.0),
        ("quarter.txt", "temporary_assistance_person_times", "浙江省", "2023H1", "actual", 24000000.0),
        ("untitled.txt", "dibao_standard", "嘉兴市", "2024", "target", 13800.0),
    }


def test_make_facts_gives_each_part_its_scope(made_facts):
    """The scope issue's own example: a county bureau's 2024 document with a paired list and a support part."""
    facts = [f for f in made_facts if f["document"] == COUNTY]
    assert {(f["indicator_code"], f["region"], f["period"], f["scope"], f["value"]) for f in facts} == {
        ("dibao_standard", "安吉县", "2024", "urban", 12000),
        ("dibao_standard", "安吉县", "2024", "rural", 9600),
        ("tekun_standard", "安吉县", "2024", "dispersed", 15600),
    }
    assert all(tuple(fact) == FIELDS for fact in facts)
