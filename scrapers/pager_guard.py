"""A run fetches each URL once, and a pager ends when a page adds nothing new.

Some sites' pagers list the same entries on every page, or count more pages than they have; followed blindly,
one column costs `max_list_pages` list pages and every article as many fetches, and a broken article as many
identical quarantine rows. The guard sits between the site adapters and the fetcher, so that no adapter has to
remember it: a list page asked for again, or asked for after a page that added no entry the column had not
listed, ends the column (PagerRepeats), and the crawl skips an article or attachment URL it already did.
"""

from __future__ import annotations

from typing import Any


class PagerRepeats(Exception):
    """The column's pager has nothing new to give: the column ends here (not an error)."""


class PagerGuard:
    """One column's list pages and entries."""

    def __init__(self, column: str):
        self.column = column
        self.pages: set[tuple[object, ...]] = set()
        self.entries: set[str] = set()
        self.new_on_last_page: int | None = None  # None: no page fetched yet

    def before_page(self, method: str, url: str, data: dict[str, Any] | None) -> None:
        key = (method, url, tuple(sorted((data or {}).items())))
        if key in self.pages:
            raise PagerRepeats(f"column {self.column!r}: list page {url} was already read in this run")
        if self.new_on_last_page == 0:
            raise PagerRepeats(f"column {self.column!r}: the page before {url} listed no new entry")
        self.pages.add(key)
        self.new_on_last_page = 0

    def listed(self, url: str) -> bool:
        """Whether the entry is new to this column."""
        if url in self.entries:
            return False
        self.entries.add(url)
        self.new_on_last_page = (self.new_on_last_page or 0) + 1
        return True
