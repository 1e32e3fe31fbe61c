"""The article parser on pages saved from live government sites (tests/fixtures/real_pages, with what a reader
of each page sees): title, 发布日期, publisher, 索引号, where the body starts and ends, attachments. The rules are
general; no selector here or in the parser names one of these sites."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scrapers.parse import parse_content
from scrapers.sites import hanweb_jcms, trs_wcm
from warehouse.settings import REPO_ROOT

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "real_pages"
ARTICLES = sorted(p for p in PAGES.glob("*.json") if json.loads(p.read_text())["family"].endswith("_article"))
_SPACE = re.compile(r"\s+")


def squeezed(text: str) -> str:
    return _SPACE.sub("", text or "")


@pytest.fixture(params=ARTICLES, ids=lambda path: path.stem)
def page(request):
    seen = json.loads(request.param.read_text(encoding="utf-8"))
    body = request.param.with_suffix(".html").read_bytes()
    document, _ = parse_content(body, "text/html", request.param.with_suffix(".html").name, seen["url"])
    return seen, document


def test_the_title_is_the_articles_own(page):
    seen, document = page
    assert document.title == seen["title"]


def test_the_publication_date_is_the_one_shown(page):
    seen, document = page
    assert (document.published_at or "") == seen["published"][:10]


def test_the_publisher_and_index_number_are_the_ones_shown(page):
    seen, document = page
    assert (document.publisher or "", document.index_no or "") == (seen["publisher"], seen["index_no"])


def test_the_body_starts_and_ends_where_the_reader_sees_it(page):
    seen, document = page
    text = squeezed(document.text)
    assert text.startswith(squeezed(seen["body_starts"])), document.text[:200]
    assert text.endswith(squeezed(seen["body_ends"])), document.text[-200:]


def test_attachments_are_the_ones_linked(page):
    seen, document = page
    assert sorted(link.name for link in document.attachments) == sorted(seen["attachments"])


def test_a_hanweb_list_response_gives_every_record():
    seen = json.loads((PAGES / "02_hanweb_jcms_list.json").read_text(encoding="utf-8"))["list_entries"]
    xml = (PAGES / "02_hanweb_jcms_list.html").read_text(encoding="utf-8")
    entries = hanweb_jcms.records(xml, "http://www.example.gov.cn", "column")
    assert len(entries) == seen["count"]
    for entry, expected in zip(entries, seen["first_two"], strict=False):
        assert (entry.title, entry.url, entry.date) == (
            expected["title"],
            "http://www.example.gov.cn" + expected["url"],
            expected["date"],
        )


def test_a_trs_list_page_gives_the_entries_its_template_left_in_a_comment():
    seen = json.loads((PAGES / "10_trs_list.json").read_text(encoding="utf-8"))["list_entries"]
    html = (PAGES / "10_trs_list.html").read_text(encoding="utf-8")
    page_url = "http://jyt.gansu.gov.cn/jyt/c110634/zwgklist.shtml"
    entries = trs_wcm.entries(html, page_url, "文件通知")
    assert len(entries) == seen["count"]
    for entry, expected in zip(entries, seen["first_two"], strict=False):
        assert (entry.title, entry.url, entry.date) == (
            expected["title"],
            "http://jyt.gansu.gov.cn" + expected["url"],
            expected["date"],
        )
    assert trs_wcm.pager(html) == (10, 1, "zwgklist", "shtml")
    assert trs_wcm.list_page_urls(page_url, html, limit=3) == [
        "http://jyt.gansu.gov.cn/jyt/c110634/zwgklist_2.shtml",
        "http://jyt.gansu.gov.cn/jyt/c110634/zwgklist_3.shtml",
    ]


def test_the_usual_trs_pager_counts_from_index_html():
    html = '<script>createPageHTML(3, 0, "index", "html");</script>'
    assert trs_wcm.list_page_urls("http://mzt.example.gov.cn/zwgk/jhzj/index.html", html, limit=20) == [
        "http://mzt.example.gov.cn/zwgk/jhzj/index_1.html",
        "http://mzt.example.gov.cn/zwgk/jhzj/index_2.html",
    ]
    definition = "function createPageHTML(_nPageCount,_nCurrIndex,_sPageName,_sPageExt){}"
    assert trs_wcm.pager(definition) is None


def test_the_pages_benchmark_runs_and_our_parser_passes_every_check(tmp_path):
    figures = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.article_pages", "--anchors", str(tmp_path / "none"), "--json", str(figures)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "checks passed: ours 20/20" in result.stdout
    assert "written pages, checks passed: ours 36/36" in result.stdout
    assert json.loads(figures.read_text())["passed"] == {"ours": 20}
    assert json.loads(figures.read_text())["written"] == {"checks": 36, "passed": {"ours": 36}}
