"""The source registry (scrapers/sources.yml) landed as the raw table `sources`, so that dbt reads a source's
publisher and region through `source('raw', 'sources')` as it reads the documents: a region corrected in the
registry reaches the documents already landed on the next build, without touching the append-only tables.

The file is read here as data (its id, publisher, region and enabled of each entry), not through
scrapers.registry: the raw layer sits below the scrapers in the import contract (docs/architecture.md), and a
registry the crawl would refuse still says which region an analyst meant. Landed by take_snapshot into the copy a
build reads: the one step every build passes (make publish, the DAG, make dbt), so a build always sees the file
as it is when the build starts."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import yaml

SOURCES_TABLE = """
create or replace table sources (
    source_id varchar primary key,
    publisher varchar,
    region varchar,
    enabled boolean not null,
    registry_sha256 varchar not null,
    landed_at timestamp not null
)
"""


def registry_rows(path: Path | str) -> list[tuple]:
    """One row per entry of the registry file: (source_id, publisher, region, enabled, the file's sha256, now). An
    unreadable file or one without a `sources` list lands no row (the crawl reports its mistakes); an id listed
    twice keeps its first entry, as the crawl's duplicate check names the second."""
    try:
        text = Path(path).read_bytes()
        tree = yaml.safe_load(text) or {}
    except (OSError, yaml.YAMLError):
        return []
    digest, now = hashlib.sha256(text).hexdigest(), datetime.now(UTC).replace(tzinfo=None)
    rows: dict[str, tuple] = {}
    for entry in tree.get("sources") or [] if isinstance(tree, dict) else []:
        if isinstance(entry, dict) and entry.get("id"):
            region = str(entry.get("region") or "").strip() or None
            rows.setdefault(
                str(entry["id"]),
                (str(entry["id"]), entry.get("publisher"), region, bool(entry.get("enabled", False)), digest, now),
            )
    return list(rows.values())


def land_registry(con, path: Path | str) -> int:
    """Rewrite the table `sources` of the raw layer open on `con` whole from the registry at `path`; its rows."""
    rows = registry_rows(path)
    con.execute(SOURCES_TABLE)
    if rows:
        con.executemany("insert into sources values (?, ?, ?, ?, ?, ?)", rows)
    return len(rows)
