"""What list pages of every site family have in common: `<li><a href>title</a><span>date</span></li>`."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from scrapers.encoding import UndecodableText, decode_bytes
from scrapers.parse.dates import find_date
from scrapers.parse.html_text import soup_of
from warehouse.landing.records import FetchResult


@dataclass(frozen=True)
class ListEntry:
    url: str
    title: str
    date: str | None = None
    column: str = ""


class ListPageFailed(RuntimeError):
    """A list page could not be fetched or read; the rest of that column cannot be reached."""

    def __init__(self, result: FetchResult | None, message: str):
        super().__init__(message)
        self.result = result


def parse_list_items(html: str, base_url: str, column: str = "") -> list[ListEntry]:
    entries = []
    for item in soup_of(html).find_all("li"):
        anchor = item.find("a", href=True)
        if anchor is None:
            continue
        title = str(anchor.get("title") or anchor.get_text(" ", strip=True)).strip()
        entries.append(
            ListEntry(
                urljoin(base_url + "/", str(anchor["href"]).strip()),
                title,
                find_date(item.get_text(" ", strip=True)),
                column,
            )
        )
    return entries


def fetch_list_page(fetch_page, url: str) -> tuple[str, str]:
    """A list page's decoded text and the URL it came from; ListPageFailed when it cannot be had or read."""
    result = fetch_page(url)
    if not result.ok:
        raise ListPageFailed(result, f"list page {url}: {result.outcome} {result.error}")
    try:
        return decode_bytes(result.body, result.content_type)[0], result.url
    except UndecodableText as exc:
        raise ListPageFailed(result, f"list page {url}: {exc}") from exc
