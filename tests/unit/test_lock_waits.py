"""Waiting on a lock says at once what it waits for and who holds it, and keeps saying so while it waits
(issue 34 item 8: five silent minutes, then a traceback)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from warehouse.locks import Busy, exclusive

HOLDER = """
import sys, time
from warehouse.locks import exclusive
with exclusive(sys.argv[1], "a test holder", timeout=5):
    print("held", flush=True)
    sys.stdin.read()  # until the test closes our stdin
"""


@pytest.fixture
def held_lock(tmp_path):
    lock = tmp_path / "raw.duckdb.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock), "hold-the-raw-layer"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    yield lock, holder.pid
    holder.stdin.close()
    holder.wait(10)


def test_a_wait_names_the_lock_file_the_holder_and_its_command_at_once(held_lock):
    lock, pid = held_lock
    said: list[str] = []
    with pytest.raises(Busy, match=rf"another process \(pid {pid}\)"):
        with exclusive(lock, "the raw layer /x", timeout=1.0, say=said.append, report_every=0.2):
            pass
    first = said[0]
    assert first.startswith("the raw layer /x: waiting for ")
    assert str(lock) in first and f"pid {pid}" in first and "hold-the-raw-layer" in first
    assert any("still waiting" in line for line in said[1:])


def test_a_free_lock_says_nothing(tmp_path):
    said: list[str] = []
    with exclusive(tmp_path / "x.lock", "publishing", timeout=1.0, say=said.append):
        pass
    assert said == []
