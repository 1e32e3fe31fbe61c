"""Files that hold a secret (Airflow's and Superset's keys, the admin passwords): only their owner reads them."""

from __future__ import annotations

import os
from pathlib import Path


def write_private(path: Path, text: str) -> None:
    """A file only its owner reads, 0600 from the moment it exists: written and then narrowed, it would be
    readable by anyone between the two."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an older file keeps its mode on open
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
