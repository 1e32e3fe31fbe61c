"""Airflow plugin: when a build_warehouse run finishes, the scheduler sets the run's note to the audit's verdict
(warehouse/run_note.py), so that the run page says passed or FAILED and what failed without opening a log.

Runs in the scheduler, inside the session that marks the run finished: the note is committed with the run's
state. A note someone already wrote is kept. Loaded from AIRFLOW__CORE__PLUGINS_FOLDER (tools/airflow_env.py)."""

from __future__ import annotations

import logging
from typing import ClassVar

from airflow.listeners import hookimpl
from airflow.plugins_manager import AirflowPlugin

log = logging.getLogger(__name__)
BUILD = "build_warehouse"


def _note(dag_run) -> None:
    from airflow.models.taskinstance import TaskInstance
    from airflow.models.xcom import XComModel
    from sqlalchemy import select
    from sqlalchemy.orm import object_session

    from warehouse.run_note import AUDIT_FIGURES, AUDIT_TASK, run_note

    if dag_run.dag_id != BUILD or dag_run.note:
        return
    session = object_session(dag_run)
    if session is None:
        return
    stored = session.scalar(
        select(XComModel.value).where(
            XComModel.dag_id == dag_run.dag_id,
            XComModel.run_id == dag_run.run_id,
            XComModel.task_id == AUDIT_TASK,
            XComModel.key == AUDIT_FIGURES,
        )
    )
    figures = XComModel.deserialize_value(_Row(stored)) if stored is not None else None
    failed = session.scalars(
        select(TaskInstance.task_id).where(
            TaskInstance.dag_id == dag_run.dag_id, TaskInstance.run_id == dag_run.run_id, TaskInstance.state == "failed"
        )
    ).all()
    dag_run.note = run_note(figures, list(failed))


class _Row:
    """What XComModel.deserialize_value reads: an object with `.value`."""

    def __init__(self, value):
        self.value = value


class RunNotes:
    @hookimpl
    def on_dag_run_success(self, dag_run, msg):
        _safely(dag_run)

    @hookimpl
    def on_dag_run_failed(self, dag_run, msg):
        _safely(dag_run)


def _safely(dag_run) -> None:
    try:
        _note(dag_run)
    except Exception:  # a note must never stop the scheduler
        log.exception("the note of %s %s was not set", dag_run.dag_id, dag_run.run_id)


class MinzhengRunNotes(AirflowPlugin):
    name = "minzheng_run_notes"
    listeners: ClassVar[list] = [RunNotes()]
