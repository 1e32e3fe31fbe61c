"""Run the dbt project against a given raw layer and warehouse file.

dbt runs in its own process: dbt-duckdb keeps its DuckDB connection open for the life of the
process, and the caller usually wants to read the warehouse right after."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from warehouse.raw_store import raw_layer_lock

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT = REPO_ROOT / "dbt_project"
DBT = Path(sys.executable).parent / "dbt"
RAW_LOCK_TIMEOUT = 600.0


def dbt_env(raw_dir: Path | str, warehouse_path: Path | str) -> dict[str, str]:
    env = dict(os.environ)
    python_path = [str(REPO_ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env.update({"MINZHENG_RAW_DIR": str(Path(raw_dir).resolve()),
                "MINZHENG_WAREHOUSE": str(Path(warehouse_path).resolve()),
                "PYTHONPATH": os.pathsep.join(python_path),
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"})
    return env


def run_dbt(args: list[str], raw_dir: Path | str, warehouse_path: Path | str, work_dir: Path | str | None = None,
            quiet: bool = True, project_dir: Path | str = DBT_PROJECT,
            extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`dbt <args>` with the raw layer at raw_dir and the warehouse at warehouse_path."""
    work_dir = Path(work_dir or Path(warehouse_path).parent)
    Path(warehouse_path).parent.mkdir(parents=True, exist_ok=True)
    command = [str(DBT), *(["--quiet"] if quiet else []), "--no-use-colors", *args,
               "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
               "--target-path", str(work_dir / "dbt_target"), "--log-path", str(work_dir / "dbt_logs")]
    # dbt attaches the raw layer: writers (a crawl, a drop) wait until it is done, and it waits for them
    with raw_layer_lock(raw_dir, timeout=RAW_LOCK_TIMEOUT):
        return subprocess.run(command, env={**dbt_env(raw_dir, warehouse_path), **(extra_env or {})}, text=True,
                              capture_output=quiet)


def main(argv: list[str]) -> int:
    """`make dbt ARGS="build -s +my_model"`: dbt on the main raw layer and candidate warehouse."""
    raw_dir = os.environ.get("MINZHENG_RAW_DIR", str(REPO_ROOT / "warehouse" / "raw"))
    warehouse = os.environ.get("MINZHENG_WAREHOUSE", str(REPO_ROOT / "warehouse" / "build" / "warehouse.duckdb"))
    Path(warehouse).parent.mkdir(parents=True, exist_ok=True)
    command = [str(DBT), *argv, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT)]
    with raw_layer_lock(raw_dir, timeout=RAW_LOCK_TIMEOUT):
        return subprocess.run(command, env=dbt_env(raw_dir, warehouse), cwd=DBT_PROJECT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
