"""The crawl's boundaries, against a site that misbehaves on purpose (mirror/hostile.py): it stays on the
source's hosts, follows redirects only there, connects to no internal address for a public source, and fetches
each URL once however often a pager repeats it."""

from __future__ import annotations

import json

import pytest

from mirror.hostile import CLAIMED_RECORDS, PAGER_COLUMN, REPEATED_ENTRIES, HostileSite
from scrapers.fetch import MAX_REDIRECTS, Fetcher, Politeness
from scrapers.hosts import HostBoundary
from scrapers.ingest import crawl_source
from scrapers.registry import ColumnRef, Source
from tests.conftest import figures_path

pytestmark = pytest.mark.integration


def hostile_source(site: HostileSite, column: int = 1, **changes) -> Source:
    return Source(
        id="hostile_mirror",
        publisher="示例市民政局",
        region="",
        adapter="hanweb_jcms",
        base_url=site.url,
        site={"webid": 9100, "unitid": 9100001},
        columns=(ColumnRef(column, "计划总结"),),
        politeness=Politeness(min_interval_seconds=0, retries=0, read_timeout=5),
        **changes,
    )


def test_a_crawl_stores_nothing_from_another_host_and_records_each_refusal(store):
    with HostileSite() as site:
        away = site.url.replace("127.0.0.1", "localhost")
        crawl_source(hostile_source(site), store, run_id="boundaries")
        hits = dict(site.hits)
    landed = dict(store.query("select url, text from documents"))
    assert set(landed) == {
        f"{site.url}/art/good.html",
        f"{site.url}/art/redirect-here.html",
        f"{site.url}/art/attached.html",
    }
    assert not any("hunter2" in text for text in landed.values())  # the internal answer never lands
    assert "/art/internal.html" not in hits and "/files/statistics.pdf" not in hits  # and was never asked for
    refused = dict(store.query("select url, error from fetch_log where outcome = 'refused'"))
    assert f"host localhost:{site.url.rsplit(':', 1)[1]}" in refused[f"{away}/art/internal.html"]
    assert "scheme 'file'" in refused["file:///etc/passwd"]
    assert "169.254.169.254" in refused["http://169.254.169.254/latest/meta-data/"]
    assert "redirect (HTTP 302)" in refused[f"{site.url}/art/redirect-away.html"]
    assert "localhost" in refused[f"{away}/files/statistics.pdf"]  # an attachment on another host
    # a same-host redirect is followed: the page lands under the URL the list gave
    assert "低保标准提高至每人每月950元" in landed[f"{site.url}/art/redirect-here.html"]
    # a redirect loop ends after MAX_REDIRECTS hops, recorded as an HTTP error
    [(outcome, error)] = store.query("select outcome, error from fetch_log where url like '%/art/loop.html'")
    assert outcome == "http_error" and f"more than {MAX_REDIRECTS} redirects" in error
    assert hits["/art/loop.html"] == MAX_REDIRECTS + 1
    # every refusal is an open quarantine row a person can act on (allowed_hosts)
    quarantined = dict(store.query("select item, error_kind from quarantine_open"))
    assert {url for url, kind in quarantined.items() if kind == "refused"} == set(refused)


def test_allowed_hosts_lets_the_crawl_reach_an_attachment_server(store):
    with HostileSite() as site:
        away = site.url.replace("127.0.0.1", "localhost")
        source = hostile_source(site, allowed_hosts=(away.split("//")[1],))
        crawl_source(source, store, run_id="allowed")
    landed = {row[0] for row in store.query("select url from documents")}
    assert f"{away}/art/internal.html" in landed and f"{away}/files/statistics.pdf" in landed
    assert "file:///etc/passwd" not in landed


def test_a_public_source_never_connects_to_an_internal_address_its_names_resolve_to():
    """DNS rebinding: a name the source allows resolves, when the connection is made, to a loopback address. The
    source's own host is public (its resolver answers a public address); the check is on the connected socket,
    so the request is never sent."""
    with HostileSite() as site:
        port = int(site.url.rsplit(":", 1)[1])
        boundary = HostBoundary.of(
            "https://mzj.example.gov.cn", [f"localhost:{port}"], resolver=lambda host: ["61.153.1.1"]
        )
        fetcher = Fetcher(Politeness(min_interval_seconds=0, retries=0), boundary=boundary)
        result = fetcher.fetch(f"http://localhost:{port}/art/good.html")
        fetcher.close()
        hits = dict(site.hits)
    assert result.outcome == "refused" and "address 127.0.0.1 is internal" in result.error
    assert hits == {}  # not even robots.txt was asked for


def test_a_repeating_pager_costs_one_list_page_more_and_each_url_is_fetched_once(store):
    with HostileSite() as site:
        report = crawl_source(hostile_source(site, column=PAGER_COLUMN), store, run_id="repeating")
        hits = dict(site.hits)
    # robots.txt, the column page, one data-proxy page that adds nothing, and each of the 15 articles once
    assert report.list_pages == 2
    assert report.requests == 1 + 2 + REPEATED_ENTRIES
    assert all(hits[f"/art/rep-{n}.html"] == 1 for n in range(REPEATED_ENTRIES))
    assert report.listed == REPEATED_ENTRIES and report.repeated == REPEATED_ENTRIES
    # the one broken article is one quarantine row, not one per page that lists it
    assert store.query("select count(*) from quarantine where item like '%/art/rep-0.html'")[0][0] == 1
    figures_path("repeating_pager.json").write_text(
        json.dumps({"claimed_records": CLAIMED_RECORDS, "requests": report.requests, "bytes": report.bytes})
    )


def test_probe_fetches_only_http_and_stays_on_the_page_s_host():
    from scrapers.probe import probe

    with pytest.raises(RuntimeError, match="scheme 'file' refused"):
        probe("file:///etc/passwd")
    with HostileSite() as site, pytest.raises(RuntimeError, match=r"redirect .* not followed: host localhost"):
        probe(f"{site.url}/art/redirect-away.html")
