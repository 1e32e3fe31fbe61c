"""A site that moves (here: the mirror restarted on other ports) is one edit of its base_url in sources.yml: the
next crawl lands no new document, the warehouse keeps its document count, and the facts cite the new address."""

from __future__ import annotations

import duckdb
import pytest

from scrapers.ingest import crawl_source
from scrapers.registry import get_source
from tests.conftest import running_mirror
from tests.old_raw_layer import make_old_raw_layer
from warehouse.landing.schema import DOCUMENT_COLUMNS
from warehouse.landing.store import RawStore
from warehouse.release.publish import Paths
from warehouse.release.steps import build

pytestmark = pytest.mark.integration

SOURCE = "huzhou_mirror"  # one article and its PDF attachment, with facts in both


def _registry(path, base_url: str):
    """The source's entry of sources.yml, its base_url written out as an engineer edits it."""
    path.write_text(
        f"""sources:
  - id: {SOURCE}
    publisher: 湖州市民政局
    region: 湖州市
    adapter: hanweb_jcms
    base_url: "{base_url}"
    site: {{webid: 3361, unitid: 7385211}}
    columns: [{{id: 1229211795, name: 计划总结}}]
    title_include: 工作要点
    enabled: true
    politeness: {{min_interval_seconds: 0.05}}
""",
        encoding="utf-8",
    )
    return get_source(SOURCE, path)


def _warehouse(paths: Paths) -> tuple[int, set[str], set[str]]:
    build(paths)
    with duckdb.connect(str(paths.build), read_only=True) as con:
        count = con.execute("select count(*) from marts.dim_document").fetchone()[0]
        urls = {url for (url,) in con.execute("select url from marts.dim_document").fetchall()}
        cited = {
            url for (url,) in con.execute("select distinct document_url from marts.mart_indicator_values").fetchall()
        }
    return count, urls, cited


def test_a_site_moved_to_another_port_is_the_same_documents_citing_the_new_address(tmp_path):
    registry = tmp_path / "sources.yml"
    store = RawStore(tmp_path / "raw")
    paths = Paths(
        raw=tmp_path / "raw", build=tmp_path / "build" / "warehouse.duckdb", serving=tmp_path / "serving.duckdb"
    )
    with running_mirror() as first:
        old_base = first.url("huzhou")
        report = crawl_source(_registry(registry, old_base), store)
    landed = report.documents_added + report.attachments_added
    assert report.documents_added >= 1 and report.attachments_added == 1
    before, old_urls, old_cited = _warehouse(paths)
    assert before == landed and old_cited and all(url.startswith(old_base) for url in old_urls | old_cited)

    with running_mirror() as moved:
        new_base = moved.url("huzhou")
        assert new_base != old_base
        report = crawl_source(_registry(registry, new_base), store)
        again = crawl_source(_registry(registry, new_base), store)
    assert (report.documents_added, report.attachments_added) == (0, 0)
    assert store.query("select count(*), count(distinct document_key) from documents") == [(landed, landed)]
    after, new_urls, new_cited = _warehouse(paths)
    assert after == before
    assert report.moved == landed
    assert new_cited and all(url.startswith(new_base) for url in new_urls | new_cited)
    # incremental state follows the identity: the next crawl asks each document's new address with its validators
    asked = store.query(
        "select url, outcome from fetch_log where run_id = ? and url in (select url from documents_current)",
        [again.run_id],
    )
    assert (again.fetched, again.moved, again.quarantined) == (0, 0, 0)
    assert len(asked) == landed and all(
        url.startswith(new_base) and outcome == "not_modified" for url, outcome in asked
    )


def test_a_raw_layer_keyed_by_url_lands_nothing_from_the_moved_site(tmp_path):
    """A raw layer written before identity (documents keyed by their URL, attachments' parents by theirs) is migrated
    when opened: crawling the moved site lands no version, and every old key is an alias of its identity."""
    registry = tmp_path / "sources.yml"
    current = RawStore(tmp_path / "current")
    with running_mirror() as first:
        crawl_source(_registry(registry, first.url("huzhou")), current)
    rows = [list(row) for row in current.query(f"select {', '.join(DOCUMENT_COLUMNS)} from documents")]
    key, parent, url = (DOCUMENT_COLUMNS.index(name) for name in ("document_key", "parent_key", "url"))
    url_of = {row[key]: row[url] for row in rows}
    old = make_old_raw_layer(tmp_path / "old")
    with duckdb.connect(str(old)) as con:  # the rows as the code before identity wrote them
        for row in rows:
            row[key], row[parent] = row[url], url_of.get(row[parent])
            con.execute(f"insert into documents values ({', '.join('?' * len(row))})", row)
            con.execute("insert into current_versions values (?, ?)", [row[key], row[0]])
    with running_mirror() as moved:
        report = crawl_source(_registry(registry, moved.url("huzhou")), RawStore(tmp_path / "old"))
    migrated = RawStore(tmp_path / "old")
    assert migrated.query("select count(*), count(distinct document_key) from documents") == [(len(rows), len(rows))]
    assert (report.documents_added, report.attachments_added, report.moved) == (0, 0, len(rows))
    assert migrated.query("select count(*) from document_aliases") == [(len(rows),)]
    assert migrated.query("select count(*) from documents_current where url like ?", [moved.url("huzhou") + "/%"]) == [
        (len(rows),)
    ]
