"""Crawling the offline mirror for real: every site family, every trouble case, incremental runs."""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest

from mirror.content import CORPUS_ARTICLES, Article, Attachment
from scrapers.fetch import Politeness
from scrapers.ingest import crawl_source
from scrapers.registry import enabled_sources, get_source
from tests.conftest import running_mirror
from warehouse.landing.store import RawStore

pytestmark = pytest.mark.integration


def documents(store, source_id=None):
    where = " where source_id = ?" if source_id else ""
    return store.query(
        f"select url, kind, format, title, text from documents{where} order by url",
        [source_id] if source_id else [],
    )


def open_quarantine(store, source_id):
    return {
        row[0]: (row[1], row[2])
        for row in store.query("select item, stage, error_kind from quarantine_open where source_id = ?", [source_id])
    }


def test_every_enabled_mirror_source_lands_its_work_reports(mirror, store):
    sources = enabled_sources()
    assert {s.id for s in sources} >= {
        "zhoushan_mirror",
        "huzhou_mirror",
        "cixi_mirror",
        "wenzhou_mirror",
        "zhoushan_plan_docshare_mirror",
    }
    for source in sources:
        crawl_source(source, store)
    rows = store.query("select source_id, kind, format, title, text from documents order by source_id, kind")
    by_format = {(source, kind, fmt) for source, kind, fmt, _, _ in rows}
    assert ("huzhou_mirror", "attachment", "pdf") in by_format
    assert ("cixi_mirror", "attachment", "docx") in by_format
    assert ("wenzhou_mirror", "article", "html") in by_format
    assert ("zhoushan_plan_docshare_mirror", "docshare", "docshare") in by_format
    texts = "\n".join(row[4] for row in rows)
    for figure in (
        "低保年标准达到1.4万元以上",
        "减轻企业负担金额234万元",
        "发放民政救助资金5.68亿元",
        "1 | 城乡居民最低生活保障标准(元/年) | 9720 | 11000 | 14000 | 预期性",
        "户外结婚登记颁证基地15个",
    ):
        assert figure in texts
    # fillers (notices, 公示, news) are listed but never fetched
    assert not any("公示" in row[3] for row in rows)
    assert store.query("select count(*) from quarantine_open")[0][0] == 0


def test_paging_reaches_every_record(mirror, store):
    zhoushan = crawl_source(get_source("zhoushan_mirror"), store)
    assert zhoushan.listed == 40 + 12  # 3 pages of the first column, 1 of the second
    assert zhoushan.list_pages == 3 + 1
    wenzhou = crawl_source(get_source("wenzhou_mirror"), store)
    assert wenzhou.listed == 26 and wenzhou.list_pages == 2


def test_a_trs_site_is_crawled_page_by_page_with_its_metadata(mirror, store):
    """The provinces portal runs TRS WCM: index.html, index_1.html …, articles ./YYYYMM/tYYYYMMDD_n.html."""
    report = crawl_source(get_source("provinces_mirror"), store)
    fetched = {row[0] for row in store.query("select url from fetch_log where source_id = 'provinces_mirror'")}
    assert any(url.endswith("/col1/index_1.html") for url in fetched)  # the pager's second page
    landed = store.query(
        "select url, title, publisher, published_at from documents_current where source_id = 'provinces_mirror'"
    )
    expected = sum(site == "provinces" for site, *_ in CORPUS_ARTICLES.values())
    assert report.documents_added == len(landed) == expected
    assert all(re.search(r"/col\d/\d{6}/t\d{8}_\d+\.html$", url) for url, *_ in landed)
    assert all(title and publisher and published for _, title, publisher, published in landed)


def test_a_trs_article_s_attachment_beside_it_lands(mirror, store):
    article = Article(
        key="trs-attached",
        title="某省2025年民政统计数据（附件）",
        date="2025-11-20",
        publisher="某省民政厅",
        paragraphs=("统计数据见附件。",),
        attachments=(Attachment("huzhou_2024_key_points.pdf", "民政统计数据.pdf"),),
    )
    page = mirror.post_article("provinces", 3, article)
    crawl_source(get_source("provinces_mirror"), store)
    [(url, parent)] = store.query(
        "select a.url, p.url from documents_current as a inner join documents_current as p"
        " on p.document_key = a.parent_key where a.kind = 'attachment'"
    )
    assert parent == page and url.rsplit("/", 1)[0] == page.rsplit("/", 1)[0]  # ./P0….pdf beside the article


def test_the_fetch_log_shows_requests_to_a_host_spaced_by_its_interval(mirror, store):
    source = dataclasses.replace(get_source("wenzhou_mirror"), politeness=Politeness(min_interval_seconds=0.15))
    report = crawl_source(source, store)
    sent = [
        row[0]
        for row in store.query(
            "select fetched_at from fetch_log where source_id = 'wenzhou_mirror' order by fetched_at"
        )
    ]
    assert len(sent) == report.requests >= 3
    gaps = [(later - earlier).total_seconds() for earlier, later in itertools.pairwise(sent)]
    # fetched_at is read just after a request's slot comes; on a loaded machine one reading may come a few ms
    # late, which shortens the gap after it by as much: slots themselves are never closer than the interval
    assert min(gaps) >= 0.15 - 0.02, gaps


def test_second_run_downloads_no_article_again_and_a_new_one_is_picked_up(mirror, store):
    sources = enabled_sources()
    for source in sources:
        crawl_source(source, store, run_id="first")
    before = store.query("select count(*) from documents")[0][0]
    for source in sources:
        report = crawl_source(source, store, run_id="second")
        assert report.fetched == 0 and report.documents_added == 0 and report.attachments_added == 0
    document_urls = [row[0] for row in store.query("select url from documents")]
    refetched = store.query(
        f"select url, outcome, bytes from fetch_log where run_id = 'second' and url in "
        f"({','.join('?' * len(document_urls))})",
        document_urls,
    )
    assert refetched and all(outcome == "not_modified" and size == 0 for _, outcome, size in refetched)
    assert store.query("select count(*) from documents")[0][0] == before

    column = mirror.sites["zhoushan"].columns[0]
    new_url = mirror.post_article(
        "zhoushan",
        column.id,
        Article(
            key="zhoushan-2025-h1",
            title="舟山市民政局2025年上半年工作总结",
            date="2025-07-10",
            publisher="舟山市民政局",
            paragraphs=("上半年，全市新增养老机构床位300张。",),
        ),
    )
    report = crawl_source(get_source("zhoushan_mirror"), store, run_id="third")
    assert report.documents_added == 1 and report.not_modified == 1
    assert store.query("select count(*) from documents where url = ?", [new_url])[0][0] == 1


def test_a_changed_article_is_a_new_version_and_the_old_one_stays(mirror, store):
    source = get_source("zhoushan_mirror")
    crawl_source(source, store)
    column = mirror.sites["zhoushan"].columns[0]
    index = next(i for i, a in enumerate(column.articles) if a.key == "zhoushan-2024-summary")
    column.articles[index] = dataclasses.replace(
        column.articles[index], paragraphs=column.articles[index].paragraphs + ("（更正）",)
    )
    report = crawl_source(source, store)
    assert report.documents_added == 1
    versions = store.query("select count(*), count(distinct sha256) from documents where title like '%2024年工作总结%'")
    assert versions == [(2, 2)]
    current = store.query("select text from documents_current where title like '%2024年工作总结%'")
    assert current[0][0].endswith("（更正）")


EXPECTED_TROUBLE = {
    # kind: (stage, error) for quarantined pages; None for pages that must land as documents
    "gbk_no_charset": None,
    "flaky_500": None,
    "rate_limited": None,
    "malformed": None,
    "missing_attachment": None,
    "slow": ("fetch", "timeout"),
    "truncated": ("fetch", "truncated"),
    "challenge_412": ("fetch", "blocked"),
    "challenge_521": ("fetch", "blocked"),
    "empty": ("parse", "empty"),
    "huge": ("fetch", "too_large"),
    "robots_disallowed": ("fetch", "robots_disallowed"),
}


def _crawl_trouble(mirror, store):
    report = crawl_source(get_source("trouble_mirror"), store, run_id="trouble")
    site = mirror.sites["trouble"]
    column = site.columns[0]
    urls = {a.trouble: mirror.url("trouble") + site.article_path(column, a) for a in column.articles}
    return report, urls


@pytest.fixture(scope="module")
def trouble_world(tmp_path_factory):
    """One crawl of the misbehaving site, shared by the read-only tests below (it takes ~5 s)."""
    with running_mirror() as mirror:
        store = RawStore(tmp_path_factory.mktemp("trouble-raw"))
        report, urls = _crawl_trouble(mirror, store)
        yield mirror, store, report, urls


@pytest.mark.parametrize("kind", sorted(EXPECTED_TROUBLE))
def test_each_trouble_case_has_its_exact_outcome(kind, trouble_world):
    _, store, _, urls = trouble_world
    landed = {row[0] for row in documents(store, "trouble_mirror")}
    quarantined = open_quarantine(store, "trouble_mirror")
    expected = EXPECTED_TROUBLE[kind]
    if expected is None:
        assert urls[kind] in landed
        assert urls[kind] not in quarantined
    else:
        assert quarantined.get(urls[kind]) == expected
        assert urls[kind] not in landed


def test_trouble_loses_no_other_document(trouble_world):
    _, store, report, urls = trouble_world
    articles = store.query("select url, encoding, text from documents where kind = 'article'")
    assert len(articles) == 5
    by_url = {url: (encoding, text) for url, encoding, text in articles}
    encoding, text = by_url[urls["gbk_no_charset"]]
    assert encoding == "gb18030" and "低保标准提高至每人每月900元" in text
    assert "新增养老机构床位120张" in by_url[urls["malformed"]][1]
    # the attachment of an otherwise fine article answered 404: quarantined, the article kept
    attachment_errors = [
        item for item, (stage, kind) in open_quarantine(store, "trouble_mirror").items() if "downfile.jsp" in item
    ]
    assert len(attachment_errors) == 1
    assert report.quarantined == 8


def test_retries_and_retry_after_are_honoured(trouble_world):
    mirror, store, _, urls = trouble_world
    paths = [path for _, path in mirror.requests("trouble")]

    def hits(kind):
        return paths.count(urls[kind].split(mirror.url("trouble"))[1])

    assert hits("flaky_500") == 3  # 500, 500, then 200
    assert hits("rate_limited") == 2  # 429 with Retry-After: 1, then 200
    assert hits("robots_disallowed") == 0  # never requested

    def attempts(kind):
        return store.query(
            "select http_status, epoch_ms(fetched_at) from fetch_log where url = ? order by fetched_at", [urls[kind]]
        )

    # every attempt is a row of fetch_log, as the table promises
    assert [status for status, _ in attempts("flaky_500")] == [500, 500, 200]
    (first_status, first_at), (second_status, second_at) = attempts("rate_limited")
    assert (first_status, second_status) == (429, 200) and second_at - first_at >= 900  # Retry-After: 1


def test_a_page_that_later_succeeds_leaves_the_quarantine(mirror, store):
    _, urls = _crawl_trouble(mirror, store)
    assert urls["slow"] in open_quarantine(store, "trouble_mirror")
    patient = dataclasses.replace(
        get_source("trouble_mirror"), politeness=Politeness(min_interval_seconds=0, read_timeout=10)
    )
    crawl_source(patient, store, run_id="patient")
    assert urls["slow"] not in open_quarantine(store, "trouble_mirror")
    assert urls["slow"] in {row[0] for row in documents(store, "trouble_mirror")}
    # the quarantine table itself is append-only: the old failure is still on record
    assert store.query("select count(*) from quarantine where item = ?", [urls["slow"]])[0][0] == 1


def test_rerun_is_idempotent(mirror, store):
    source = get_source("huzhou_mirror")
    crawl_source(source, store)
    crawl_source(source, store)
    assert store.query("select count(*), count(distinct document_key) from documents") == [(2, 2)]
