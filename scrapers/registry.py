"""The source registry (sources.yml): which sites to crawl, how, and how politely."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from scrapers.fetch import Politeness
from scrapers.source_schema import read_registry
from warehouse.settings import SOURCES

DEFAULT_REGISTRY = SOURCES
_ENV = re.compile(r"\$\{([A-Z0-9_]+)(?::-([^}]*))?\}")


def expand_env(value: str) -> str:
    return _ENV.sub(lambda m: os.environ.get(m.group(1)) or (m.group(2) or ""), value)


@dataclass(frozen=True)
class ColumnRef:
    id: int
    name: str = ""
    path: str = ""  # TRS WCM: the column's folder or list page on the site


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    region: str
    adapter: str
    base_url: str
    enabled: bool = False
    columns: tuple[ColumnRef, ...] = ()
    pages: tuple[str, ...] = ()
    site: dict = field(default_factory=dict)
    title_include: str = ""
    max_list_pages: int = 20
    allowed_hosts: tuple[str, ...] = ()  # hosts beyond base_url's that the crawl may reach (CDNs, attachments)
    politeness: Politeness = field(default_factory=Politeness)

    def wants(self, title: str) -> bool:
        return not self.title_include or re.search(self.title_include, title or "") is not None


def load_sources(path: Path | str | None = None) -> list[Source]:
    """The registry's sources; SourcesError (one line per mistake) when sources.yml has any."""
    raw = read_registry(path or DEFAULT_REGISTRY)
    defaults = raw.get("defaults") or {}
    sources = []
    for entry in raw["sources"]:
        politeness = {**(defaults.get("politeness") or {}), **(entry.get("politeness") or {})}
        sources.append(
            Source(
                id=entry["id"],
                publisher=entry["publisher"],
                region=entry.get("region", ""),
                adapter=entry["adapter"],
                base_url=expand_env(entry["base_url"]).rstrip("/"),
                enabled=bool(entry.get("enabled", False)),
                columns=tuple(
                    ColumnRef(int(c.get("id", 0)), c.get("name", ""), c.get("path", ""))
                    for c in entry.get("columns", [])
                ),
                pages=tuple(entry.get("pages", [])),
                site=dict(entry.get("site", {})),
                title_include=entry.get("title_include", defaults.get("title_include", "")),
                allowed_hosts=tuple(entry.get("allowed_hosts", [])),
                max_list_pages=int(entry.get("max_list_pages", defaults.get("max_list_pages", 20))),
                politeness=Politeness.from_dict(politeness),
            )
        )
    return sources


def _given(*values):
    return next(value for value in values if value is not None)


def get_source(source_id: str, path: Path | str | None = None) -> Source:
    for source in load_sources(path):
        if source.id == source_id:
            return source
    raise KeyError(f"no source {source_id!r} in the registry")


def enabled_sources(path: Path | str | None = None) -> list[Source]:
    return [source for source in load_sources(path) if source.enabled]
