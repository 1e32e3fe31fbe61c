"""sqlfluff on every dbt model with the dbt templater (rules in dbt_project/.sqlfluff), one line per problem:
`make lint`; tests/integration/test_sql_style.py runs the same code.

Some macros read the warehouse while dbt compiles a model (document_kind_rules, region_name_pattern,
fact_labels_hash read seeds and dimensions), so on a bare profile dbt cannot compile those models and sqlfluff
used to skip them with a warning ("schema … does not exist") and pass. Here the lint first builds, empty
(`dbt build --empty`), a scratch warehouse holding the seeds and the models those macros read; the incremental
models are not built, so every model is linted as its first build compiles it. A model dbt cannot compile, a
file sqlfluff cannot parse or skips for any reason, is a problem like any rule's."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from warehouse.settings import DBT_EXECUTABLE, DBT_PROJECT
from warehouse.transform.dbt import dbt_env

# The relations the macros read at compile time, built (with what they are built from) before the lint.
COMPILE_TIME_READS = ("stg_gbt2260__regions", "dim_indicator", "dim_region", "dim_scope")


class LintWarehouseNotBuilt(Exception):
    """The scratch warehouse the models compile against could not be built."""


def build_lint_warehouse(work_dir: Path, project_dir: Path = DBT_PROJECT) -> dict[str, str]:
    """The seeds and COMPILE_TIME_READS built empty into work_dir; the environment dbt and sqlfluff then use."""
    from warehouse.landing.store import RawStore

    RawStore(work_dir / "raw")  # the profile attaches a raw layer: an empty one
    env = dbt_env(work_dir / "raw", work_dir / "warehouse.duckdb")
    selected = ["resource_type:seed", *(f"+{name}" for name in COMPILE_TIME_READS)]
    command = [
        str(DBT_EXECUTABLE),
        *("--quiet", "--no-use-colors", "build", "--empty", "--select", *selected),
        *("--exclude-resource-type", "test", "unit_test"),
        *("--project-dir", str(project_dir), "--profiles-dir", str(project_dir)),
        *("--target-path", str(work_dir / "dbt_target"), "--log-path", str(work_dir / "dbt_logs")),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        said = (result.stdout + result.stderr).strip().splitlines()
        raise LintWarehouseNotBuilt("dbt build --empty failed: " + " / ".join(line.strip() for line in said[-6:]))
    return env


def model_files(project_dir: Path = DBT_PROJECT) -> list[str]:
    """The SQL models sqlfluff must lint, relative to the project (sqlfluff skips the Python models)."""
    return sorted(str(path.relative_to(project_dir)) for path in (project_dir / "models").rglob("*.sql"))


def sqlfluff_problems(
    env: dict[str, str], project_dir: Path = DBT_PROJECT, paths: list[str] | None = None
) -> list[str]:
    """`sqlfluff lint` of paths (every model by default), one line per violation or per file not linted."""
    paths = paths or model_files(project_dir)
    sqlfluff = Path(sys.executable).parent / "sqlfluff"
    result = subprocess.run(
        [str(sqlfluff), "lint", *paths, "--format", "json", "--disable-progress-bar", "--nocolor"],
        cwd=project_dir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        linted = json.loads(result.stdout or "[]")
    except json.JSONDecodeError:
        return [f"sqlfluff did not finish: {(result.stderr or result.stdout).strip()[-1500:]}"]
    problems = []
    for record in linted:
        for violation in record["violations"]:
            where = f"{record['filepath']}:{violation.get('start_line_no', 0)}:{violation.get('start_line_pos', 0)}"
            description = " ".join(violation["description"].split())  # a compile error spans lines
            problems.append(f"{where}: {violation['code']} {description[:600]}")
    # a skipped file is listed with no violation and nothing read from it, or not listed at all
    read = {
        str(Path(record["filepath"]))
        for record in linted
        if record["violations"] or record.get("statistics", {}).get("source_chars")
    }
    problems += [
        f"{path}: not linted: sqlfluff skipped it ({_why_skipped(path, result.stderr)})"
        for path in paths
        if str(Path(path)) not in read and (project_dir / path).read_text().strip()
    ]
    return problems


def _why_skipped(path: str, stderr: str) -> str:
    said = [line.strip() for line in stderr.splitlines() if Path(path).name in line]
    return said[0][:300] if said else "see `sqlfluff lint " + path + "`"


def lint(project_dir: Path = DBT_PROJECT, paths: list[str] | None = None) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="lint-models-") as work:
        try:
            env = build_lint_warehouse(Path(work), project_dir)
        except LintWarehouseNotBuilt as failed:
            return [str(failed)]
        return sqlfluff_problems(env, project_dir, paths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.lint_models", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="model files relative to the project (default: every model)")
    parser.add_argument("--project-dir", type=Path, default=DBT_PROJECT)
    args = parser.parse_args(argv)
    problems = lint(args.project_dir.resolve(), args.paths or None)
    for line in problems:
        print(line)
    print(f"sqlfluff: {len(problems)} problem(s)" if problems else "sqlfluff: every model is clean", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
