from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scrapers.drop_folder import ingest_folder
from tests.conftest import running_mirror
from tests.integration.shared_builds import build_folder, write_small_documents
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


@pytest.fixture(scope="session")
def small_documents(tmp_path_factory) -> tuple[Path, list[tuple]]:
    """One build of the bad input, the other bureaus' documents and the explained report (shared_builds.py),
    for the tests that read their facts: the warehouse file and indicator_facts."""
    root = tmp_path_factory.mktemp("small-documents")
    docs = root / "docs"
    docs.mkdir()
    write_small_documents(docs)
    return root / "warehouse.duckdb", build_folder(root, docs)


@pytest.fixture(scope="session")
def mirror_warehouse(tmp_path_factory):
    """Every enabled source of the offline mirror crawled (as `make demo` crawls them), then built, audited and
    published into a scratch folder: its Paths (`build` stays the audited build file). Made once for the tests
    that read the demo's warehouse (one fact once, the Superset dashboard)."""
    from scrapers.ingest import crawl_source
    from scrapers.registry import enabled_sources
    from warehouse.release.publish import Paths
    from warehouse.release.steps import write_audit_publish

    root = tmp_path_factory.mktemp("mirror-warehouse")
    store = RawStore(root / "raw")
    with running_mirror():
        for source in enabled_sources():
            crawl_source(source, store)
    paths = Paths(
        raw=root / "raw", build=root / "build" / "warehouse.duckdb", serving=root / "serving" / "warehouse.duckdb"
    )
    write_audit_publish(paths)
    return paths
