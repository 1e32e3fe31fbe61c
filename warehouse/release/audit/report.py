"""What an audit comes to: the failing expectations (Failure) with the documents behind their rows, and the
report (AuditReport) that the DAG's Asset events, the run note and `make publish` print."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# the columns that name the document behind a row (its id first, then its title): GX returns them with every
# unexpected row, so a failed audit says which documents to look at
DOCUMENT_COLUMNS = {
    "raw_documents": ["document_key", "title"],
    "raw_fetch_log": ["url"],
    "staging_documents": ["version_id", "title"],
    "staging_segments": ["version_id", "title"],
    "marts_facts": ["document_id", "document_title"],
}
EXAMPLES_SHOWN = 5
ROWS_RETURNED = 20  # unexpected rows GX returns per expectation, and so the documents a failure can name


def result_format(suite: str) -> dict[str, Any]:
    """What each checkpoint returns per expectation (the committed checkpoints hold the same)."""
    return {
        "result_format": "SUMMARY",
        "partial_unexpected_count": ROWS_RETURNED,
        "unexpected_index_column_names": DOCUMENT_COLUMNS[suite],
    }


@dataclass
class Failure:
    suite: str
    expectation: str
    column: str
    unexpected_count: Any  # rows; for an expectation on the whole table, what GX observed (a count or None)
    examples: list[Any]
    documents: list[str] = field(default_factory=list)  # "title (id)" of the documents behind unexpected rows

    def __str__(self) -> str:
        behind = f"; documents: {'; '.join(self.documents)}" if self.documents else ""
        return (
            f"{self.suite}: {self.expectation}({self.column}) failed for {self.unexpected_count} rows, "
            f"e.g. {self.examples}{behind}"
        )

    def as_record(self) -> dict[str, Any]:
        """JSON-able, for the Airflow Asset event of the audit."""
        return {
            "suite": self.suite,
            "expectation": self.expectation,
            "column": self.column,
            "unexpected_rows": self.unexpected_count,
            "documents": self.documents,
        }

    def absorb(self, other: Failure) -> None:
        """The same expectation failed in another chunk of the suite's rows: count and name those rows too."""
        if isinstance(self.unexpected_count, int) and isinstance(other.unexpected_count, int):
            self.unexpected_count += other.unexpected_count
        self.examples = (self.examples + other.examples)[:EXAMPLES_SHOWN]
        self.documents += [document for document in other.documents if document not in self.documents]


def documents_behind(rows: list[dict[str, Any]], columns: list[str]) -> list[str]:
    """The distinct documents of GX's unexpected rows (partial_unexpected_index_list), as "title (id)"."""
    named: list[str] = []
    for row in rows:
        identifier, title = row.get(columns[0]), row.get(columns[1]) if len(columns) > 1 else None
        label = f"{title} ({identifier})" if isinstance(title, str) and title else str(identifier)  # NaN: none
        if identifier is not None and label not in named:
            named.append(label)
    return named


@dataclass
class AuditReport:
    success: bool
    row_counts: dict[str, int] = field(default_factory=dict)  # rows validated, per suite
    failures: list[Failure] = field(default_factory=list)
    evaluated: int = 0  # expectations evaluated, over every suite
    documents_new: int = 0  # document versions in the candidate that the serving file does not have
    table_rows: dict[str, int] = field(default_factory=dict)  # rows of each validated table, in or out of scope
    scope: str = "every row"  # or the document versions this build made or changed since the published file
    data_docs: Path | None = None
    validation_pages: dict[str, Path] = field(default_factory=dict)  # suite → this run's Data Docs page
    # an analyst's corrections that name no current document or fact (int_corrections_unmatched): reported, they
    # do not fail the audit (the data is right either way; the row is to be edited or deleted)
    unmatched_corrections: list[str] = field(default_factory=list)

    def add_failure(self, failure: Failure) -> None:
        """One failed expectation of one chunk: a failure of an expectation another chunk failed too is added
        to that failure, so the report has one line per suite, expectation and column."""
        key = (failure.suite, failure.expectation, failure.column)
        same = next((f for f in self.failures if (f.suite, f.expectation, f.column) == key), None)
        if same is None:
            self.failures.append(failure)
        else:
            same.absorb(failure)

    def figures(self) -> dict[str, Any]:
        """What a build's audit comes to, for the Airflow Asset events of its audit and publish."""
        figures: dict[str, Any] = {
            "audit": "passed" if self.success else "FAILED",
            "facts_published": self._rows("marts_facts") if self.success else 0,
            "documents_published": self._rows("staging_documents") if self.success else 0,
            "documents_new": self.documents_new,
            "expectations_evaluated": self.evaluated,
            "expectations_failed": len(self.failures),
        }
        if self.failures:
            figures["failed_expectations"] = [failure.as_record() for failure in self.failures]
        if self.unmatched_corrections:
            figures["unmatched_corrections"] = self.unmatched_corrections
        return figures

    def _rows(self, suite: str) -> int:
        return self.table_rows.get(suite, self.row_counts.get(suite, 0))

    def summary(self) -> str:
        lines = [
            f"audit {'passed' if self.success else 'FAILED'} ({self.scope}): "
            + ", ".join(f"{name} {rows} rows" for name, rows in self.row_counts.items())
        ]
        lines += [f"  - {failure}" for failure in self.failures]
        if self.unmatched_corrections:
            lines.append(
                f"{len(self.unmatched_corrections)} correction(s) match nothing in this build"
                " (dbt_project/seeds/document_corrections.csv, fact_corrections.csv; docs/runbook.md):"
            )
            lines += [f"  - {correction}" for correction in self.unmatched_corrections]
        return "\n".join(lines)
