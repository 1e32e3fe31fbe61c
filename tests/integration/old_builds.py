"""The harness of the upgrade tests: a warehouse built by the code of an older commit, the ordinary build of
today's code over it, and a build from scratch to compare it with, mart by mart."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

import duckdb
import pytest

from warehouse.settings import REPO_ROOT
from warehouse.transform.dbt import run_dbt

# the old build and the build from scratch skip the data tests: only the tables they leave matter
WITHOUT_TESTS = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]


def code_at(commit: str, folder: Path) -> Path:
    """The dbt project and the Python it imports as they were at `commit` (git archive: no worktree)."""
    archive = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "archive", "--format=tar", commit, "dbt_project", "warehouse"],
        capture_output=True,
    )
    if archive.returncode != 0:
        pytest.skip(f"commit {commit} is not in this clone (a shallow checkout?): {archive.stderr.decode()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def build(raw: Path, warehouse: Path, work: Path, *args: str, old_code: Path | None = None) -> None:
    """`dbt build` of today's project, or of the project in `old_code` with its own Python models' imports."""
    options = {}
    if old_code is not None:
        options = {"project_dir": old_code / "dbt_project", "extra_env": {"PYTHONPATH": str(old_code)}}
    result = run_dbt(["build", *args], raw, warehouse, work, **options)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def upgraded_and_from_scratch(commit: str, raw: Path, folder: Path) -> tuple[Path, Path]:
    """A warehouse built by `commit`'s code and then by today's ordinary build (incremental where the models are),
    and a warehouse built from scratch by today's code, both of the raw layer `raw`."""
    old_code = code_at(commit, folder / f"code-{commit}")
    upgraded, scratch = folder / "upgraded.duckdb", folder / "scratch.duckdb"
    build(raw, upgraded, folder / "old", *WITHOUT_TESTS, old_code=old_code)
    build(raw, upgraded, folder / "new")
    build(raw, scratch, folder / "scratch", *WITHOUT_TESTS)
    return upgraded, scratch


def mart_rows(warehouse: Path, marts: dict[str, str]) -> dict[str, tuple[list[str], set[tuple[object, ...]]]]:
    """Per mart: its columns in order and its rows, of the columns `marts` selects (a select list)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            name: (
                [column[0] for column in con.execute(f"select {columns} from marts.{name} limit 0").description],
                set(con.execute(f"select {columns} from marts.{name}").fetchall()),
            )
            for name, columns in marts.items()
        }
    finally:
        con.close()
