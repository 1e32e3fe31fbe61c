"""`python -m scrapers probe <url>` tells a site's family from one list page and prints a sources.yml entry; for a
site of no known family the entry uses the selectors adapter, which then crawls the list page by page."""

import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from scrapers.fetch import Fetcher, Politeness
from scrapers.probe import ProbeFailed, probe
from scrapers.region_names import region_names
from scrapers.registry import ColumnRef, Source
from scrapers.sites import selectors
from warehouse.settings import REPO_ROOT

pytestmark = pytest.mark.integration

ITEM = (
    '<li><a href="/xxgk/{n}.html" title="示例县民政局文件{n}">示例县民政局文件{n}</a>'
    '<span class="time">2025-0{m}-1{n}</span></li>'
)
LIST_PAGES = {
    "/xxgk/list.html": "<html><body><ul class='menu'><li><a href='/'>首页</a></li>"
    "<li><a href='/xxgk/'>信息公开</a></li></ul>"
    "<div class='news-box'><ul class='items'>" + "".join(ITEM.format(n=n, m=1) for n in range(1, 4)) + "</ul>"
    "<div class='pager'><a href='/xxgk/list_2.html'>下一页</a></div></div></body></html>",
    "/xxgk/list_2.html": "<html><body><div class='news-box'><ul class='items'>"
    + "".join(ITEM.format(n=n, m=2) for n in range(4, 6))
    + "</ul></div></body></html>",
}


class GenericSite(BaseHTTPRequestHandler):
    def do_GET(self):
        body = LIST_PAGES.get(self.path, "").encode("utf-8") if self.path != "/robots.txt" else b"User-agent: *\n"
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def generic_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), GenericSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def entry_for(url: str) -> dict:
    [entry] = yaml.safe_load(probe(url, Fetcher(Politeness(min_interval_seconds=0))))  # the block to paste
    return entry


def test_the_probe_tells_each_mirror_family(mirror):
    jcms = entry_for(mirror.url("zhoushan") + "/col/col1229282406/index.html")
    assert jcms["adapter"] == "hanweb_jcms" and jcms["site"] == {"webid": 3177, "unitid": 7254869}
    assert jcms["columns"][0]["id"] == 1229282406
    jpaas = entry_for(mirror.url("wenzhou") + "/col/col1217813/index.html")
    assert jpaas["adapter"] == "hanweb_jpaas" and jpaas["site"] == {"webid": 4711}
    assert jpaas["columns"][0]["id"] == 1217813
    trs = entry_for(mirror.url("provinces") + "/col1/index.html")
    assert trs["adapter"] == "trs_wcm" and trs["columns"] == [{"path": "/col1/index.html", "name": "工作总结"}]
    assert not any(entry["enabled"] for entry in (jcms, jpaas, trs))


def test_a_site_of_no_known_family_gets_selectors_that_crawl_it(generic_site):
    entry = entry_for(generic_site + "/xxgk/list.html")
    assert entry["adapter"] == "selectors"
    assert entry["site"]["item"] == "ul.items > li" and entry["site"]["next"]
    source = Source(
        id="generic",
        publisher="示例县民政局",
        region="",
        adapter="selectors",
        base_url=generic_site,
        site=entry["site"],
        politeness=Politeness(min_interval_seconds=0),
    )
    fetcher = Fetcher(source.politeness)
    listed = list(selectors.list_column(source, ColumnRef(0, "信息公开", "/xxgk/list.html"), fetcher.fetch))
    assert [entry.title for entry in listed] == [f"示例县民政局文件{n}" for n in range(1, 6)]  # both pages, no menu
    assert listed[0].url == generic_site + "/xxgk/1.html" and listed[0].date == "2025-01-11"


def test_the_command_line_prints_a_registry_entry(generic_site):
    result = subprocess.run(
        [sys.executable, "-m", "scrapers", "probe", generic_site + "/xxgk/list.html"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(result.stdout)[0]["adapter"] == "selectors"
    missing = subprocess.run(
        [sys.executable, "-m", "scrapers", "probe", generic_site + "/nothing.html"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 1 and "nothing probed" in missing.stderr


def test_the_probe_proposes_publisher_region_and_column_checks_them_and_says_what_next(mirror):
    printed = probe(
        mirror.url("zhoushan") + "/col/col1229282406/index.html", Fetcher(Politeness(min_interval_seconds=0))
    )
    [entry] = yaml.safe_load(printed)
    assert entry["publisher"] == "舟山市民政局"  # from the title 工作计划与总结 - 舟山市民政局
    assert entry["region"] == "舟山市" and entry["region"] in region_names()
    assert entry["columns"] == [{"id": 1229282406, "name": "工作计划与总结"}]  # the breadcrumbs' last step
    assert "ok: the entry passes the sources.yml check" in printed
    assert "ok: 15 list entries on this page" in printed
    for step in ("scrapers/sources.yml", "python -m scrapers check-sources", "make crawl"):
        assert step in printed.split("# next steps:")[1]


def test_a_portal_of_many_publishers_gets_no_made_up_region(mirror):
    entry = entry_for(mirror.url("provinces") + "/col1/index.html")
    assert "region" not in entry and entry["publisher"] == "各地民政信息公开"  # the site's name, to be checked
    assert entry["columns"][0]["name"] == "工作总结"


def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.mark.parametrize(
    ("url", "says"),
    [
        (f"http://127.0.0.1:{closed_port()}/col/col1/index.html", "unreachable host: connection refused by 127.0.0.1:"),
        ("http://mzj.no-such-city.invalid/col/col1/index.html", "DNS failure: the host name mzj.no-such-city.invalid"),
        ("mzj.zhoushan.gov.cn/col/col1/index.html", "try python -m scrapers probe http://mzj.zhoushan.gov.cn/col/"),
    ],
)
def test_what_went_wrong_is_one_line_naming_it(url, says):
    result = subprocess.run(
        [sys.executable, "-m", "scrapers", "probe", url], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and says in result.stderr, result.stderr


def test_a_site_that_never_answers_is_a_timeout():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/col/col1/index.html"
        with pytest.raises(ProbeFailed, match=r"^timeout: no answer from 127\.0\.0\.1:\d+ within 0\.3 s"):
            probe(url, Fetcher(Politeness(min_interval_seconds=0, retries=0, read_timeout=0.3)))
