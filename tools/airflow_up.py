"""`make airflow`: Airflow 3 on localhost (api-server, scheduler, dag-processor, triggerer) plus the
offline mirror the mirror sources crawl. Prints the UI address and this install's login; Ctrl-C stops all.

The metadata database is the embedded SQLite unless AIRFLOW__DATABASE__SQL_ALCHEMY_CONN names another
(e.g. postgresql+psycopg2://postgres@127.0.0.1:5432/airflow).

`make airflow-distributed` (--distributed): the same pipeline with the CeleryExecutor — Redis
(MINZHENG_REDIS, default redis://127.0.0.1:6379) as broker and for the crawlers' shared per-host rate limit,
PostgreSQL (database `airflow` on 127.0.0.1:5432 unless AIRFLOW__DATABASE__SQL_ALCHEMY_CONN says otherwise)
for metadata and Celery results, and two Celery workers on this machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from mirror.server import Mirror
from tools.airflow_env import ADMIN_USER, airflow_env
from warehouse.postgres import Unreachable, ensure_database
from warehouse.settings import REPO_ROOT

AIRFLOW = str(REPO_ROOT / ".venv" / "bin" / "airflow")
# The scheduler, triggerer and Celery workers start a log server that Airflow 3.3 binds to every interface
# (0.0.0.0 / [::], no setting says otherwise). On one machine the api-server reads the task logs from disk,
# so nothing needs it: it is not started. MINZHENG_AIRFLOW_SERVE_LOGS=1 starts it (workers on other machines).
SERVE_LOGS = os.environ.get("MINZHENG_AIRFLOW_SERVE_LOGS", "") == "1"
_NO_LOG_SERVER = [] if SERVE_LOGS else ["--skip-serve-logs"]
COMPONENTS = (
    "api-server",
    ("scheduler", ["scheduler", *_NO_LOG_SERVER], {}),
    "dag-processor",
    ("triggerer", ["triggerer", *_NO_LOG_SERVER], {}),
)


class AirflowStack:
    """The Airflow components as child processes, each logging to .run/airflow-<component>.log."""

    def __init__(self, env: dict, components=COMPONENTS, log_dir=None):
        self.env = env
        self.components = components
        self.log_dir = log_dir or REPO_ROOT / ".run"
        self.processes: dict[str, subprocess.Popen] = {}

    @property
    def url(self) -> str:
        return self.env["AIRFLOW__API__BASE_URL"]

    def log_path(self, component: str) -> Path:
        return component_log(self.log_dir, component)

    def migrate(self) -> None:
        subprocess.run(
            [AIRFLOW, "db", "migrate"], env=self.env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )

    def create_pools(self) -> subprocess.Popen:
        """The one-slot pool of the warehouse writers; started beside the components (the CLI is slow
        to start), waited for before any run is triggered."""
        return subprocess.Popen(
            [AIRFLOW, "pools", "set", "duckdb", "1", "DuckDB takes one writer per file"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )

    def start(self) -> AirflowStack:
        """Components are names of `airflow <name>` commands, or (name, argv, extra environment) tuples."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for component in self.components:
            name, argv, extra = (component, [component], {}) if isinstance(component, str) else component
            with open(self.log_path(name), "w") as log:  # the child keeps its own copy of the descriptor
                self.processes[name] = subprocess.Popen(
                    [AIRFLOW, *argv],
                    env={**self.env, **extra},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        return self

    def wait_healthy(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for component, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(
                        f"airflow {component} exited with {process.returncode}; see {self.log_path(component)}"
                    )
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/monitor/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(1)
        raise TimeoutError(f"Airflow did not answer on {self.url} within {timeout}s")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def component_log(log_dir: Path | str, component: str) -> Path:
    return Path(log_dir) / f"airflow-{component}.log"


def celery_worker_name(n: int) -> str:
    return f"celery-worker-{n}"


def celery_workers(count: int = 2, concurrency: int = 4) -> list[tuple[str, list[str], dict]]:
    """Celery workers on this machine: each its own name (and, where log servers run, its own port)."""
    return [
        (
            celery_worker_name(n),
            [
                "celery",
                "worker",
                "--concurrency",
                str(concurrency),
                "--celery-hostname",
                f"worker{n}@%h",
                *_NO_LOG_SERVER,
            ],
            {"AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port())},
        )
        for n in range(1, count + 1)
    ]


RECEIVED = re.compile(r"Task \S*execute_workload\[[0-9a-f-]+\] received")


def tasks_received(log_dir: Path | str, count: int) -> dict[str, int]:
    """How many task workloads each of `count` Celery workers (named as celery_workers names them) received,
    from their logs in `log_dir`."""
    names = [celery_worker_name(n) for n in range(1, count + 1)]
    return {name: len(RECEIVED.findall(component_log(log_dir, name).read_text(errors="replace"))) for name in names}


def distributed_env(env: dict, metadata_url: str, redis_url: str = "redis://127.0.0.1:6379") -> dict:
    """CeleryExecutor: Redis as the broker, PostgreSQL for metadata and Celery results, and the crawlers'
    per-host politeness shared through Redis."""
    database = metadata_url.split("://", 1)[1]
    return {
        **env,
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url,
        "AIRFLOW__CELERY__BROKER_URL": f"{redis_url}/0",
        "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql://{database}",
        "MINZHENG_RATE_LIMIT_REDIS": f"{redis_url}/1",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_airflow(env: dict, components=COMPONENTS, log_dir=None):
    """Migrate, create the pools, start every component, wait for health; stop them all on exit."""
    stack = AirflowStack(env, components, log_dir)
    stack.migrate()
    pools = stack.create_pools()
    stack.start()
    try:
        stack.wait_healthy()
        if pools.wait(timeout=120) != 0:
            raise RuntimeError("airflow pools set duckdb failed")
        yield stack
    finally:
        stack.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=None, help="UI/API port (default $AIRFLOW_PORT or 8080)")
    parser.add_argument("--mirror-base-port", type=int, default=8780)
    parser.add_argument(
        "--distributed", action="store_true", help="CeleryExecutor with two workers (Redis broker, PostgreSQL metadata)"
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    env = airflow_env(port=args.port)
    components = COMPONENTS
    if args.distributed:
        metadata_url = os.environ.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "")
        if not metadata_url.startswith("postgresql"):
            try:
                metadata_url = ensure_database("airflow")
            except Unreachable as down:
                print(
                    f"Airflow not started: {down} (or set AIRFLOW__DATABASE__SQL_ALCHEMY_CONN to another metadata "
                    "database)",
                    file=sys.stderr,
                )
                return 2
        env = distributed_env(env, metadata_url, os.environ.get("MINZHENG_REDIS", "redis://127.0.0.1:6379"))
        components = (*COMPONENTS, *celery_workers(args.workers))
    mirror = Mirror(base_port=args.mirror_base_port).start()
    env.update(mirror.env())
    print(f"metadata database: {env['AIRFLOW__DATABASE__SQL_ALCHEMY_CONN'].split('@')[-1]}", flush=True)
    try:
        with running_airflow(env, components) as stack:
            _serve(stack, mirror, env)
    except KeyboardInterrupt:
        return 0
    finally:
        mirror.stop()
    print("an Airflow component stopped; shutting down", file=sys.stderr)
    return 1


def _serve(stack: AirflowStack, mirror: Mirror, env: dict) -> None:
    print(
        f"\nAirflow UI:  {stack.url}\nlogin:       {ADMIN_USER} / {_password(env)}"
        f"\nmirror:      {mirror.url('zhoushan')} … (one port per site)"
        f"\nlogs:        {stack.log_dir}/airflow-*.log\nCtrl-C stops everything.",
        flush=True,
    )
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    while all(process.poll() is None for process in stack.processes.values()):
        time.sleep(2)


def _password(env: dict) -> str:
    from tools.airflow_env import admin_password

    return admin_password(env["AIRFLOW_HOME"])


if __name__ == "__main__":
    sys.exit(main())
