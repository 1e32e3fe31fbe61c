"""The page at / of every mirror port: which sites the mirror serves, where, and their columns' list pages, so
that someone who opens http://127.0.0.1:8780/ in a browser finds the rest (each site has a port of its own)."""

from __future__ import annotations

from html import escape

from mirror.content import Column, Site

FAMILIES = {
    "jcms": "Hanweb JCMS",
    "jpaas": "Hanweb JPaaS",
    "trs": "TRS WCM",
    "docshare": "document-sharing page",
}


def column_path(site: Site, column: Column) -> str:
    return f"/col{column.id}/index.html" if site.kind == "trs" else f"/col/col{column.id}/index.html"


def index_page(sites: list[tuple[Site, str]]) -> str:
    """`sites`: each site with its base URL, in port order."""
    rows = []
    for site, url in sites:
        links = [(f"{url}{column_path(site, column)}", column.name) for column in site.columns]
        if site.kind == "docshare":
            links = [(f"{url}/p-1.html", "p-1.html")]
        columns = " · ".join(f'<a href="{escape(href)}">{escape(name)}</a>' for href, name in links)
        rows.append(
            f"<tr><td>{escape(site.name)}</td><td>{FAMILIES.get(site.kind, site.kind)}</td>"
            f'<td><a href="{escape(url)}/">{escape(url)}</a></td><td><code>MIRROR_{site.key.upper()}_URL</code></td>'
            f"<td>{columns}</td></tr>"
        )
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>离线镜像 offline mirror: {len(sites)} sites</title></head>
<body><h1>离线镜像 — the offline mirror</h1>
<p>{len(sites)} sites on 127.0.0.1, one port each; scrapers/sources.yml finds them through the variables below.</p>
<table border="1" cellpadding="4"><tr><th>site</th><th>family</th><th>URL</th><th>variable</th><th>list pages</th></tr>
{"".join(rows)}
</table></body></html>"""
