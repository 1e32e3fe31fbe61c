"""Text → indicator facts, called by the dbt Python models: numbers, segments and tables, the vocabulary
compiled from the seeds, the pairing of numbers with indicators, and their resolution.

The records made for every segment and mention (Segment, NumberMention, Hit, Candidate, MentionView, Place, …)
are dataclasses with slots, never changed once made, but not frozen: a frozen dataclass is slower to build (its
__init__ sets each field through object.__setattr__), and millions of them are built at national scale."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_PACKAGE = __name__


def code_fingerprint(*entry_modules: str) -> str:
    """A hash of the source of the named modules of this package and of every module of it they import,
    directly or not: the incremental models store it with their rows and redo a document whose rows an older
    version of the code made. Following the imports means a new module is covered the day it is imported."""
    digest = hashlib.sha256()
    for name in sorted(imported_modules(*entry_modules)):
        digest.update(name.encode())
        digest.update((_HERE / f"{name}.py").read_bytes())
    return digest.hexdigest()[:16]


def imported_modules(*entry_modules: str) -> set[str]:
    """The entry modules and the modules of this package they import, transitively (by reading their code)."""
    found: set[str] = set()
    waiting = list(entry_modules)
    while waiting:
        name = waiting.pop()
        if name in found or not (_HERE / f"{name}.py").exists():
            continue
        found.add(name)
        tree = ast.parse((_HERE / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == _PACKAGE:
                    waiting += [alias.name for alias in node.names]
                elif node.module.startswith(_PACKAGE + "."):
                    waiting.append(node.module.removeprefix(_PACKAGE + ".").split(".")[0])
            elif isinstance(node, ast.Import):
                waiting += [
                    alias.name.removeprefix(_PACKAGE + ".").split(".")[0]
                    for alias in node.names
                    if alias.name.startswith(_PACKAGE + ".")
                ]
    return found


# where the dbt Python models start: splitting (segments and their mentions) and deciding
SEGMENT_MODULES = ("segments", "mentions")
DECISION_MODULES = ("decisions",)
