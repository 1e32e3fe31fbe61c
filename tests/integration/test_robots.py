"""robots.txt as crawlers read it today (Protego): wildcards, `$` anchors, Allow inside a disallowed folder, and a
Crawl-delay that spaces our requests to that host when it asks for more than the source's interval."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scrapers.fetch import Fetcher, HostRateLimiter, Politeness

pytestmark = pytest.mark.integration

ROBOTS = b"""User-agent: *
Disallow: /*.pdf$
Disallow: /private/
Allow: /private/open.html
Crawl-delay: 2
"""


class Site(BaseHTTPRequestHandler):
    def do_GET(self):
        body = ROBOTS if self.path == "/robots.txt" else "<html><body><p>民政</p></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt" else "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class RecordingLimiter(HostRateLimiter):
    """The in-process limiter, noting the interval each request was spaced by."""

    def __init__(self):
        super().__init__()
        self.intervals: list[float] = []

    def wait(self, host, interval):
        self.intervals.append(interval)


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_wildcards_anchors_and_allow_inside_a_disallowed_folder(site):
    fetcher = Fetcher(Politeness(min_interval_seconds=0), rate_limiter=RecordingLimiter())
    assert fetcher.allowed_by_robots(f"{site}/art/2025/1/1/art_1_1.html")
    assert not fetcher.allowed_by_robots(f"{site}/files/report.pdf")
    assert fetcher.allowed_by_robots(f"{site}/files/report.pdf?download=1")  # `$`: only names ending in .pdf
    assert not fetcher.allowed_by_robots(f"{site}/private/list.html")
    assert fetcher.allowed_by_robots(f"{site}/private/open.html")
    assert fetcher.fetch(f"{site}/files/report.pdf").outcome == "robots_disallowed"


def test_a_crawl_delay_longer_than_the_interval_spaces_the_requests(site):
    limiter = RecordingLimiter()
    fetcher = Fetcher(Politeness(min_interval_seconds=0.5), rate_limiter=limiter)
    for page in ("a", "b"):
        assert fetcher.fetch(f"{site}/{page}.html").ok
    assert limiter.intervals == [0.5, 2.0, 2.0]  # robots.txt itself at the source's interval, then its delay


def test_a_crawl_delay_shorter_than_the_interval_changes_nothing(site):
    limiter = RecordingLimiter()
    fetcher = Fetcher(Politeness(min_interval_seconds=3), rate_limiter=limiter)
    assert fetcher.fetch(f"{site}/a.html").ok
    assert limiter.intervals == [3, 3]
