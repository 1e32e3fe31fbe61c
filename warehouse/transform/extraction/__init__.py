"""Text → indicator facts, called by the dbt Python models: numbers, segments and tables, the vocabulary
compiled from the seeds, the pairing of numbers with indicators, and their resolution.

The records made for every segment and mention (Segment, NumberMention, Hit, Candidate, MentionView, Place, …)
are dataclasses with slots, never changed once made, but not frozen: a frozen dataclass costs ~0.6 µs more to
build, which was 7 % of deciding and splitting at national scale."""

from __future__ import annotations

import hashlib
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def code_fingerprint(*modules: str) -> str:
    """A hash of the named modules' source: the incremental models store it with their rows and redo a
    document whose rows an older version of the code made."""
    digest = hashlib.sha256()
    for name in sorted(modules):
        digest.update(name.encode())
        digest.update((_HERE / f"{name}.py").read_bytes())
    return digest.hexdigest()[:16]


SEGMENT_MODULES = ("segments", "flat_tables", "tables", "numbers", "mentions")
DECISION_MODULES = ("vocabulary", "pairing", "resolution", "decisions", "tables")
