"""Loaded in a subprocess by test_build_gate.py (Airflow must be configured by the environment before import):
how the DAGs wire the build's gate and what their schedules let a fresh unpause start."""

import json

from airflow.dag_processing.dagbag import DagBag

bag = DagBag()
build = bag.dags["build_warehouse"]
gate = build.get_task("new_documents")
print(
    json.dumps(
        {
            "errors": {k: str(v) for k, v in bag.import_errors.items()},
            "gate_operator": type(gate).__name__,
            "gate_skips_every_downstream_task": gate.ignore_downstream_trigger_rules,
            "roots": sorted(task.task_id for task in build.roots),
            "downstream_of_gate": len(gate.get_flat_relative_ids(upstream=False)),
            "tasks": len(build.tasks),
            "catchup": {dag_id: dag.catchup for dag_id, dag in bag.dags.items()},
        }
    )
)
