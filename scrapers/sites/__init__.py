"""Site adapters: each knows the page shapes of one family of sites (where the lists are, how
paging works) and nothing about HTTP politeness, parsing articles or storage."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from scrapers.registry import ColumnRef, Source
from scrapers.sites import hanweb_jcms, hanweb_jpaas, pages, selectors, trs_wcm
from scrapers.sites.listing import ListEntry, ListPageFailed
from warehouse.landing.records import FetchResult

FetchPage = Callable[..., FetchResult]

ADAPTERS = {
    "hanweb_jcms": hanweb_jcms.list_column,
    "hanweb_jpaas": hanweb_jpaas.list_column,
    "trs_wcm": trs_wcm.list_column,
    "selectors": selectors.list_column,
}


def list_entries(source: Source, fetch_page: FetchPage) -> Iterator[tuple[ColumnRef | None, Iterator[ListEntry]]]:
    """For each column of the source: the column and an iterator over its list entries."""
    if source.adapter == "pages":
        yield None, pages.list_pages(source)
        return
    try:
        adapter = ADAPTERS[source.adapter]
    except KeyError:
        raise ValueError(f"source {source.id}: unknown adapter {source.adapter!r}") from None
    for column in source.columns:
        yield column, adapter(source, column, fetch_page)


__all__ = ["ADAPTERS", "ListEntry", "ListPageFailed", "list_entries"]
