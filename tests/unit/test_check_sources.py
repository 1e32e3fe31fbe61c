"""sources.yml checked at load (scrapers/source_schema.py), and the crawl's one-line refusals: each mistake is
one line naming the file, the line, the source and the key; `python -m scrapers check-sources` is how CI runs
the check on the shipped registry."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from scrapers.__main__ import main
from scrapers.registry import DEFAULT_REGISTRY
from warehouse.settings import REPO_ROOT

GOOD = """\
defaults:
  title_include: "总结"
sources:
  - id: zhoushan_mirror
    publisher: 舟山市民政局
    region: 舟山市
    adapter: hanweb_jcms
    base_url: "http://127.0.0.1:8780"
    columns: [{id: 1229282406, name: 工作计划与总结}]
    enabled: true
"""


def run_scrapers(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapers", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})},
    )


def test_the_shipped_registry_passes_the_check():
    done = run_scrapers("check-sources")
    assert done.returncode == 0, done.stderr
    assert "no mistakes" in done.stdout and str(DEFAULT_REGISTRY) in done.stdout


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (
            ("    enabled: true", "    enabeld: true"),
            "sources.yml:10: source 'zhoushan_mirror': unknown key 'enabeld' (did you mean 'enabled'?)",
        ),
        (
            ('    base_url: "http://127.0.0.1:8780"\n', ""),
            "sources.yml:4: source 'zhoushan_mirror': missing required key 'base_url'",
        ),
        (
            ("adapter: hanweb_jcms", "adapter: hanweb"),
            "sources.yml:7: source 'zhoushan_mirror': unknown adapter 'hanweb' "
            "(known: hanweb_jcms, hanweb_jpaas, pages, selectors, trs_wcm)",
        ),
        (
            ("region: 舟山市", "region: 舟山"),
            "sources.yml:6: source 'zhoushan_mirror': region '舟山' is no GB/T 2260 region name "
            "(did you mean '舟山市'?)",
        ),
        (
            ("columns: [{id: 1229282406,", "columns: [{id: 1229282406, nmae: x,"),
            "sources.yml:9: source 'zhoushan_mirror': unknown key 'columns.0.nmae' (did you mean 'name'?)",
        ),
        (
            ("    enabled: true", "    politeness: {min_interval_seconds: soon}"),
            "sources.yml:10: source 'zhoushan_mirror': politeness.min_interval_seconds: Input should be a valid number",
        ),
        (
            ('title_include: "总结"', 'title_inclde: "总结"'),
            "sources.yml:2: defaults: unknown key 'title_inclde' (did you mean 'title_include'?)",
        ),
        (
            ("columns: [{id: 1229282406, name: 工作计划与总结}]", "columns: [{id: 1229282406, name: 工作计划与总结}"),
            "sources.yml:10:5: YAML syntax error: while parsing a flow sequence: expected ',' or ']'",
        ),
    ],
)
def test_each_mistake_is_one_line_naming_file_line_source_and_key(tmp_path, capsys, change, line):
    registry = tmp_path / "sources.yml"
    registry.write_text(GOOD.replace(*change), encoding="utf-8")
    assert main(["check-sources", str(registry)]) == 2
    [message] = capsys.readouterr().err.splitlines()
    assert message.startswith(str(tmp_path)) and line in message, message


def test_a_duplicate_id_names_the_id_and_both_lines(tmp_path, capsys):
    registry = tmp_path / "sources.yml"
    second = GOOD.split("sources:\n")[1].replace("region: 舟山市", "region: 湖州市")
    registry.write_text(GOOD + second, encoding="utf-8")
    assert main(["check-sources", str(registry)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{registry}:11: source 'zhoushan_mirror': duplicate id (first at line 4)"
    ]


def test_the_crawl_refuses_a_mistaken_registry_with_the_same_line(tmp_path):
    registry = tmp_path / "sources.yml"
    registry.write_text(GOOD.replace("    enabled: true", "    enabeld: true"), encoding="utf-8")
    done = run_scrapers("--raw-dir", str(tmp_path / "raw"), "crawl", env={"MINZHENG_SOURCES": str(registry)})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"{registry}:10: source 'zhoushan_mirror': unknown key 'enabeld' (did you mean 'enabled'?)"
    ]
    assert not (tmp_path / "raw").exists()  # refused before anything was written


def test_a_crawl_with_the_shared_limiter_s_redis_down_is_refused_in_one_line(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    url = f"redis://127.0.0.1:{closed}/0"
    done = run_scrapers(
        "--raw-dir",
        str(tmp_path / "raw"),
        "crawl",
        "--source",
        "zhoushan_mirror",
        env={"MINZHENG_RATE_LIMIT_REDIS": url},
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    [message] = done.stderr.splitlines()
    assert message.startswith(f"shared rate limiter: Redis at {url} (MINZHENG_RATE_LIMIT_REDIS) does not answer")
