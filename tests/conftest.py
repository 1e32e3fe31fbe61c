from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from mirror.server import Mirror
from warehouse.raw_store import RawStore

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


@contextmanager
def running_mirror():
    """A fresh offline mirror (fresh request counters) with the registry's MIRROR_*_URL pointing at it."""
    with Mirror() as running:
        saved = {key: os.environ.get(key) for key in running.env()}
        os.environ.update(running.env())
        try:
            yield running
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


@pytest.fixture
def mirror():
    with running_mirror() as running:
        yield running


@pytest.fixture
def store(tmp_path_factory) -> RawStore:
    return RawStore(tmp_path_factory.mktemp("raw"))
