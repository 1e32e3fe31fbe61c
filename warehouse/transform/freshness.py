"""`dbt source freshness` on the raw layer, for the engineer: which raw tables are older than their sources'
freshness (dbt_project/models/staging/raw/_raw__sources.yml: warn after 2 days without a new document).

It runs against a scratch warehouse file of its own, so that it can run beside a build that holds the build file
(DuckDB takes one writer per file). A stale source is a warning (the build goes on: the raw layer is what it is);
an `error_after` exceeded, or dbt failing to check, is an error."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warehouse.transform.dbt import run_dbt


@dataclass
class Freshness:
    passed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        verdict = "ERROR" if self.errors else "WARN" if self.warnings else "fresh"
        lines = [
            f"source freshness: {verdict} ({len(self.passed)} fresh, {len(self.warnings)} stale, "
            f"{len(self.errors)} error)"
        ]
        lines += [f"  - {line}" for line in self.errors + self.warnings]
        return "\n".join(lines)


def source_freshness(raw_dir: Path | str) -> Freshness:
    """dbt's verdict on every source with a freshness: one line per stale or failed source, saying how old."""
    with tempfile.TemporaryDirectory(prefix="dbt-freshness-") as work:
        result = run_dbt(["source", "freshness"], raw_dir, Path(work) / "freshness.duckdb", work)
        sources = Path(work) / "dbt_target" / "sources.json"
        if not sources.exists():
            return Freshness(errors=[f"dbt source freshness failed: {(result.stdout + result.stderr)[-2000:]}"])
        results = json.loads(sources.read_text(encoding="utf-8"))["results"]
    freshness = Freshness()
    for source in results:
        name = source["unique_id"].removeprefix("source.minzheng.")
        status = source["status"]
        if status == "pass":
            freshness.passed.append(name)
            continue
        age = source.get("max_loaded_at_time_ago_in_s")
        line = (
            f"{name}: newest row {source.get('max_loaded_at')} ({age / 86400:.1f} days ago), {status} after "
            f"{_criteria(source.get('criteria') or {}, status)}"
            if age is not None
            else f"{name}: {status}: {' '.join(str(source.get('error') or source.get('message') or '').split())}"
        )
        (freshness.warnings if status == "warn" else freshness.errors).append(line)
    return freshness


def _criteria(criteria: dict[str, Any], status: str) -> str:
    after = criteria.get("warn_after" if status == "warn" else "error_after") or {}
    return f"{after.get('count')} {after.get('period')}(s)"
