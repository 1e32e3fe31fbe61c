"""`make demo`: run the ingest DAG for real through Airflow against the offline mirror, then show
what landed in the raw layer and how to open the Airflow UI."""

from __future__ import annotations

import re
import subprocess
import sys
import time

from mirror.server import Mirror
from tools.airflow_env import REPO_ROOT, airflow_env
from warehouse.raw_store import RawStore
from warehouse.report import raw_layer_report

AIRFLOW = str(REPO_ROOT / ".venv" / "bin" / "airflow")
PROGRESS = re.compile(r"\[[a-z_]+\] (crawling|\d+ (list pages|requests))|sources crawled|quarantined|"
                      r"Marking task as (SUCCESS|FAILED)|Traceback|Error", re.I)
AIRFLOW_LOG_LINE = re.compile(r"\[(?:info|warning|error)\s*\] (.*?) \[[\w.]+\] loc=")


def step(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def run_airflow(args: list[str], env: dict, log_path) -> int:
    """Run an airflow command, keep its full output in a log file, show the progress lines."""
    with open(log_path, "w") as log:
        process = subprocess.Popen([AIRFLOW, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, cwd=REPO_ROOT)
        for line in process.stdout:
            log.write(line)
            if PROGRESS.search(line):
                message = AIRFLOW_LOG_LINE.search(line)
                print("   " + (message.group(1) if message else line.rstrip()), flush=True)
        return process.wait()


def main() -> int:
    env = airflow_env()
    logs = REPO_ROOT / ".run"
    logs.mkdir(exist_ok=True)
    step(f"Airflow metadata database: {env['AIRFLOW__DATABASE__SQL_ALCHEMY_CONN'].split('@')[-1]}")
    started = time.monotonic()
    if run_airflow(["db", "migrate"], env, logs / "airflow-db-migrate.log") != 0:
        print(f"airflow db migrate failed; see {logs / 'airflow-db-migrate.log'}")
        return 1
    with Mirror() as mirror:
        env.update(mirror.env())
        step("Offline mirror of the disclosure sites is serving on 127.0.0.1:")
        for key in mirror.servers:
            print(f"   {key:10s} {mirror.url(key)}")
        step("Running the ingest DAG through Airflow (airflow dags test ingest_disclosure_sites)")
        code = run_airflow(["dags", "test", "ingest_disclosure_sites"], env, logs / "demo-ingest.log")
    if code != 0:
        print(f"\nThe ingest DAG run failed (exit {code}); full log: {logs / 'demo-ingest.log'}")
        return code
    step(f"What landed in the raw layer ({env['MINZHENG_RAW_DIR']}), {time.monotonic() - started:.0f}s in all:")
    print(raw_layer_report(RawStore(env["MINZHENG_RAW_DIR"])))
    step("Next")
    print(f"   Full DAG log:        {logs / 'demo-ingest.log'}")
    print("   Airflow UI:          make airflow   (prints the URL and a login generated for this install)")
    print("   Query the raw layer: .venv/bin/python -m scrapers report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
