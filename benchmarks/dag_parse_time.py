"""How long Airflow takes to parse each DAG file (goal: under 1 s each), measured by Airflow's own
`airflow dags report`, which loads the dags folder the way the dag-processor does and times each file.

    python -m benchmarks.dag_parse_time [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.airflow_env import airflow_env
from warehouse.settings import REPO_ROOT

AIRFLOW = str(REPO_ROOT / ".venv" / "bin" / "airflow")


def parse_seconds(duration: str) -> float:
    """`dags report` prints durations as H:MM:SS.ffffff."""
    hours, minutes, seconds = duration.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="minzheng-parse-") as home:
        env = airflow_env(home=home)
        env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{home}/airflow.db"
        subprocess.run([AIRFLOW, "db", "migrate"], env=env, check=True, capture_output=True)
        runs: dict[str, list[float]] = {}
        shape: dict[str, tuple[int, int]] = {}
        for _ in range(args.repeats):
            result = subprocess.run(
                [AIRFLOW, "dags", "report", "-o", "json"], env=env, check=True, capture_output=True, text=True
            )
            report = next(line for line in result.stdout.splitlines() if line.startswith("[{"))
            for row in json.loads(report):
                name = Path(row["file"]).name
                runs.setdefault(name, []).append(parse_seconds(row["duration"]))
                shape[name] = (int(row["dag_num"]), int(row["task_num"]))
    for name, seconds in sorted(runs.items()):
        dags, tasks = shape[name]
        print(
            f"{name:32s} {dags} DAG, {tasks:3d} tasks: parse {min(seconds):.3f}s best, {max(seconds):.3f}s worst "
            f"of {len(seconds)} (goal < 1 s){'' if max(seconds) < 1 else '  OVER'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
