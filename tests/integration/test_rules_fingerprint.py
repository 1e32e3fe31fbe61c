"""An edit of any rule seed, in any column, reaches documents already decided: the rules fingerprint changes
(NULL told from a value), and the next ordinary incremental build decides every version again."""

from __future__ import annotations

import csv
import io
import shutil

import duckdb
import pytest

from scrapers.drop_folder import ingest_folder
from warehouse.landing.store import RawStore
from warehouse.settings import DBT_PROJECT
from warehouse.transform.dbt import run_dbt
from warehouse.transform.extraction.vocabulary import rule_seeds

pytestmark = pytest.mark.integration

REPORT = "某县民政局2024年工作总结\n全县农村低保对象1500人，城市低保对象300人。全县共有养老机构12家。\n"


def _dbt(tmp_path, project, *args):
    result = run_dbt(list(args), tmp_path / "raw", tmp_path / "warehouse.duckdb", tmp_path, project_dir=project)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def _query(tmp_path, sql):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _seed_hashes(tmp_path) -> dict[str, str]:
    [(listed,)] = _query(tmp_path, "select seed_hashes from intermediate.int_extraction_rules_hashed")
    return dict(item.split(":", 1) for item in listed.split())


def _edit_first_row(path) -> None:
    """The last cell of the first row changes: emptied where it holds something, filled where it is empty."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    if len(rows) < 2:
        rows.append([""] * len(rows[0]))
    rows[1][-1] = "" if rows[1][-1] else "1"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_every_rule_seed_edit_reaches_decided_documents(tmp_path):
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "report.txt").write_text(REPORT, encoding="utf-8")
    (docs / "report.meta.json").write_text('{"publisher": "安吉县民政局"}', encoding="utf-8")
    ingest_folder(docs, RawStore(tmp_path / "raw"))
    _dbt(tmp_path, project, "build", "--exclude", "test_type:data")
    before = _seed_hashes(tmp_path)
    decided = _query(tmp_path, "select max(processed_at) from intermediate.int_mention_decisions")[0][0]
    assert ("dibao_recipients", "rural", 1500) in _query(
        tmp_path, "select indicator_code, scope, value from marts.indicator_facts"
    )

    seeds = rule_seeds(project)
    for seed in seeds:
        _edit_first_row(project / "seeds" / f"{seed}.csv")
    _dbt(tmp_path, project, "build", "--select", *seeds, "int_extraction_rules_hashed", "--exclude", "test_type:data")
    after = _seed_hashes(tmp_path)
    assert set(before) == set(after) == set(seeds)
    assert [seed for seed in seeds if before[seed] == after[seed]] == [], "edits the fingerprint did not see"

    # an analyst takes 农村 out of the part words: the rural count becomes the whole's at the next build
    words = project / "seeds" / "scope_words.csv"
    words.write_text(
        "".join(line for line in words.read_text(encoding="utf-8").splitlines(True) if not line.startswith("农村,")),
        encoding="utf-8",
    )
    _dbt(tmp_path, project, "build", "--exclude", "test_type:data")
    assert ("dibao_recipients", "", 1500) in _query(
        tmp_path, "select indicator_code, scope, value from marts.indicator_facts"
    )
    assert _query(tmp_path, "select min(processed_at) from intermediate.int_mention_decisions")[0][0] > decided
