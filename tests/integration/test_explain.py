"""`make explain`: every number of a made-up document and what the build made of it, read from the same
table the facts come from."""

from __future__ import annotations

import subprocess

import pytest

from tests.integration.shared_builds import EXPLAINED_PUBLISHER, EXPLAINED_REPORT, write_document
from tools.explain import explain_rows, format_rows
from warehouse.settings import REPO_ROOT

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explain")
    return write_document(folder, "report.txt", EXPLAINED_REPORT, {"publisher": EXPLAINED_PUBLISHER})


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


def test_explain_reads_a_warehouse_and_filters_by_indicator(small_documents):
    """The same report in a warehouse built with other documents (the conftest's one build of them)."""
    warehouse, _ = small_documents
    rows = explain_rows(warehouse, "report.txt", "dibao_recipients")
    assert [(row["raw_mention"], row["outcome"], row["pairing_rule"], row["scope"]) for row in rows] == [
        ("2100人", "fact", "frame: subject earlier in the sentence", ""),
        ("1500人", "fact", "phrase before the number", "rural"),
    ]
    assert format_rows(rows).splitlines()[-1] == "2 number mentions: 2 facts, 0 dropped"
