"""A dead site looks dead: connection refused, DNS failure and timeout are their own fetch outcomes (robots.txt that
gets no answer is that failure, not a Disallow), and a source none of whose list pages answers fails its crawl in
one line, with an alert, after the other sources were crawled."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from scrapers.crawl_run import SourceYieldedNothing, crawl_or_raise
from scrapers.fetch import Fetcher, Politeness
from scrapers.registry import ColumnRef, Source
from warehouse.settings import REPO_ROOT

pytestmark = pytest.mark.integration
QUICK = Politeness(min_interval_seconds=0, retries=0, connect_timeout=2, read_timeout=0.3)


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on: bound, then closed."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture
def silent_port():
    """A port that accepts connections (the kernel's backlog) and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock.getsockname()[1]
    sock.close()


def serving(robots_status: int):
    """A site whose robots.txt answers `robots_status` and whose pages answer 200; the paths it was asked for."""
    asked: list[str] = []

    class Site(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            status = robots_status if self.path == "/robots.txt" else 200
            body = b"" if self.path == "/robots.txt" else "<html><body><p>民政</p></body></html>".encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            if status == 429:
                self.send_header("Retry-After", "0")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, asked


def fetch_with_rows(url: str) -> tuple[str, str, list]:
    rows = []
    result = Fetcher(QUICK, observer=rows.append).fetch(url)
    return result.outcome, result.error, [(row.url.rsplit("/", 1)[-1], row.outcome) for row in rows]


def test_a_closed_port_is_connection_refused_not_robots_disallowed(closed_port):
    outcome, error, rows = fetch_with_rows(f"http://127.0.0.1:{closed_port}/col/col1/index.html")
    assert outcome == "connection_refused"
    assert f"connection refused by 127.0.0.1:{closed_port}" in error and "\n" not in error
    assert rows == [("robots.txt", "connection_refused"), ("index.html", "connection_refused")]


def test_a_name_that_does_not_resolve_is_a_dns_failure():
    outcome, error, rows = fetch_with_rows("http://no-such-bureau.invalid/col/col1/index.html")
    assert outcome == "dns_failure" and "no-such-bureau.invalid does not resolve" in error
    assert [row[1] for row in rows] == ["dns_failure", "dns_failure"]


def test_a_host_that_never_answers_is_a_timeout(silent_port):
    outcome, error, rows = fetch_with_rows(f"http://127.0.0.1:{silent_port}/index.html")
    assert outcome == "timeout" and "read timeout" in error
    assert [row[1] for row in rows] == ["timeout", "timeout"]


@pytest.mark.parametrize(("status", "outcome", "page_asked"), [(404, "ok", True), (503, "robots_unavailable", False)])
def test_robots_txt_404_allows_everything_and_5xx_means_try_later(status, outcome, page_asked):
    server, asked = serving(status)
    try:
        result = Fetcher(QUICK).fetch(f"http://127.0.0.1:{server.server_address[1]}/a.html")
    finally:
        server.shutdown()
        server.server_close()
    assert result.outcome == outcome
    assert ("/a.html" in asked) == page_asked
    if not page_asked:
        assert "HTTP 503" in result.error and "RFC 9309" in result.error


def test_robots_txt_answering_429_is_try_later_too():
    server, asked = serving(429)
    try:
        result = Fetcher(QUICK).fetch(f"http://127.0.0.1:{server.server_address[1]}/a.html")
    finally:
        server.shutdown()
        server.server_close()
    assert result.outcome == "robots_unavailable" and asked == ["/robots.txt"]


def dead_source(port: int, adapter: str = "hanweb_jcms") -> Source:
    return Source(
        id="dead_bureau",
        publisher="示例县民政局",
        region="",
        adapter=adapter,
        base_url=f"http://127.0.0.1:{port}",
        columns=(ColumnRef(1229282406, "计划总结"),) if adapter != "pages" else (),
        pages=("/p-1.html",) if adapter == "pages" else (),
        site={"webid": 1, "unitid": 1},
        politeness=QUICK,
    )


@pytest.mark.parametrize("adapter", ["hanweb_jcms", "pages"])
def test_a_source_on_a_closed_port_fails_its_crawl_in_one_line_with_an_alert(
    adapter, closed_port, store, tmp_path, monkeypatch
):
    alerts = tmp_path / "alerts.jsonl"
    monkeypatch.setattr("warehouse.alerts.ALERTS", alerts)
    with pytest.raises(SourceYieldedNothing) as failed:
        crawl_or_raise(dead_source(closed_port, adapter), store, run_id="run-1")
    reason = str(failed.value)
    assert "\n" not in reason and "dead_bureau" in reason and "connection_refused" in reason
    [alert] = [json.loads(line) for line in alerts.read_text(encoding="utf-8").splitlines()]
    assert alert["source_id"] == "dead_bureau" and alert["outcome"] == "connection_refused"
    assert alert["run_id"] == "run-1" and alert["error"] == reason
    outcomes = {row[0] for row in store.query("select outcome from fetch_log where source_id = 'dead_bureau'")}
    assert outcomes == {"connection_refused"}  # never robots_disallowed


def test_a_dead_source_retried_by_airflow_alerts_once_on_its_last_try(closed_port, store, tmp_path, monkeypatch):
    """The ingest DAG's crawl task passes final_attempt=False on a try Airflow will retry: recorded, not sent."""
    from tests.harness.webhook import webhook_receiver

    monkeypatch.setattr("warehouse.alerts.ALERTS", tmp_path / "alerts.jsonl")
    with webhook_receiver() as (url, received):
        monkeypatch.setenv("MINZHENG_ALERT_WEBHOOK", url)
        for final_attempt in (False, False, True):  # retries=2: three tries
            with pytest.raises(SourceYieldedNothing):
                crawl_or_raise(dead_source(closed_port), store, run_id="run-1", final_attempt=final_attempt)
    [sent] = received
    assert sent["source_id"] == "dead_bureau" and sent["outcome"] == "connection_refused" and sent["final"] is True
    recorded = [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [alert["final"] for alert in recorded] == [False, False, True]


def test_the_command_line_crawls_the_other_sources_then_names_the_dead_one(mirror, closed_port, tmp_path):
    registry = {
        "sources": [
            {
                "id": "dead_bureau",
                "publisher": "示例县民政局",
                "adapter": "hanweb_jcms",
                "base_url": f"http://127.0.0.1:{closed_port}",
                "site": {"webid": 1, "unitid": 1},
                "columns": [{"id": 1, "name": "计划总结"}],
                "enabled": True,
                "politeness": {"min_interval_seconds": 0, "retries": 0},
            },
            {
                "id": "huzhou_mirror",
                "publisher": "湖州市民政局",
                "region": "湖州市",
                "adapter": "hanweb_jcms",
                "base_url": mirror.url("huzhou"),
                "site": {"webid": 3361, "unitid": 7385211},
                "columns": [{"id": 1229211795, "name": "计划总结"}],
                "enabled": True,
                "politeness": {"min_interval_seconds": 0},
            },
        ]
    }
    (tmp_path / "sources.yml").write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    env = {
        **os.environ,
        "MINZHENG_SOURCES": str(tmp_path / "sources.yml"),
        "MINZHENG_RAW_DIR": str(tmp_path / "raw"),
        "MINZHENG_ALERTS": str(tmp_path / "alerts.jsonl"),
    }
    env.pop("MINZHENG_RATE_LIMIT_REDIS", None)
    result = subprocess.run(
        [sys.executable, "-m", "scrapers", "crawl"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "[huzhou_mirror]" in result.stdout and "new documents 0" not in result.stdout.split("[huzhou_mirror]")[-1]
    [line] = [line for line in result.stderr.splitlines() if line.startswith("source dead_bureau")]
    assert line.startswith("source dead_bureau yielded no list page: connection_refused at http://127.0.0.1:")
    [alert] = (tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(alert)["source_id"] == "dead_bureau"


def test_the_quality_gate_accepts_every_outcome_a_fetch_records():
    from expectations.define_suites import FETCH_OUTCOMES

    suite = json.loads((REPO_ROOT / "expectations/gx/expectations/raw_fetch_log.json").read_text(encoding="utf-8"))
    [accepted] = [e["kwargs"]["value_set"] for e in suite["expectations"] if e["kwargs"].get("column") == "outcome"]
    new = {"connection_refused", "dns_failure", "timeout", "robots_unavailable"}
    assert new <= set(FETCH_OUTCOMES) and new <= set(accepted)
