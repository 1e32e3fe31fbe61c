"""A small client of Airflow 3's REST API (v2): what the tests, benchmarks and tools need to drive a
running Airflow the way a data engineer's scripts would — log in, unpause, trigger, wait, look at tasks."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

import requests

FINISHED = {"success", "failed"}


class AirflowError(RuntimeError):
    pass


@dataclass
class AirflowClient:
    url: str
    username: str
    password: str
    session: requests.Session = field(default_factory=requests.Session)

    def login(self) -> AirflowClient:
        response = self.session.post(
            f"{self.url}/auth/token", json={"username": self.username, "password": self.password}, timeout=30
        )
        if response.status_code not in (200, 201):
            raise AirflowError(f"login failed: {response.status_code} {response.text[:300]}")
        self.session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        return self

    def _call(self, method: str, path: str, **kwargs) -> dict:
        response = self.session.request(method, f"{self.url}/api/v2{path}", timeout=60, **kwargs)
        if response.status_code >= 400:
            raise AirflowError(f"{method} {path}: {response.status_code} {response.text[:500]}")
        return response.json() if response.content else {}

    def wait_for_dag(self, dag_id: str, timeout: float = 180) -> dict:
        """New DAG files appear once the dag-processor has parsed them."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self._call("GET", f"/dags/{dag_id}")
            except AirflowError as not_yet:
                if time.monotonic() > deadline:
                    errors = self._call("GET", "/importErrors").get("import_errors", [])
                    message = f"DAG {dag_id} not parsed within {timeout}s; import errors: {errors}"
                    raise AirflowError(message) from not_yet
                time.sleep(2)

    def unpause(self, dag_id: str) -> None:
        self._call("PATCH", f"/dags/{dag_id}", json={"is_paused": False})

    def trigger(self, dag_id: str, conf: dict | None = None) -> str:
        run = self._call("POST", f"/dags/{dag_id}/dagRuns", json={"logical_date": None, "conf": conf or {}})
        return run["dag_run_id"]

    def dag_runs(self, dag_id: str) -> list[dict]:
        return self._call("GET", f"/dags/{dag_id}/dagRuns", params={"order_by": "-run_after", "limit": 50})["dag_runs"]

    def wait_for_new_run(self, dag_id: str, known: set[str], timeout: float = 300) -> str:
        """The id of a run of `dag_id` not in `known` (e.g. one an Asset event started)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            fresh = [run["dag_run_id"] for run in self.dag_runs(dag_id) if run["dag_run_id"] not in known]
            if fresh:
                return fresh[0]
            time.sleep(1)
        raise AirflowError(f"no new run of {dag_id} within {timeout}s")

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float = 900) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = self._call("GET", f"/dags/{dag_id}/dagRuns/{run_id}")
            if run["state"] in FINISHED:
                return run
            time.sleep(2)
        raise AirflowError(
            f"{dag_id} run {run_id} not finished within {timeout}s; tasks: {self.task_states(dag_id, run_id)}"
        )

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        """Every task instance of the run, mapped ones included (the API pages at most 100 at a time)."""
        found: list[dict] = []
        while True:
            page = self._call(
                "GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params={"limit": 100, "offset": len(found)}
            )
            found += page["task_instances"]
            if not page["task_instances"] or len(found) >= page["total_entries"]:
                return found

    def asset_events(self, source_dag_id: str, source_run_id: str) -> dict[str, dict]:
        """The Asset events a run emitted, by asset name: their `extra`, as the Assets view shows it."""
        events = self._call("GET", "/assets/events", params={"source_dag_id": source_dag_id, "limit": 100})
        return {
            event["name"]: event.get("extra") or {}
            for event in events.get("asset_events", [])
            if event.get("source_run_id") == source_run_id
        }

    def task_states(self, dag_id: str, run_id: str) -> dict[str, str]:
        return {_task_key(ti): ti["state"] for ti in self.task_instances(dag_id, run_id)}


def seconds_between(start: str, end: str) -> float:
    """Seconds between two of the API's ISO timestamps (a run's or task's start_date and end_date)."""
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def _task_key(ti: dict) -> str:
    return ti["task_id"] if ti.get("map_index", -1) < 0 else f"{ti['task_id']}[{ti['map_index']}]"
