"""The guard rails for analysts adding dbt models, one line per problem naming the model: `make check-models`
(and `make lint`); tests/integration/test_dbt_guard_rails.py runs the same checks.

Every model has a YAML entry with a description and at least one data test or unit test; published models
(models/marts/) keep an enforced contract and a description on every column (BI users read them as column
comments); names say the layer (stg_<source>__<entity>, int_, fct_/dim_/mart_); and the manifest the
warehouse DAG renders from (dbt_project/target/manifest.json) knows every model."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from warehouse.settings import DBT_EXECUTABLE, DBT_PROJECT
from warehouse.transform.dbt import dbt_env

PUBLISHED_FOLDER = "marts"
LAYER_PREFIXES = {"staging": ("stg_",), "intermediate": ("int_",), "marts": ("fct_", "dim_", "mart_")}
# FACTS.md names the record a fact is delivered as: the view keeps the spec's name
NAMED_BY_THE_SPEC = {"indicator_facts"}


class ProjectDoesNotParse(Exception):
    """dbt could not parse the project: nothing else can be checked."""


def parse_project(work_dir: Path, project_dir: Path = DBT_PROJECT) -> dict:
    """`dbt parse` of project_dir into work_dir; the manifest it wrote."""
    command = [
        str(DBT_EXECUTABLE),
        "--quiet",
        "--no-use-colors",
        "parse",
        *("--project-dir", str(project_dir), "--profiles-dir", str(project_dir)),
        *("--target-path", str(work_dir / "dbt_target"), "--log-path", str(work_dir / "dbt_logs")),
    ]
    env = dbt_env(work_dir / "raw", work_dir / "warehouse.duckdb")  # parse opens neither
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        said = (result.stdout + result.stderr).strip().splitlines()
        raise ProjectDoesNotParse("dbt parse failed: " + " / ".join(line.strip() for line in said[-6:]))
    return json.loads((work_dir / "dbt_target" / "manifest.json").read_text())


def models(manifest: dict) -> dict[str, dict]:
    return {uid: node for uid, node in manifest["nodes"].items() if node["resource_type"] == "model"}


def _tested(manifest: dict) -> set[str]:
    tested = set()
    for node in list(manifest["nodes"].values()) + list(manifest.get("unit_tests", {}).values()):
        if node["resource_type"] in ("test", "unit_test"):
            tested.update(node["depends_on"]["nodes"])
    return tested


def _folder(node: dict) -> str:
    return node["fqn"][1] if len(node["fqn"]) > 2 else ""


def _naming_problem(node: dict) -> str | None:
    name, folder = node["name"], _folder(node)
    if name in NAMED_BY_THE_SPEC or folder not in LAYER_PREFIXES:
        return None
    if folder == "staging":
        source = node["fqn"][2] if len(node["fqn"]) > 3 else "<source>"
        if not name.startswith(f"stg_{source}__"):
            return f"a staging model is named stg_{source}__<entity>s (models/staging/{source}/)"
        return None
    prefixes = LAYER_PREFIXES[folder]
    if not name.startswith(prefixes):
        return f"a model in models/{folder}/ is named {' or '.join(p + '…' for p in prefixes)}"
    return None


def model_problems(manifest: dict, rendered_manifest: dict | None = None) -> list[str]:
    """One line per problem, `<file>: <model>: <what is wrong>`, in file order; empty when all is well.
    rendered_manifest is the manifest the warehouse DAG renders from, when there is one."""
    tested = _tested(manifest)
    rendered = {node["name"] for node in models(rendered_manifest).values()} if rendered_manifest else None
    problems = []
    for uid, node in sorted(models(manifest).items(), key=lambda item: item[1]["original_file_path"]):
        name, where = node["name"], node["original_file_path"]
        said = []
        if not node.get("patch_path"):
            said.append(f"no YAML entry: describe it (grain first) and test it in models/{_folder(node)}/_*.yml")
        elif not node["description"].strip():
            said.append("no description in its YAML")
        if node.get("patch_path") and uid not in tested:
            said.append("no data test or unit test")
        if _folder(node) == PUBLISHED_FOLDER:
            if not node["config"]["contract"]["enforced"]:
                said.append("published without an enforced contract (config: contract: {enforced: true})")
            undocumented = [column for column, spec in node["columns"].items() if not spec.get("description")]
            if undocumented:
                said.append(f"columns without a description: {', '.join(undocumented)}")
        if problem := _naming_problem(node):
            said.append(problem)
        if rendered is not None and name not in rendered:
            said.append("not in dbt_project/target/manifest.json, which the DAG renders: run `make install`")
        problems += [f"{where}: {name}: {problem}" for problem in said]
    return problems


def rendered_manifest(project_dir: Path = DBT_PROJECT) -> dict | None:
    path = project_dir / "target" / "manifest.json"
    return json.loads(path.read_text()) if path.exists() else None


def check(project_dir: Path = DBT_PROJECT, manifest: dict | None = None) -> list[str]:
    """The project parsed now (or the manifest given) checked; problem lines."""
    if manifest is None:
        with tempfile.TemporaryDirectory(prefix="check-models-") as work:
            manifest = parse_project(Path(work), project_dir)
    return model_problems(manifest, rendered_manifest(project_dir))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.check_models", description=__doc__.splitlines()[0])
    parser.add_argument("--project-dir", type=Path, default=DBT_PROJECT)
    args = parser.parse_args(argv)
    try:
        problems = check(args.project_dir.resolve())
    except ProjectDoesNotParse as failed:
        print(failed, file=sys.stderr)
        return 1
    for line in problems:
        print(line)
    print(
        f"check-models: {len(problems)} problem(s)" if problems else "check-models: every model passes", file=sys.stderr
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
