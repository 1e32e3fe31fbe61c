"""Loaded in a subprocess by test_dags.py: Airflow must be configured by the environment before import."""

import json
import sys

from airflow.dag_processing.dagbag import DagBag

bag = DagBag()
print(
    json.dumps(
        {
            "errors": {k: str(v) for k, v in bag.import_errors.items()},
            "dags": {d: sorted(t.task_id for t in dag.tasks) for d, dag in bag.dags.items()},
            "upstream": {
                f"{d}:{t.task_id}": sorted(t.upstream_task_ids) for d, dag in bag.dags.items() for t in dag.tasks
            },
            "retries": {f"{d}:{t.task_id}": t.retries for d, dag in bag.dags.items() for t in dag.tasks},
            "heavy": sorted(
                m
                for m in (
                    "scrapers",
                    "duckdb",
                    "warehouse.landing.store",
                    "warehouse.release.audit",
                    "bs4",
                    "pypdf",
                    "great_expectations",
                )
                if m in sys.modules
            ),
        }
    )
)
