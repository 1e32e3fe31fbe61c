"""The offline mirror lists its sites at / of every port, and `make airflow` starts it on MIRROR_BASE_PORT."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import requests

from mirror.content import build_sites
from warehouse.settings import REPO_ROOT

pytestmark = pytest.mark.integration


def test_every_port_serves_an_index_of_the_mirrors_sites(mirror):
    for key in ("zhoushan", "docshare", "counties"):  # the first port, the one of a page, the last
        answer = requests.get(mirror.url(key) + "/", timeout=10)
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/html")
        for site in build_sites().values():
            assert site.name in answer.text and f'href="{mirror.url(site.key)}/"' in answer.text
            assert f"MIRROR_{site.key.upper()}_URL" in answer.text
    listed = requests.get(mirror.url("huzhou") + "/", timeout=10).text
    column = f"{mirror.url('provinces')}/col1/index.html"  # a TRS column's list page, linked from the index
    assert f'href="{column}"' in listed and "工作总结" in requests.get(column, timeout=10).text


def test_the_robots_txt_and_pages_of_each_site_are_unchanged_by_the_index(mirror):
    assert requests.get(mirror.url("zhoushan") + "/robots.txt", timeout=10).text.startswith("User-agent: *")
    assert requests.get(mirror.url("zhoushan") + "/index.htm", timeout=10).status_code == 404


def test_make_airflow_passes_MIRROR_BASE_PORT_to_the_launcher(tmp_path):
    """The launcher itself starts Airflow (a minute, and Airflow's home): here a stand-in `python` in BIN records
    the arguments make gives it, and the real launcher is asked whether it takes them."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").write_text('#!/bin/sh\necho "$@"\n')
    (bin_dir / "python").chmod(0o755)

    def make_airflow(**env) -> str:
        environment = {key: value for key, value in os.environ.items() if key not in ("MIRROR_BASE_PORT", "MAKEFLAGS")}
        result = subprocess.run(
            ["make", "-s", "-o", "install", "airflow", f"BIN={bin_dir}"],
            cwd=REPO_ROOT,
            env={**environment, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert make_airflow(MIRROR_BASE_PORT="18780") == "-m tools.airflow_up --mirror-base-port 18780"
    assert make_airflow() == "-m tools.airflow_up --mirror-base-port 8780"
    launcher = subprocess.run(
        [sys.executable, "-m", "tools.airflow_up", "--help"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )
    assert launcher.returncode == 0 and "--mirror-base-port" in launcher.stdout
