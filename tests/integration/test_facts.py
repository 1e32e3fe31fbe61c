"""From documents to facts through the real dbt build: make facts, bad input, adding an indicator."""

from __future__ import annotations

import json
import shutil
import subprocess

import duckdb
import pytest

from scrapers.drop_folder import ingest_folder
from tools.facts import FIELDS
from warehouse.landing.store import RawStore
from warehouse.settings import DBT_PROJECT, REPO_ROOT
from warehouse.transform.dbt import run_dbt

pytestmark = pytest.mark.integration
SEEDS = REPO_ROOT / "data" / "seeds"


@pytest.fixture(scope="module")
def seed_facts(tmp_path_factory):
    out = tmp_path_factory.mktemp("facts") / "facts.jsonl"
    main_warehouse = REPO_ROOT / "warehouse" / "build" / "warehouse.duckdb"
    before = main_warehouse.stat().st_mtime if main_warehouse.exists() else None
    result = subprocess.run(
        ["make", "--no-print-directory", "facts", f"DOCS={SEEDS}", f"OUT={out}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    after = main_warehouse.stat().st_mtime if main_warehouse.exists() else None
    assert before == after, "make facts must not touch the main warehouse"
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


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
    store = RawStore(tmp_path / "raw")
    ingest_folder(docs, store)
    result = run_dbt(["build"], tmp_path / "raw", tmp_path / "warehouse.duckdb", tmp_path, project_dir=project_dir)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            "select document, indicator_code, region, period, value_type, value from marts.indicator_facts"
        ).fetchall()
    finally:
        con.close()


def test_bad_input_never_fails_the_build(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "no_numbers.txt").write_text("某市民政局2024年工作总结\n全年工作稳步推进，成效明显。", encoding="utf-8")
    (docs / "one_line.txt").write_text(
        "杭州市民政局2024年工作总结 " + "新增养老机构床位120张，" * 40_000, encoding="utf-8"
    )
    (docs / "forty_digits.txt").write_text(
        "某市民政局2024年工作总结\n全市共有养老机构" + "9" * 40 + "家。", encoding="utf-8"
    )
    (docs / "ragged.html").write_text(
        "<html><body><h1>某市民政局2024年工作总结</h1><div id='zoom'><table><tr><td>指标</td><td>2024年</td></tr>"
        "<tr><td>养老机构床位(张)</td><td>5000</td><td>6000</td><td>7</td></tr><tr><td>孤</td></tr></table>"
        "<p>低保标准提高至每人每月1000元。</p></div></body></html>",
        encoding="utf-8",
    )
    (docs / "mojibake.txt").write_text("Ä³ÊÐÃñÕþ¾Ö2024Äê¹¤×÷×Ü½á", encoding="utf-8")
    facts = _build(tmp_path, docs)
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


OTHER_BUREAUS = {
    # name: (sidecar, text)
    "district.txt": (
        {"publisher": "宁波市海曙区民政局", "title": "2024年工作总结"},
        "一、2024年工作总结\n全区低保标准提高到每人每月1300元,保障低保对象2100人。",
    ),
    "bulletin.txt": (
        {"publisher": "中华人民共和国民政部", "title": "2022年民政事业发展统计公报"},
        "截至2022年底,全国共有城市低保对象682.4万人,比上年下降3.1%。",
    ),
    "quarter.txt": (
        {"publisher": "浙江省民政厅", "title": "2023年2季度民政统计数据"},
        "指标名称 | 单位 | 数量 |\n城市最低生活保障人数 | 万人 | 1.8 |\n临时救助 | 万人次 | 2,400 |",
    ),
    "third_quarter.txt": (
        {"publisher": "浙江省民政厅", "title": "2023年3季度民政统计数据"},
        "指标名称 | 单位 | 数量 |\n城市最低生活保障人数 | 万人 | 1.9 |",
    ),
    "untitled.txt": (
        {"publisher": "嘉兴市民政局"},
        "2024年是“十四五”规划实施的关键一年。现对2024年全市民政工作作出如下安排。\n"
        "一、兜底保障\n力争全市低保标准提高到每人每月1150元。",
    ),
    "disclosure.txt": (
        {"publisher": "嘉兴市民政局", "title": "嘉兴市民政局2024年政府信息公开工作年度报告"},
        "2024年主动公开政府信息215条,全市养老机构86家。",
    ),
}


def test_documents_of_other_bureaus_get_their_region_kind_and_period(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, (sidecar, text) in OTHER_BUREAUS.items():
        (docs / name).write_text(text, encoding="utf-8")
        (docs / name.replace(".txt", ".meta.json")).write_text(
            json.dumps(sidecar, ensure_ascii=False), encoding="utf-8"
        )
    assert set(_build(tmp_path, docs)) == {
        ("district.txt", "dibao_standard", "海曙区", "2024", "actual", 15600.0),
        ("district.txt", "dibao_recipients", "海曙区", "2024", "actual", 2100.0),
        ("bulletin.txt", "dibao_recipients", "全国", "2022", "actual", 6824000.0),
        ("quarter.txt", "dibao_recipients", "浙江省", "2023H1", "actual", 18000.0),
        ("quarter.txt", "temporary_assistance_person_times", "浙江省", "2023H1", "actual", 24000000.0),
        ("untitled.txt", "dibao_standard", "嘉兴市", "2024", "target", 13800.0),
    }


def test_make_facts_gives_each_part_its_scope(tmp_path):
    """The scope issue's own example: a county bureau's 2024 document with a paired list and a support part."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "county.txt").write_text(
        "城乡低保标准分别提高到每人每月1000元和800元；分散供养特困人员基本生活标准达到每人每年15600元\n",
        encoding="utf-8",
    )
    (docs / "county.meta.json").write_text(
        json.dumps({"publisher": "安吉县民政局", "published_at": "2024-12-20"}, ensure_ascii=False), encoding="utf-8"
    )
    out = tmp_path / "facts.jsonl"
    result = subprocess.run(
        ["make", "--no-print-directory", "facts", f"DOCS={docs}", f"OUT={out}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    facts = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {(f["indicator_code"], f["region"], f["period"], f["scope"], f["value"]) for f in facts} == {
        ("dibao_standard", "安吉县", "2024", "urban", 12000),
        ("dibao_standard", "安吉县", "2024", "rural", 9600),
        ("tekun_standard", "安吉县", "2024", "dispersed", 15600),
    }
    assert all(tuple(fact) == FIELDS for fact in facts)
