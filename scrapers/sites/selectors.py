"""Sites of no known family: sources.yml names CSS selectors for a list page, in the source's `site:`

    site: {item: "ul.list li", link: "a", title: "a", date: "span", next: "a.next"}

`item` selects each entry of the list; within it `link` (default `a`) gives the article's URL, `title` (default:
the link) its title (a `title` attribute first), `date` (default: the whole item) the date; `next`, on the page,
the link to the next list page (none: one page). A column's `path` is its first list page.
`python -m scrapers probe <url>` prints such an entry for a page it cannot tell the family of.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import urljoin

from scrapers.parse.dates import find_date
from scrapers.parse.html_text import soup_of
from scrapers.registry import ColumnRef, Source
from scrapers.sites.listing import ListEntry, fetch_list_page

_SPACES = re.compile(r"\s+")


def entries(html: str, page_url: str, selectors: dict, column: str = "") -> tuple[list[ListEntry], str | None]:
    """The page's entries, and the next list page's URL (None on the last page)."""
    soup = soup_of(html)
    found = []
    for item in soup.select(selectors["item"]):
        link = item if item.name == "a" else item.select_one(selectors.get("link", "a"))
        if link is None or not link.get("href") or str(link["href"]).startswith(("javascript:", "#")):
            continue
        title_node = item.select_one(selectors["title"]) if selectors.get("title") else link
        title = (str(title_node.get("title") or "") if title_node is not None else "") or (
            title_node.get_text(" ", strip=True) if title_node is not None else ""
        )
        date_node = item.select_one(selectors["date"]) if selectors.get("date") else item
        date = find_date(date_node.get_text(" ", strip=True)) if date_node is not None else None
        found.append(
            ListEntry(urljoin(page_url, str(link["href"]).strip()), _SPACES.sub(" ", title).strip(), date, column)
        )
    following = soup.select_one(selectors["next"]) if selectors.get("next") else None
    next_url = urljoin(page_url, str(following["href"])) if following is not None and following.get("href") else None
    return found, (next_url if next_url and next_url != page_url else None)


def list_column(source: Source, column: ColumnRef, fetch_page: Callable) -> Iterator[ListEntry]:
    if "item" not in source.site:
        raise ValueError(f"source {source.id}: the selectors adapter needs site.item (a CSS selector of an entry)")
    url: str | None = urljoin(source.base_url + "/", (column.path or "/").lstrip("/"))
    seen: set[str] = set()
    for _ in range(source.max_list_pages):
        if url is None or url in seen:
            return
        seen.add(url)
        html, fetched_from = fetch_list_page(fetch_page, url)
        found, url = entries(html, fetched_from, source.site, column.name)
        yield from found
