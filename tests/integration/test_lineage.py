"""Lineage dbt can see: every relation a model reads — in its SQL, its hooks, and the queries its macros run while
it compiles — is one of the resources `dbt ls -s +<model>` lists (models, seeds, sources). So `dbt ls` and the
docs lineage are complete, and a full refresh in dbt's order never reads a table built later.

The SQL is taken from what dbt ran, not from the compiled files: `dbt compile` renders neither hooks nor the
branches an incremental build takes, and those are where a macro reads a table. Two builds of a small raw layer
(the second incremental, after a new and a changed document) log every statement with the node that ran it
(dbt's JSON log); the relations are the "database"."schema"."table" names DuckDB renders. The Python models run
their queries through their own session, outside dbt's log: they are checked by their dbt.ref()/dbt.source()
calls, which dbt parses."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from scrapers.drop_folder import ingest_folder
from warehouse.landing.store import RawStore
from warehouse.transform.dbt import run_dbt

pytestmark = pytest.mark.integration

SUMMARY = "某市民政局2024年工作总结\n全市低保标准提高到每人每月{dibao}元，全市共有养老机构{homes}家。"
PLAN = "某市民政局2025年工作要点\n现对2025年全市民政工作作出如下安排。力争全市低保标准提高到每人每月{dibao}元。"
# "database"."schema"."identifier", as dbt-duckdb quotes a relation
RELATION = re.compile(r'"(\w+)"\."(\w+)"\."(\w+)"')
# what a materialization writes besides the model's table: its temporary and backup relations
SCRATCH = re.compile(r"__dbt_(tmp|backup)")
# a relation looked up by a name other than the model's own
BY_NAME = re.compile(r"get_relation\((?!this\.database, this\.schema, this\.identifier\))")


def _write(docs: Path, name: str, publisher: str, text: str) -> None:
    (docs / name).write_text(text, encoding="utf-8")
    (docs / name.replace(".txt", ".meta.json")).write_text(
        json.dumps({"publisher": publisher}, ensure_ascii=False), encoding="utf-8"
    )


def _build(root: Path, docs: Path, logs: str) -> list[dict]:
    """Build (no data tests) with every statement logged; the SQLQuery events of the build."""
    ingest_folder(docs, RawStore(root / "raw"))
    args = ["--log-format-file", "json", "--log-level-file", "debug", "build", "--exclude-resource-type", "test"]
    result = run_dbt(args, root / "raw", root / "warehouse.duckdb", root)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    log = root / "dbt_logs" / "dbt.log"
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.startswith("{")]
    shutil.move(log, root / f"{logs}.log")
    return [event for event in events if event["info"]["name"] == "SQLQuery"]


def _ancestors(manifest: dict, key: str) -> set[tuple[str, str]]:
    """(schema, identifier) of every model, seed and source `dbt ls -s +<model>` lists: the node's parents in the
    manifest, and theirs (the graph dbt selects on; asking `dbt ls` once per model costs a dbt start-up each)."""
    resources = {**manifest["nodes"], **manifest["sources"]}
    seen, todo = set(), [key]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += manifest["parent_map"].get(current, [])
    return {
        (resources[node]["schema"], resources[node].get("alias") or resources[node]["identifier"])
        for node in seen
        if node in resources and resources[node]["resource_type"] in ("model", "seed", "source")
    }


def two_builds(root: Path) -> tuple[Path, dict[str, list[str]], dict]:
    """Two builds in root: from scratch, then incremental after a new and a changed document and a copy; the SQL
    each node ran, by node, and the manifest."""
    docs = root / "docs"
    docs.mkdir()
    _write(docs, "a.txt", "湖州市民政局", SUMMARY.format(dibao=1000, homes=50))
    _write(docs, "b.txt", "衢州市民政局", SUMMARY.format(dibao=900, homes=40))
    events = _build(root, docs, "first")
    _write(docs, "a.txt", "湖州市民政局", SUMMARY.format(dibao=1010, homes=52).split("，")[0] + "。")
    _write(docs, "plan.txt", "湖州市民政局", PLAN.format(dibao=1100))
    shutil.copy(docs / "b.txt", docs / "b_copy.txt")
    events += _build(root, docs, "second")
    by_node: dict[str, list[str]] = {}
    for event in events:
        node = (event["data"].get("node_info") or {}).get("unique_id")
        if node:
            by_node.setdefault(node, []).append(event["data"]["sql"])
    manifest = json.loads((root / "dbt_target" / "manifest.json").read_text(encoding="utf-8"))
    return root, by_node, manifest


@pytest.fixture(scope="module")
def statements(tmp_path_factory) -> tuple[Path, dict[str, list[str]], dict]:
    return two_builds(tmp_path_factory.mktemp("lineage"))


def _models_under_marts(manifest: dict) -> list[str]:
    """Every model of the marts and every model they are built from."""
    nodes = manifest["nodes"]
    marts = [key for key, node in nodes.items() if node["resource_type"] == "model" and "marts" in node["fqn"]]
    seen, todo = set(), list(marts)
    while todo:
        key = todo.pop()
        if key in seen or not key.startswith("model."):
            continue
        seen.add(key)
        todo += nodes[key]["depends_on"]["nodes"]
    return sorted(seen)


def test_every_relation_a_model_reads_is_in_its_lineage(statements):
    _, by_node, manifest = statements
    models = _models_under_marts(manifest)
    assert "model.minzheng.fct_indicator_values" in models and "model.minzheng.mart_indicator_values" in models
    problems = []
    for key in models:
        node = manifest["nodes"][key]
        if node["language"] != "sql":
            continue
        ran = by_node.get(key)
        assert ran, f"{key} ran no SQL"
        read = {
            (schema, table)
            for sql in ran
            for _, schema, table in RELATION.findall(sql)
            if not SCRATCH.search(table) and table != node["alias"]
        }
        missing = read - _ancestors(manifest, key)
        problems += [
            f"{node['name']} reads {schema}.{table}, which `dbt ls -s +{node['name']}` does not list"
            for schema, table in sorted(missing)
        ]
    assert problems == [], "\n".join(problems)


def test_no_macro_walks_the_graph_or_finds_a_relation_by_name():
    """What rebuilds is decided from ref() and source() alone: no macro or model walks graph.nodes or looks a
    relation up by its name (adapter.get_relation with a name written out)."""
    project = Path(__file__).resolve().parents[2] / "dbt_project"
    offenders = []
    for path in sorted([*project.glob("macros/**/*.sql"), *project.glob("models/**/*.sql")]):
        text = path.read_text(encoding="utf-8")
        if "graph.nodes" in text or BY_NAME.search(text):
            offenders.append(str(path.relative_to(project)))
    assert offenders == [], offenders
