"""The simulated fleet the ingest-throughput benchmark crawls: many sites, each its own host, both site
engines, and a generated registry the crawler reads like sources.yml."""

from __future__ import annotations

import pytest

from mirror.fleet import fleet_registry
from mirror.server import Mirror
from scrapers.ingest import crawl_source
from scrapers.registry import enabled_sources
from warehouse.landing.store import RawStore

pytestmark = pytest.mark.integration


def test_every_fleet_site_is_its_own_host_and_is_crawled_like_a_real_one(tmp_path):
    with Mirror(fleet=12) as mirror:
        urls = {key: mirror.url(key) for key in mirror.servers if key.startswith("fleet")}
        assert len(urls) == 12 and len(set(urls.values())) == 12
        sources = enabled_sources(fleet_registry(urls, tmp_path / "sources.yml", min_interval_seconds=0))
        assert len(sources) == 12
        assert {source.adapter for source in sources} == {"hanweb_jcms", "hanweb_jpaas"}
        store = RawStore(tmp_path / "raw")
        reports = [crawl_source(source, store, "fleet-test") for source in sources[:2]]
    for report in reports:
        assert report.documents_added == 4 and report.skipped_by_title == 16 and report.quarantined == 0
    titles = {row[0] for row in store.query("select title from documents_current")}
    assert "示例001县民政局2024年工作总结" in titles and "示例002县民政局2023年工作要点" in titles
