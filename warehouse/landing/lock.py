"""The raw layer's lock: every writer holds it for one short transaction, a dbt build that attaches the raw
layer for the whole build. Standard library only, so that the dbt runner and DAG files may import it."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from warehouse.locks import exclusive

LOCK_NAME = "raw.duckdb.lock"


def raw_layer_lock(root: Path | str, timeout: float = 300.0) -> AbstractContextManager[None]:
    return exclusive(Path(root) / LOCK_NAME, f"the raw layer {root}", timeout)
