"""A plain-text account of what the raw layer holds, for people watching a run."""

from __future__ import annotations

from warehouse.landing.store import RawStore


def _table(headers: list[str], rows: list[tuple[object, ...]]) -> str:
    cells = [headers] + [["" if value is None else str(value) for value in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(_pad(value, widths[i]) for i, value in enumerate(row)) for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def raw_layer_report(store: RawStore, run_id: str | None = None) -> str:
    documents = store.query(
        "select source_id, count(*) filter (where kind <> 'attachment'), count(*) filter (where kind = 'attachment'),"
        " sum(text_chars) from documents_current group by 1 order by 1"
    )
    quarantined = store.query(
        "select source_id, stage, error_kind, count(*) from quarantine_open group by 1, 2, 3 order by 1, 2, 3"
    )
    fetches = store.query(
        "select outcome, count(*), sum(bytes) from fetch_log"
        + (" where run_id = ?" if run_id else "")
        + " group by 1 order by 2 desc",
        [run_id] if run_id else [],
    )
    parts = [
        "Documents landed (current versions):",
        _table(["source", "documents", "attachments", "characters"], documents),
        "",
        "Fetch attempts" + (" in this run:" if run_id else " (all runs):"),
        _table(["outcome", "requests", "bytes"], fetches),
        "",
        "Open quarantine (failures not yet followed by a success):",
        _table(["source", "stage", "error", "items"], quarantined) if quarantined else "  (empty)",
    ]
    return "\n".join(parts)
