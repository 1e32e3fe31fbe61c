"""Hanweb JPaaS sites (the newer platform, e.g. 温州市民政局).

Lists come as JSON `{"success":true,"data":{"html":"<ul><li>…"}}` from
/api-gateway/jpaas-publish-server/front/page/build/unit with paramJson={"pageNo":N,"pageSize":"15"};
articles live at /col/col<ID>/art/<year>/art_<32 hex>.html.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

from scrapers.registry import ColumnRef, Source
from scrapers.sites.listing import ListEntry, ListPageFailed, parse_list_items

LIST_PATH = "/api-gateway/jpaas-publish-server/front/page/build/unit"
PAGE_SIZE = 15


def list_url(source: Source, column: ColumnRef, page_no: int) -> str:
    params = {
        "parseType": "bulidstatic",
        "webId": source.site.get("webid", ""),
        "tplSetId": source.site.get("tplsetid", ""),
        "pageType": "column",
        "tagId": "当前栏目list",
        "editType": "null",
        "pageId": column.id,
        "paramJson": json.dumps({"pageNo": page_no, "pageSize": str(PAGE_SIZE)}, separators=(",", ":")),
    }
    return f"{source.base_url}{LIST_PATH}?{urlencode(params)}"


def list_column(source: Source, column: ColumnRef, fetch_page: Callable[..., Any]) -> Iterator[ListEntry]:
    for page_no in range(1, source.max_list_pages + 1):
        url = list_url(source, column, page_no)
        result = fetch_page(url)
        if not result.ok:
            raise ListPageFailed(result, f"list API {url}: {result.outcome} {result.error}")
        try:
            payload = json.loads(result.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ListPageFailed(result, f"list API {url} did not answer JSON: {exc}") from exc
        if not payload.get("success"):
            raise ListPageFailed(result, f"list API {url} refused: {payload.get('message', payload)}")
        entries = parse_list_items((payload.get("data") or {}).get("html") or "", source.base_url, column.name)
        yield from entries
        if len(entries) < PAGE_SIZE:
            return
