"""A checkpoint committed with the suites that does not load stops the audit with its file named; it is never
re-created behind a person's back. One that is missing is made again from its suite (a real GX file context,
copied from expectations/)."""

from __future__ import annotations

import shutil

import great_expectations as gx
import pytest

from warehouse.release.audit.checkpoints import CheckpointBroken, checkpoint
from warehouse.settings import GX_ROOT


@pytest.fixture
def gx_copy(tmp_path):
    shutil.copytree(GX_ROOT / "gx", tmp_path / "gx", ignore=shutil.ignore_patterns("uncommitted"))
    return tmp_path


def test_a_committed_checkpoint_that_does_not_load_is_an_error_naming_its_file(gx_copy):
    broken = gx_copy / "gx" / "checkpoints" / "raw_documents.json"
    broken.write_text('{"name": "raw_documents", "validation_definitions": [{"id": "no-such-id"', encoding="utf-8")
    context = gx.get_context(mode="file", project_root_dir=str(gx_copy))
    with pytest.raises(CheckpointBroken, match=r"raw_documents\.json"):
        checkpoint(context, gx, "raw_documents")
    assert broken.read_text(encoding="utf-8").endswith('"no-such-id"')  # left as it was, for a person to mend


def test_a_committed_checkpoint_loads(gx_copy):
    context = gx.get_context(mode="file", project_root_dir=str(gx_copy))
    assert checkpoint(context, gx, "raw_documents").name == "raw_documents"


def test_a_checkpoint_not_committed_is_made_from_its_suite_and_written(gx_copy):
    missing = gx_copy / "gx" / "checkpoints" / "raw_fetch_log.json"
    missing.unlink()
    context = gx.get_context(mode="file", project_root_dir=str(gx_copy))
    assert checkpoint(context, gx, "raw_fetch_log").name == "raw_fetch_log"
    assert missing.exists()
