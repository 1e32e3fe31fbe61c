"""The note of a build_warehouse run: the audit's verdict in a few lines, shown on the run's page in Airflow.

A task cannot set its own run's note in Airflow 3 (the Execution API only lets it note a run it triggers), so
the scheduler does, when the run finishes, through the listener in plugins/run_notes.py, from what the audit
task left in XCom (the figures of warehouse_audit's Asset event). Standard library only."""

from __future__ import annotations

from typing import Any

AUDIT_TASK = "quality_gate.audit"
AUDIT_FIGURES = "audit_figures"  # the XCom key the DAG's audit task pushes, passed or failed


def run_note(figures: dict[str, Any] | None, failed_tasks: list[str]) -> str:
    """Markdown: the audit's verdict (published or not, expectations failed and the documents behind them) and
    the tasks that failed."""
    if figures is None:
        lines = ["**Audit: no verdict** (the build did not reach it, or it stopped before one): nothing published."]
    elif figures.get("audit") == "passed":
        lines = [
            f"**Audit passed**: {figures.get('expectations_evaluated', 0)} expectations; "
            f"{figures.get('facts_published', 0)} facts from {figures.get('documents_published', 0)} documents "
            f"({figures.get('documents_new', 0)} new) audited for publishing."
        ]
    else:
        lines = [
            f"**Audit FAILED**: {figures.get('expectations_failed', 0)} of "
            f"{figures.get('expectations_evaluated', 0)} expectations failed; nothing published."
        ]
        for failure in figures.get("failed_expectations", [])[:10]:
            documents = ", ".join(failure.get("documents") or [])[:300]
            lines.append(
                f"- {failure.get('suite')}.{failure.get('column')} {failure.get('expectation')}: "
                f"{failure.get('unexpected_rows')} rows" + (f" ({documents})" if documents else "")
            )
    if failed_tasks:
        lines.append(f"**Failed tasks**: {', '.join(sorted(failed_tasks))} (alerts sent; see each task's log).")
    return "\n".join(lines)
