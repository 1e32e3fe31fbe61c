"""Documents several integration tests read facts of, built once into one scratch warehouse (the conftest's
`small_documents` fixture): a dbt build costs far more than the documents in it, and each document's facts
are its own (region, period and kind come from the document and its sidecar), so every test filters the facts
to its own documents and asserts what it asserted on a build of those documents alone."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from scrapers.drop_folder import ingest_folder
from warehouse.landing.store import RawStore
from warehouse.transform.dbt import run_dbt

# name: text, no sidecar — what a build must survive without failing
BAD_INPUT = {
    "no_numbers.txt": "某市民政局2024年工作总结\n全年工作稳步推进，成效明显。",
    "one_line.txt": "杭州市民政局2024年工作总结 " + "新增养老机构床位120张，" * 40_000,
    "forty_digits.txt": "某市民政局2024年工作总结\n全市共有养老机构" + "9" * 40 + "家。",
    "ragged.html": "<html><body><h1>某市民政局2024年工作总结</h1><div id='zoom'><table><tr><td>指标</td>"
    "<td>2024年</td></tr><tr><td>养老机构床位(张)</td><td>5000</td><td>6000</td><td>7</td></tr><tr><td>孤</td>"
    "</tr></table><p>低保标准提高至每人每月1000元。</p></div></body></html>",
    "mojibake.txt": "Ä³ÊÐÃñÕþ¾Ö2024Äê¹¤×÷×Ü½á",
}

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

# a county's report whose every number the explain tests follow
EXPLAINED_REPORT = (
    "德清县民政局2024年工作总结\n一、2024年工作总结\n全县共发放城乡低保金3200万元,保障2100人。"
    "发放慰问金、临时救助金60万元。对12家养老机构开展消防检查。农村低保对象1500人。\n"
)
EXPLAINED_PUBLISHER = "德清县民政局"


def write_document(folder: Path, name: str, text: str, sidecar: dict | None = None) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    if sidecar is not None:
        meta = folder / (path.stem + ".meta.json")
        meta.write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    return path


def write_small_documents(docs: Path) -> None:
    for name, text in BAD_INPUT.items():
        write_document(docs, name, text)
    for name, (sidecar, text) in OTHER_BUREAUS.items():
        write_document(docs, name, text, sidecar)
    write_document(docs, "report.txt", EXPLAINED_REPORT, {"publisher": EXPLAINED_PUBLISHER})


def build_folder(root: Path, docs: Path, project_dir: Path | None = None) -> list[tuple]:
    """The folder landed in root/raw and the whole project built (tests included) into root/warehouse.duckdb;
    returns indicator_facts as (document, indicator_code, region, period, value_type, value)."""
    ingest_folder(docs, RawStore(root / "raw"))
    kwargs = {"project_dir": project_dir} if project_dir else {}
    result = run_dbt(["build"], root / "raw", root / "warehouse.duckdb", root, **kwargs)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    con = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            "select document, indicator_code, region, period, value_type, value from marts.indicator_facts"
        ).fetchall()
    finally:
        con.close()
