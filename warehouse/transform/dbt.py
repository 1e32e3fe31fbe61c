"""Run the dbt project against a given raw layer and warehouse file.

dbt runs in its own process: dbt-duckdb keeps its DuckDB connection open for the life of the
process, and the caller usually wants to read the warehouse right after."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from warehouse.landing.lock import raw_layer_lock
from warehouse.settings import BUILD_WAREHOUSE, DBT_EXECUTABLE, DBT_PROJECT, RAW_DIR, REPO_ROOT

RAW_LOCK_TIMEOUT = 600.0


def dbt_variables(raw_dir: Path | str, warehouse_path: Path | str) -> dict[str, str]:
    """What dbt needs besides the caller's environment: where the raw layer and the warehouse are (profiles.yml
    reads them), this repository on the path (the Python models import warehouse.transform.extraction), no
    telemetry. The DAG gives Cosmos the same variables."""
    python_path = [str(REPO_ROOT)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])
    return {
        "MINZHENG_RAW_DIR": str(Path(raw_dir).resolve()),
        "MINZHENG_WAREHOUSE": str(Path(warehouse_path).resolve()),
        "PYTHONPATH": os.pathsep.join(python_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }


def dbt_env(raw_dir: Path | str, warehouse_path: Path | str) -> dict[str, str]:
    return {**os.environ, **dbt_variables(raw_dir, warehouse_path)}


def run_dbt(
    args: list[str],
    raw_dir: Path | str,
    warehouse_path: Path | str,
    work_dir: Path | str | None = None,
    quiet: bool = True,
    project_dir: Path | str = DBT_PROJECT,
    extra_env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """`dbt <args>` with the raw layer at raw_dir and the warehouse at warehouse_path."""
    work_dir = Path(work_dir or Path(warehouse_path).parent)
    Path(warehouse_path).parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(DBT_EXECUTABLE),
        *(["--quiet"] if quiet else []),
        "--no-use-colors",
        *args,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(work_dir / "dbt_target"),
        "--log-path",
        str(work_dir / "dbt_logs"),
    ]
    # dbt attaches the raw layer: writers (a crawl, a drop) wait until it is done, and it waits for them
    with raw_layer_lock(raw_dir, timeout=RAW_LOCK_TIMEOUT):
        return subprocess.run(
            command,
            env={**dbt_env(raw_dir, warehouse_path), **(extra_env or {})},
            text=True,
            capture_output=quiet,
            check=False,
        )


def main(argv: list[str]) -> int:
    """`make dbt ARGS="build -s +my_model"`: dbt on the main raw layer and candidate warehouse."""
    BUILD_WAREHOUSE.parent.mkdir(parents=True, exist_ok=True)
    command = [str(DBT_EXECUTABLE), *argv, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT)]
    with raw_layer_lock(RAW_DIR, timeout=RAW_LOCK_TIMEOUT):
        return subprocess.run(command, env=dbt_env(RAW_DIR, BUILD_WAREHOUSE), cwd=DBT_PROJECT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
