from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scrapers.drop_folder import ingest_folder
from warehouse.landing.store import RawStore
from warehouse.settings import REPO_ROOT
from warehouse.transform.dbt import run_dbt

SEEDS = REPO_ROOT / "data" / "seeds"


def land_seed_documents(root: Path) -> tuple[Path, Path]:
    """The seed documents copied into root/docs and landed in the raw layer root/raw; returns both folders."""
    docs = root / "docs"
    docs.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, docs)
    ingest_folder(docs, RawStore(root / "raw"))
    return docs, root / "raw"


@pytest.fixture(scope="session")
def manifest(tmp_path_factory):
    """The dbt project parsed now (not the committed manifest)."""
    work = tmp_path_factory.mktemp("dbt-parse")
    result = run_dbt(["parse"], work / "raw", work / "warehouse.duckdb", work)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    return json.loads((work / "dbt_target" / "manifest.json").read_text())
