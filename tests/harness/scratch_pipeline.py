"""The whole pipeline in a scratch folder: the offline mirror, Airflow (api-server, scheduler,
dag-processor, triggerer) with its own home, raw layer, candidate and serving warehouse — driven the way a
data engineer would, through the REST API. Used by the end-to-end tests and the latency and fleet benchmarks."""

from __future__ import annotations

import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from mirror.process import MirrorProcess
from mirror.server import Mirror
from tests.harness.airflow_client import AirflowClient
from tools.airflow_env import ADMIN_USER, admin_password, airflow_env
from tools.airflow_up import COMPONENTS, AirflowStack, distributed_env, free_port, running_airflow
from tools.airflow_up import celery_workers as workers

INGEST, BUILD = "ingest_disclosure_sites", "build_warehouse"


@dataclass
class ScratchPipeline:
    root: Path
    env: dict
    mirror: Mirror
    stack: AirflowStack
    client: AirflowClient

    @property
    def serving(self) -> Path:
        return Path(self.env["MINZHENG_SERVING"])

    @property
    def password(self) -> str:
        return admin_password(self.env["AIRFLOW_HOME"])

    def ingest_then_build(self, timeout: float = 900) -> tuple[dict, dict]:
        """Trigger the ingest DAG; the `raw_documents` Asset it updates starts the warehouse build.
        Returns both finished runs."""
        known = {run["dag_run_id"] for run in self.client.dag_runs(BUILD)}
        ingest = self.client.wait_for_run(INGEST, self.client.trigger(INGEST), timeout)
        if ingest["state"] != "success":
            return ingest, {}
        build_id = self.client.wait_for_new_run(BUILD, known, timeout=120)
        return ingest, self.client.wait_for_run(BUILD, build_id, timeout)


SEED_SOURCES = ("zhoushan_mirror", "huzhou_mirror", "cixi_mirror", "wenzhou_mirror", "zhoushan_plan_docshare_mirror")


@contextmanager
def scratch_pipeline(
    root: Path,
    metadata_url: str | None = None,
    extra_env: dict | None = None,
    components=COMPONENTS,
    mirror_fillers: int = 0,
    celery_workers: int = 0,
    worker_concurrency: int = 4,
    mirror: Mirror | MirrorProcess | None = None,
    unpause=(INGEST, BUILD),
    sources: tuple[str, ...] | None = SEED_SOURCES,
):
    """celery_workers > 0: the CeleryExecutor with that many workers (needs PostgreSQL metadata and Redis).
    mirror: a running mirror to crawl (left running on exit); by default one is started in this process.
    sources: the registry's sources this pipeline crawls (None: those sources.yml enables). The seed bureaus'
    sites by default: what the pipeline's wiring needs, at a fraction of the corpus portals' build time."""
    root = Path(root)
    home = root / "airflow"
    env = airflow_env(home=home, port=free_port())
    env.update(
        {
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url or f"sqlite:///{home / 'airflow.db'}",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "MINZHENG_INGEST_SCHEDULE": "none",  # runs only when triggered: unpausing must not start one
            "MINZHENG_RAW_DIR": str(root / "raw"),
            "MINZHENG_WAREHOUSE": str(root / "build" / "warehouse.duckdb"),
            "MINZHENG_SERVING": str(root / "serving" / "warehouse.duckdb"),
            "MINZHENG_ALERTS": str(root / "alerts.jsonl"),
            **({"MINZHENG_SOURCES": str(registry_with(root / "sources.yml", sources))} if sources else {}),
            **(extra_env or {}),
        }
    )
    if celery_workers:
        env = distributed_env(env, metadata_url, env.get("MINZHENG_REDIS", "redis://127.0.0.1:6379"))
        components = (*components, *workers(celery_workers, worker_concurrency))
    with ExitStack() as stack:
        if mirror is None:
            mirror = stack.enter_context(Mirror(extra_fillers=mirror_fillers))
        env.update(mirror.env())
        airflow = stack.enter_context(running_airflow(env, components, log_dir=root / "logs"))
        client = AirflowClient(airflow.url, ADMIN_USER, admin_password(home)).login()
        for dag_id in (INGEST, BUILD):
            client.wait_for_dag(dag_id)
        for dag_id in unpause:
            client.unpause(dag_id)
        yield ScratchPipeline(root, env, mirror, airflow, client)


def registry_with(path: Path, enabled: tuple[str, ...]) -> Path:
    """A copy of the source registry with only these sources enabled."""
    import yaml

    from warehouse.settings import SOURCES as DEFAULT_REGISTRY

    registry = yaml.safe_load(Path(DEFAULT_REGISTRY).read_text(encoding="utf-8"))
    for entry in registry["sources"]:
        entry["enabled"] = entry["id"] in enabled
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(registry, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def serving_has(serving: Path, sql: str, params: list | None = None, timeout: float = 0) -> bool:
    """Whether `sql` returns a row from the serving file (polling up to `timeout` seconds)."""
    import duckdb

    deadline = time.monotonic() + timeout
    while True:
        if serving.exists():
            con = duckdb.connect(str(serving), read_only=True)
            try:
                if con.execute(sql, params or []).fetchall():
                    return True
            finally:
                con.close()
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.5)
