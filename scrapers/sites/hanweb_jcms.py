"""Hanweb JCMS sites (e.g. 舟山、湖州、慈溪 民政局).

A column page /col/col<ID>/index.html carries its first records in
`<script type="text/xml"><datastore><nextgroup>…</nextgroup><recordset><record><![CDATA[<li>…]]>`;
later pages come from /module/web/jpage/dataproxy.jsp?startrecord=…&endrecord=…&perpage=…
(POST form: columnid, unitid, webid, …) answering `<datastore><totalrecord>…<recordset>…`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urljoin, urlsplit

from scrapers.encoding import decode_bytes
from scrapers.registry import ColumnRef, Source
from scrapers.sites.listing import ListEntry, ListPageFailed, parse_list_items

PER_PAGE = 15
PROXY_PATH = "/module/web/jpage/dataproxy.jsp"
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.S)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>")
_HREF = re.compile(r"""href=["']([^"']+)["']""")


def records(xml: str, base_url: str, column: str) -> list[ListEntry]:
    return [entry for record in _RECORD.findall(xml) for entry in parse_list_items(record, base_url, column)]


def proxy_form(source: Source, column: ColumnRef, column_page: str) -> tuple[str, dict]:
    """The data proxy URL and form, from the column page's <nextgroup> link when it has one."""
    form = {
        "col": "1",
        "appid": "1",
        "webid": str(source.site.get("webid", "")),
        "path": "/",
        "columnid": str(column.id),
        "sourceContentType": "1",
        "unitid": str(source.site.get("unitid", "")),
        "webname": source.publisher,
        "permissiontype": "0",
    }
    nextgroup = _NEXTGROUP.search(column_page)
    href = _HREF.search(nextgroup.group(1)) if nextgroup else None
    if href:
        parts = urlsplit(href.group(1).replace("&amp;", "&"))
        form.update({key: values[0] for key, values in parse_qs(parts.query).items() if key != "page"})
        return urljoin(source.base_url + "/", parts.path), form
    return source.base_url + PROXY_PATH, form


def _text(result) -> str:
    return decode_bytes(result.body, result.content_type)[0]


def list_column(source: Source, column: ColumnRef, fetch_page: Callable) -> Iterator[ListEntry]:
    index_url = f"{source.base_url}/col/col{column.id}/index.html"
    result = fetch_page(index_url)
    if not result.ok:
        raise ListPageFailed(result, f"column page {index_url}: {result.outcome} {result.error}")
    page = _text(result)
    first = records(page, source.base_url, column.name)
    yield from first
    if len(first) < PER_PAGE:
        return
    proxy_url, form = proxy_form(source, column, page)
    start = len(first) + 1
    for _ in range(source.max_list_pages - 1):
        url = f"{proxy_url}?startrecord={start}&endrecord={start + PER_PAGE - 1}&perpage={PER_PAGE}"
        result = fetch_page(url, method="POST", data=form)
        if not result.ok:
            raise ListPageFailed(result, f"list page {url}: {result.outcome} {result.error}")
        xml = _text(result)
        entries = records(xml, source.base_url, column.name)
        yield from entries
        total = _TOTAL.search(xml)
        start += len(entries)
        if not entries or (total and start > int(total.group(1))):
            return
