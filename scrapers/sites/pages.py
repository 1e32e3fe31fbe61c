"""Sources that are a fixed list of pages (a plan copied onto a document-sharing site, say)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin

from scrapers.registry import Source
from scrapers.sites.listing import ListEntry


def list_pages(source: Source) -> Iterator[ListEntry]:
    for page in source.pages:
        yield ListEntry(urljoin(source.base_url + "/", page), title="", column="")
