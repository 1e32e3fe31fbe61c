"""Run the dbt project against a given raw layer and warehouse file.

dbt runs in its own process: dbt-duckdb keeps its DuckDB connection open for the life of the
process, and the caller usually wants to read the warehouse right after.

dbt reads a snapshot of the raw layer taken just before it starts (warehouse.landing.snapshot), in
`raw_snapshot/` beside the warehouse: crawls and drops land while it builds. A build or run that dbt says
succeeded is then finished here (warehouse.transform.finish): leftovers dropped, the file checkpointed, and a
checkpoint that fails (a full disk) fails the build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from warehouse.settings import BUILD_WAREHOUSE, DBT_EXECUTABLE, DBT_PROJECT, RAW_DIR, REPO_ROOT

RAW_LOCK_TIMEOUT = 600.0  # a snapshot waits for a writer's batch at most this long
SNAPSHOT_DIR = "raw_snapshot"
WRITING_COMMANDS = ("build", "run", "seed", "snapshot")


def raw_snapshot_dir(warehouse_path: Path | str) -> Path:
    """Where the raw layer a build of warehouse_path reads is copied to (dbt_variables' raw_dir for it)."""
    return Path(warehouse_path).resolve().parent / SNAPSHOT_DIR


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
    snapshot = _snapshot(raw_dir, warehouse_path)
    result = subprocess.run(
        command,
        env={**dbt_env(snapshot, warehouse_path), **(extra_env or {})},
        text=True,
        capture_output=quiet,
        check=False,
    )
    return _finished(result, args, warehouse_path)


def _snapshot(raw_dir: Path | str, warehouse_path: Path | str) -> Path:
    """The raw layer copied for this build (RawLayerDamaged when it is not whole: nothing is built from it)."""
    from warehouse.landing.snapshot import take_snapshot  # duckdb: not at import time, DAG files import this

    return take_snapshot(raw_dir, raw_snapshot_dir(warehouse_path), lock_timeout=RAW_LOCK_TIMEOUT)


def _finished(result: subprocess.CompletedProcess, args: list[str], warehouse_path) -> subprocess.CompletedProcess:
    """A writing command dbt says succeeded, finished; a finish that fails makes the result a failure."""
    if result.returncode != 0 or not set(args) & set(WRITING_COMMANDS) or not Path(warehouse_path).exists():
        return result
    from warehouse.transform.finish import BuildNotFinished, finish_build

    try:
        finish_build(warehouse_path)
    except BuildNotFinished as failed:
        return subprocess.CompletedProcess(result.args, 1, result.stdout, (result.stderr or "") + f"\n{failed}\n")
    return result


def dbt_failures(target_dir: Path | str) -> list[str]:
    """What dbt's last command in target_dir says failed, one line per node: its name, status and dbt's own message
    (from run_results.json), so that an alert names the model and the SQL error rather than "exit code 1"."""
    results = Path(target_dir) / "run_results.json"
    if not results.exists():
        return []
    lines = []
    for node in json.loads(results.read_text(encoding="utf-8")).get("results", []):
        if node.get("status") in ("error", "fail", "runtime error"):
            message = " ".join(str(node.get("message") or "").split())
            lines.append(f"{node.get('unique_id')} {node.get('status')}: {message[:1500]}")
    return lines


def main(argv: list[str]) -> int:
    """`make dbt ARGS="build -s +my_model"`: dbt on the main raw layer and candidate warehouse."""
    from warehouse.landing.health import RawLayerDamaged
    from warehouse.locks import Busy

    BUILD_WAREHOUSE.parent.mkdir(parents=True, exist_ok=True)
    command = [str(DBT_EXECUTABLE), *argv, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT)]
    try:
        snapshot = _snapshot(RAW_DIR, BUILD_WAREHOUSE)
    except (RawLayerDamaged, Busy) as failed:
        print(failed, file=sys.stderr)
        return 1
    result = subprocess.run(command, env=dbt_env(snapshot, BUILD_WAREHOUSE), cwd=DBT_PROJECT, check=False)
    finished = _finished(result, argv, BUILD_WAREHOUSE)
    if finished.returncode and not result.returncode:
        print(finished.stderr.strip(), file=sys.stderr)
    return finished.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
