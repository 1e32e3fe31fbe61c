from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest

from mirror.server import Mirror
from warehouse.landing.store import RawStore

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


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (no browser download); `make test` installs the package."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium; `make browser` does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot_path(name: str):
    """Where browser tests keep their screenshots: .run/screenshots, or $MINZHENG_SCREENSHOTS
    (`MINZHENG_SCREENSHOTS=docs/screenshots make test` refreshes the ones committed under docs/)."""
    folder = Path(
        os.environ.get("MINZHENG_SCREENSHOTS", Path(__file__).resolve().parent.parent / ".run" / "screenshots")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def figures_path(name: str):
    """Where tests that measure keep their figures (.run/figures): docs quote them, CI keeps them."""
    folder = Path(__file__).resolve().parent.parent / ".run" / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def offline_only(page) -> None:
    """Refuse requests off this machine at once (Data Docs ask CDNs for CSS): tests never touch the internet."""
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())
