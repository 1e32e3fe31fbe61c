"""Guard rails for analysts adding dbt models: the project parses, every model says what it is and is
tested, published models keep enforced contracts and document every column (BI users read those
descriptions as column comments)."""

from __future__ import annotations

import json

import pytest

from warehouse.settings import REPO_ROOT

pytestmark = pytest.mark.integration


def _models(manifest):
    return {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] == "model"}


def test_every_model_has_a_description(manifest):
    missing = sorted(name for name, node in _models(manifest).items() if not node["description"].strip())
    assert not missing, f"models without a description in their YAML: {missing}"


def test_every_model_is_tested(manifest):
    tested = set()
    for node in list(manifest["nodes"].values()) + list(manifest.get("unit_tests", {}).values()):
        if node["resource_type"] in ("test", "unit_test"):
            tested.update(node["depends_on"]["nodes"])
    untested = sorted(
        node["name"]
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and uid not in tested
    )
    assert not untested, f"models without a data test or unit test: {untested}"


def test_published_models_have_contracts_and_documented_columns(manifest):
    marts = {name: node for name, node in _models(manifest).items() if node["fqn"][1] == "marts"}
    assert marts
    for name, node in marts.items():
        assert node["config"]["contract"]["enforced"], f"{name}: marts are published with an enforced contract"
        undocumented = [column for column, spec in node["columns"].items() if not spec.get("description")]
        assert not undocumented, f"{name}: columns without a description: {undocumented}"


def test_the_manifest_cosmos_renders_is_current(manifest):
    """The warehouse DAG renders from dbt_project/target/manifest.json (make install refreshes it)."""
    committed = json.loads((REPO_ROOT / "dbt_project" / "target" / "manifest.json").read_text())
    assert set(_models(committed)) == set(_models(manifest)), "run `make install` (dbt parse) after adding a model"
