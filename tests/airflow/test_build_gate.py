"""The build DAG's first task is the gate of warehouse/build_trigger.py (tests/unit/test_build_trigger.py): a
short circuit that skips every other task of a run whose ingest landed nothing; no DAG catches up on unpause."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
PROBE = Path(__file__).with_name("build_gate_probe.py")


def test_the_build_starts_with_a_gate_that_skips_the_whole_run(sqlite_env):
    result = subprocess.run([sys.executable, str(PROBE)], env=sqlite_env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    wiring = json.loads(result.stdout.strip().splitlines()[-1])
    assert wiring["errors"] == {}
    assert wiring["gate_operator"] == "_ShortCircuitDecoratedOperator"
    assert wiring["gate_skips_every_downstream_task"] is True  # record_audit's all_done included
    assert wiring["roots"] == ["new_documents"]
    assert wiring["downstream_of_gate"] == wiring["tasks"] - 1
    assert wiring["catchup"] == {"build_warehouse": False, "ingest_disclosure_sites": False}
