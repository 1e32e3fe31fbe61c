"""The rules fingerprint covers what decides: one list of seeds shared by the fingerprint, the deciding model and
the vocabulary, and the code found by following the deciding modules' imports."""

from __future__ import annotations

import ast
from pathlib import Path

from warehouse.settings import DBT_PROJECT
from warehouse.transform import extraction
from warehouse.transform.extraction import DECISION_MODULES, SEGMENT_MODULES, imported_modules
from warehouse.transform.extraction.vocabulary import rule_seeds

CLASSIFICATION_ONLY = {"document_kind_rules"}  # read by int_documents_classified's SQL, not by deciding


def _refs_of_python_model(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "ref"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def test_the_deciding_model_reads_every_rule_seed():
    refs = _refs_of_python_model(DBT_PROJECT / "models" / "intermediate" / "int_mention_decisions.py")
    seeds = set(rule_seeds(DBT_PROJECT))
    assert seeds - CLASSIFICATION_ONLY <= refs
    seed_files = {path.stem for path in (DBT_PROJECT / "seeds").glob("*.csv")}
    assert seeds <= seed_files


def test_the_code_fingerprint_follows_imports():
    deciding = imported_modules(*DECISION_MODULES)
    assert {"decisions", "pairing", "resolution", "scope", "vocabulary", "mentions", "confidence", "rules"} <= deciding
    assert {"segments", "vertical_tables", "flat_tables", "numbers"} <= imported_modules(*SEGMENT_MODULES)


def test_every_module_that_decides_is_in_the_fingerprint():
    """The deciding code spans many small modules (pairing, frame_pairing, hits, choosing, column_headers, …):
    each is reached from the deciding entry, so a change to any of them redoes the documents it decided."""
    package = Path(extraction.__file__).parent
    modules = {path.stem for path in package.glob("*.py")} - {"__init__"}
    not_deciding = {"regions"}  # read by the stg_gbt2260__regions model, not by deciding
    assert modules - not_deciding <= imported_modules(*DECISION_MODULES)
    assert {"frame_pairing", "segment_reader", "hits", "choosing", "column_headers", "anchors"} <= imported_modules(
        *DECISION_MODULES
    )
