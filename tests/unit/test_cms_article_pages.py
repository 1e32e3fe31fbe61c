"""The article parser on pages written for the tests in the style of other government CMSs
(tests/fixtures/pages/cms_articles: TRS WCM, Hanweb JCMS / JPaaS, 博思 and a generic CMS), each with what a
reader of the page sees. They hold the three kinds of page the seven saved pages do not: the date only in the
article's own date line among dates of the page's furniture, titles carrying markup or missing from <title>,
and bodies that share their container with a breadcrumb, the title and the date line."""

import json
import re
from pathlib import Path

import pytest

from scrapers.parse import parse_content

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages" / "cms_articles"
ARTICLES = sorted(PAGES.glob("*.json"))
_SPACE = re.compile(r"\s+")


def squeezed(text: str) -> str:
    return _SPACE.sub("", text or "")


@pytest.fixture(params=ARTICLES, ids=lambda path: path.stem)
def page(request):
    seen = json.loads(request.param.read_text(encoding="utf-8"))
    html = request.param.with_suffix(".html")
    document, _ = parse_content(html.read_bytes(), "text/html", html.name, seen["url"])
    return seen, document


def test_every_class_has_several_pages():
    classes = [kind for path in ARTICLES for kind in json.loads(path.read_text(encoding="utf-8"))["classes"]]
    assert {kind: classes.count(kind) >= 3 for kind in set(classes)} == {
        "date_in_furniture": True,
        "title_with_markup": True,
        "body_after_breadcrumb": True,
    }


def test_the_title_is_the_articles_own_as_text(page):
    seen, document = page
    assert document.title == seen["title"]


def test_the_date_is_the_articles_own_not_the_furnitures(page):
    seen, document = page
    assert (document.published_at or "") == seen["published"][:10]


def test_the_body_starts_after_the_breadcrumb_title_and_date_line(page):
    seen, document = page
    assert squeezed(document.text).startswith(squeezed(seen["body_starts"])), document.text[:200]


def test_the_body_ends_where_the_reader_sees_it(page):
    seen, document = page
    assert squeezed(document.text).endswith(squeezed(seen["body_ends"])), document.text[-200:]
