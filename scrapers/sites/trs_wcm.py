"""TRS WCM sites (拓尔思), the CMS of most provincial and city portals outside Zhejiang.

A column is a folder with a list page, `index.html`, whose pager script
`createPageHTML(countPage, currentPage, "index", "html")` says how many pages follow (`index_1.html`,
`index_2.html` …); articles are `./YYYYMM/tYYYYMMDD_<id>.html` beside it. Some templates leave the entries
(and the pager) in an HTML comment for a script to show: they are read there too. A column's `path` in
sources.yml is its folder (`/zwgk/jhzj/`) or, where the list page has another name, that page
(`/jyt/c110634/zwgklist.shtml`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import cast
from urllib.parse import urljoin

from bs4 import Comment

from scrapers.parse.dates import find_date
from scrapers.parse.html_text import soup_of
from scrapers.registry import ColumnRef, Source
from scrapers.sites.listing import ListEntry, fetch_list_page

_PAGER = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_ARGUMENT = re.compile(r"""^\s*['"]?([^'"]*?)['"]?\s*$""")
_URL_DATE = re.compile(r"t(20\d{2})(\d{2})(\d{2})_")
_SPACES = re.compile(r"\s+")


def pager(html: str) -> tuple[int, int, str, str] | None:
    """(page count, this page's number, page name, extension) from the pager call; None without one. The
    call's literal numbers are count and current page, its last two names the page name and extension
    (createPageHTML('page_div', 10, 1, 'zwgklist', 'shtml', 200) has a target element first and a size last)."""
    for match in _PAGER.finditer(html):
        arguments = [cast(re.Match[str], _ARGUMENT.match(argument)).group(1) for argument in match.group(1).split(",")]
        numbers = [int(argument) for argument in arguments if argument.isdigit()]
        names = [argument for argument in arguments if argument and not argument.isdigit()]
        if len(numbers) >= 2 and len(names) >= 2 and not any(name.startswith("_") for name in names):
            return numbers[0], numbers[1], names[-2], names[-1]
    return None


def list_page_urls(first_url: str, html: str, limit: int) -> list[str]:
    """The column's further list pages after the first: name_1.ext, name_2.ext … (name_2.ext … where the
    pager counts from 1)."""
    found = pager(html)
    if found is None:
        return []
    count, current, name, extension = found
    numbers = range(current + 1, current + count) if current >= 1 else range(1, count)
    return [urljoin(first_url, f"{name}_{number}.{extension}") for number in list(numbers)[: max(limit - 1, 0)]]


def entries(html: str, page_url: str, column: str = "") -> list[ListEntry]:
    """The column's entries: of the groups of dated `<li><a href>title</a><span>date</span></li>` items
    (one group per list element; menus carry no dates), the largest — also where the template left it in an
    HTML comment for a script to show."""
    soup = soup_of(html)
    hidden = [soup_of(str(comment)) for comment in soup.find_all(string=lambda s: isinstance(s, Comment))]
    groups: dict[int, list[ListEntry]] = {}
    for tree in [soup, *hidden]:
        for item in tree.find_all("li"):
            entry = _entry(item, page_url, column)
            if entry is not None:
                groups.setdefault(id(item.parent), []).append(entry)
    return max(groups.values(), key=len, default=[])


def _entry(item, page_url: str, column: str) -> ListEntry | None:
    anchor = item.find("a", href=True)
    if anchor is None or anchor["href"].startswith(("javascript:", "#")):
        return None
    url = urljoin(page_url, anchor["href"].strip())
    title = _SPACES.sub(" ", anchor.get("title") or anchor.get_text(" ", strip=True)).strip()
    url_date = _URL_DATE.search(url)
    date = find_date(item.get_text(" ", strip=True)) or ("-".join(url_date.groups()) if url_date else None)
    return ListEntry(url, title, date, column) if title and date else None


def first_page_url(source: Source, column: ColumnRef) -> str:
    path = column.path or f"/{column.id}/"
    url = urljoin(source.base_url + "/", path.lstrip("/"))
    return url if re.search(r"\.s?html?$", url) else url.rstrip("/") + "/index.html"


def list_column(source: Source, column: ColumnRef, fetch_page: Callable) -> Iterator[ListEntry]:
    first = first_page_url(source, column)
    html = fetch_list_page(fetch_page, first)[0]
    yield from entries(html, first, column.name)
    for url in list_page_urls(first, html, source.max_list_pages):
        yield from entries(fetch_list_page(fetch_page, url)[0], url, column.name)
