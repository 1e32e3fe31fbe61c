"""`python -m scrapers probe <url>`: fetch one list page politely (robots.txt obeyed, one request and robots.txt),
tell the site's family from its markers, and print a sources.yml entry to start from.

Families: Hanweb JCMS (dataproxy.jsp, jpage), Hanweb JPaaS (jpaas-publish-server), TRS WCM (createPageHTML,
TRS_Editor, tYYYYMMDD_ articles). Anything else gets the `selectors` adapter, with the selectors of the
largest group of dated list items the page holds and its 下一页 link — check them against the page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import yaml

from scrapers.encoding import decode_bytes
from scrapers.fetch import Fetcher, Politeness
from scrapers.hosts import HostBoundary, scheme_refusal
from scrapers.parse.dates import find_date
from scrapers.parse.html_text import soup_of

_JCMS = re.compile(r"dataproxy\.jsp|/module/web/jpage/|大汉版通", re.I)
_JPAAS = re.compile(r"jpaas-publish-server", re.I)
_TRS = re.compile(r"createPageHTML|TRS_Editor|TRS_UEDITOR|/t20\d{6}_\d+\.s?html", re.I)
_NUMBER = r"['\"]?(\d+)['\"]?"
_NEXT_WORDS = ("下一页", "下页", ">")


def family(html: str) -> str:
    if _JPAAS.search(html):
        return "hanweb_jpaas"
    if _JCMS.search(html):
        return "hanweb_jcms"
    if _TRS.search(html):
        return "trs_wcm"
    return "selectors"


def _first(pattern: str, html: str) -> int | None:
    match = re.search(pattern, html, re.I)
    return int(match.group(1)) if match else None


def registry_entry(url: str, html: str) -> dict:
    """A sources.yml entry (disabled) for the list page at `url`."""
    parts = urlsplit(url)
    adapter = family(html)
    entry: dict = {
        "id": re.sub(r"\W+", "_", parts.hostname or "site").strip("_"),
        "publisher": "",
        "region": "",
        "adapter": adapter,
        "base_url": f"{parts.scheme}://{parts.netloc}",
        "enabled": False,
    }
    if adapter == "hanweb_jcms":
        entry["site"] = {
            "webid": _first(rf"webid\W{{1,3}}{_NUMBER}", html),
            "unitid": _first(rf"unitid\W{{1,3}}{_NUMBER}", html),
        }
        entry["columns"] = [{"id": _first(rf"columnid\W{{1,3}}{_NUMBER}", html) or 0, "name": ""}]
    elif adapter == "hanweb_jpaas":
        entry["site"] = {"webid": _first(rf"webId\W{{1,3}}{_NUMBER}", html)}
        entry["columns"] = [
            {"id": _first(rf"pageId\W{{1,3}}{_NUMBER}", html) or _first(r"/col/col(\d+)/", url) or 0, "name": ""}
        ]
    elif adapter == "trs_wcm":
        entry["columns"] = [{"path": parts.path or "/", "name": ""}]
    else:
        entry["site"] = guess_selectors(html)
        entry["columns"] = [{"path": parts.path or "/", "name": ""}]
    return entry


def guess_selectors(html: str) -> dict:
    """The selectors of the largest group of dated `<li>`/`<tr>` items with a link, and of a 下一页 link."""
    soup = soup_of(html)
    groups: dict[int, list] = {}
    for item in soup.find_all(["li", "tr"]):
        if item.find("a", href=True) is not None and find_date(item.get_text(" ", strip=True)):
            groups.setdefault(id(item.parent), []).append(item)
    selectors: dict = {"item": "li", "link": "a"}
    if groups:
        items = max(groups.values(), key=len)
        parent = items[0].parent
        selectors["item"] = f"{_css(parent)} > {items[0].name}"
        dated = [child for child in items[0].find_all(True) if child.name != "a" and find_date(child.get_text())]
        if dated:
            selectors["date"] = _css(dated[-1], with_parents=False)
    anchors = soup.find_all("a", href=True)
    following = next((a for a in anchors if a.get_text(strip=True) in _NEXT_WORDS), None)
    if following is not None:
        selectors["next"] = f"a:-soup-contains('{following.get_text(strip=True)}')"
    return selectors


def _css(node, with_parents: bool = True) -> str:
    if node.get("id"):
        return f"#{node['id']}"
    classes = ".".join(node.get("class", []))
    own = node.name + (f".{classes}" if classes else "")
    if not with_parents or classes or node.parent is None or node.parent.name in (None, "[document]"):
        return own
    return f"{_css(node.parent)} > {own}"


def probe(url: str, fetcher: Fetcher | None = None) -> str:
    if refused := scheme_refusal(url):
        raise RuntimeError(refused)
    # the probe stays on the page's host, as a crawl of the entry it prints would
    fetcher = fetcher or Fetcher(Politeness(retries=1), boundary=HostBoundary.of(url))
    result = fetcher.fetch(url)
    if not result.ok:
        raise RuntimeError(f"{url}: {result.outcome} {result.status or ''} {result.error}".strip())
    html = decode_bytes(result.body, result.content_type)[0]
    return yaml.safe_dump({"sources": [registry_entry(url, html)]}, allow_unicode=True, sort_keys=False)
