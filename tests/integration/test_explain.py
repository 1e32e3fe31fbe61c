"""`make explain`: every number of a made-up document and what the build made of it, read from the same
table the facts come from."""

from __future__ import annotations

import json
import subprocess

import pytest

from tools.explain import explain_rows, format_rows
from tools.facts import extract_facts
from warehouse.settings import REPO_ROOT

pytestmark = pytest.mark.integration

REPORT = (
    "德清县民政局2024年工作总结\n一、2024年工作总结\n全县共发放城乡低保金3200万元,保障2100人。"
    "发放慰问金、临时救助金60万元。对12家养老机构开展消防检查。农村低保对象1500人。\n"
)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explain")
    (folder / "report.txt").write_text(REPORT, encoding="utf-8")
    (folder / "report.meta.json").write_text(
        json.dumps({"publisher": "德清县民政局"}, ensure_ascii=False), encoding="utf-8"
    )
    return folder / "report.txt"


def test_make_explain_lists_every_number_and_what_became_of_it(report):
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "explain", f"DOC={report}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert "FACT    3200万元 → dibao_funds 德清县 2024 actual whole 3200 万元" in lines
    assert "FACT    2100人 → dibao_recipients 德清县 2024 actual whole 2100 人" in lines
    assert "FACT    1500人 → dibao_recipients 德清县 2024 actual rural 1500 人" in lines
    assert any(line.endswith("; scope: part_in_clause: 农村") for line in lines)
    assert any(
        line.startswith(
            "        phrase '城乡低保' (frame: subject earlier in the sentence); region: the publisher's "
            "region; period: the document's year"
        )
        for line in lines
    )
    assert (
        "DROPPED 60万元: a sum of one programme's money and other payments ('发放慰问金、临时救助金') fills no "
        "indicator"
    ) in lines
    assert "DROPPED 12家: the object of an action (对/向/在/等 before the number), not a total" in lines
    assert lines[-1] == "5 number mentions: 3 facts, 2 dropped"


def test_explain_reads_a_warehouse_and_filters_by_indicator(report, tmp_path):
    assert extract_facts(report.parent, tmp_path / "facts.jsonl", keep=tmp_path / "build") == 0
    rows = explain_rows(tmp_path / "build" / "warehouse.duckdb", "report.txt", "dibao_recipients")
    assert [(row["raw_mention"], row["outcome"], row["pairing_rule"], row["scope"]) for row in rows] == [
        ("2100人", "fact", "frame: subject earlier in the sentence", ""),
        ("1500人", "fact", "phrase before the number", "rural"),
    ]
    assert format_rows(rows).splitlines()[-1] == "2 number mentions: 2 facts, 0 dropped"
