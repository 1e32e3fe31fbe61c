"""`python -m scrapers probe <url>`: fetch one list page politely (robots.txt obeyed, one request and robots.txt),
tell the site's family from its markers, and print a sources.yml entry to start from.

Families: Hanweb JCMS (dataproxy.jsp, jpage), Hanweb JPaaS (jpaas-publish-server), TRS WCM (createPageHTML,
TRS_Editor, tYYYYMMDD_ articles). Anything else gets the `selectors` adapter, with the selectors of the
largest group of dated list items the page holds and its 下一页 link — check them against the page."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from scrapers.encoding import decode_bytes
from scrapers.fetch import Fetcher, Politeness
from scrapers.fetch_failures import CONNECTION_REFUSED, DNS_FAILURE, ROBOTS_UNAVAILABLE
from scrapers.hosts import HostBoundary, scheme_refusal
from scrapers.parse.dates import find_date
from scrapers.parse.html_text import soup_of
from scrapers.probe_proposal import Proposal, propose
from scrapers.sites import hanweb_jcms, selectors, trs_wcm
from scrapers.sites.listing import ListEntry
from scrapers.source_schema import SourcesError, read_registry
from warehouse.landing.records import CONNECTION_ERROR, TIMEOUT, FetchResult

_JCMS = re.compile(r"dataproxy\.jsp|/module/web/jpage/|大汉版通", re.I)
_JPAAS = re.compile(r"jpaas-publish-server", re.I)
_TRS = re.compile(r"createPageHTML|TRS_Editor|TRS_UEDITOR|/t20\d{6}_\d+\.s?html", re.I)
_NUMBER = r"['\"]?(\d+)['\"]?"
_NEXT_WORDS = ("下一页", "下页", ">")


FAMILY_NAMES = {
    "hanweb_jcms": "a Hanweb JCMS site",
    "hanweb_jpaas": "a Hanweb JPaaS site",
    "trs_wcm": "a TRS WCM site",
    "selectors": "no known family (selectors adapter: check the selectors against the page)",
}


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
        "id": re.sub(r"\W+", "_", parts.netloc or "site").strip("_"),
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


class ProbeFailed(RuntimeError):
    """Nothing could be probed; the message is one line saying why and what to try."""


_NOT_REQUESTED = re.compile(r"^not requested, \S+ could not be read: ")
_FAILURE_NAMES = {
    CONNECTION_REFUSED: "unreachable host",
    CONNECTION_ERROR: "unreachable host",
    DNS_FAILURE: "DNS failure",
    TIMEOUT: "timeout",
    ROBOTS_UNAVAILABLE: "robots.txt unavailable",
}


def fetch_list_page(url: str, fetcher: Fetcher | None = None) -> FetchResult:
    """The page at `url`, or ProbeFailed in one line: no scheme, unreachable host, DNS failure, timeout …"""
    if "://" not in url:
        raise ProbeFailed(f"no scheme in {url!r}: try python -m scrapers probe http://{url}")
    if refused := scheme_refusal(url):
        raise ProbeFailed(refused)
    # the probe stays on the page's host, as a crawl of the entry it prints would
    try:
        fetcher = fetcher or Fetcher(Politeness(retries=1), boundary=HostBoundary.of(url))
    except ValueError as bad:  # a port that is no number, no host
        raise ProbeFailed(f"not a URL that can be fetched: {bad}") from None
    result = fetcher.fetch(url)
    if not result.ok:
        why = _NOT_REQUESTED.sub("", result.error or "") or (f"HTTP {result.status}" if result.status else "")
        raise ProbeFailed(f"{_FAILURE_NAMES.get(result.outcome, result.outcome)}: {why} ({url})")
    return result


def probe(url: str, fetcher: Fetcher | None = None) -> str:
    """What `python -m scrapers probe` prints: the site's family, the names proposed from the page, the checks
    made, the sources.yml entry to paste and the next steps."""
    result = fetch_list_page(url, fetcher)
    html = decode_bytes(result.body, result.content_type)[0]
    entry = registry_entry(url, html)
    proposal = propose(html)
    entry["publisher"] = proposal.publisher or proposal.site_name
    if proposal.region:
        entry["region"] = proposal.region
    else:
        del entry["region"]
    for column in entry["columns"]:
        column["name"] = proposal.column
    return render(url, entry, proposal, checks(url, html, entry))


def checks(url: str, html: str, entry: dict) -> list[str]:
    """One line per check: the sources.yml check of the entry, and the list entries the page holds."""
    lines = registry_problems(entry) or [
        "ok: the entry passes the sources.yml check (python -m scrapers check-sources)"
    ]
    listed = listed_on_page(url, html, entry)
    if listed is None:
        lines.append("not checked: the list comes from the JPaaS API, not this page (make crawl reads it)")
    elif listed:
        first = listed[0]
        lines.append(
            f"ok: {len(listed)} list entries on this page, the first {first.title!r} ({first.date or 'no date'})"
        )
    else:
        lines.append("PROBLEM: no list entry found on this page with the proposed adapter: is it a list page?")
    return lines


def registry_problems(entry: dict) -> list[str]:
    """The sources.yml check's complaints about the entry alone, one line each."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sources.yml"
        path.write_text(yaml.safe_dump({"sources": [entry]}, allow_unicode=True), encoding="utf-8")
        try:
            read_registry(path)
        except SourcesError as mistakes:
            return [f"PROBLEM: {line.split(': ', 1)[-1]}" for line in mistakes.problems]
    return []


def listed_on_page(url: str, html: str, entry: dict) -> list[ListEntry] | None:
    """The list entries the proposed adapter reads from this page (None where the page holds no list)."""
    column = entry["columns"][0].get("name", "")
    if entry["adapter"] == "hanweb_jcms":
        return hanweb_jcms.records(html, entry["base_url"], column)
    if entry["adapter"] == "trs_wcm":
        return trs_wcm.entries(html, url, column)
    if entry["adapter"] == "selectors":
        return selectors.entries(html, url, entry["site"], column)[0]
    return None


def render(url: str, entry: dict, proposal: Proposal, check_lines: list[str]) -> str:
    named = (
        f"publisher {entry['publisher'] or '?'}"
        + (" (the site's name: no body found; a portal of many publishers?)" if not proposal.publisher else "")
        + (f", region {proposal.region} (a GB/T 2260 name)" if proposal.region else ", no GB/T 2260 region found")
        + f", column {proposal.column or '?'}"
    )
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000)
    return "\n".join(
        [
            f"# {url}: {FAMILY_NAMES[entry['adapter']]} (one list page and robots.txt fetched)",
            f"# from the page's title and breadcrumbs: {named}",
            "# checks:",
            *(f"#   {line}" for line in check_lines),
            "# the entry to paste under `sources:` in scrapers/sources.yml (check the names, then set enabled: true):",
            *(f"  {line}" for line in block.splitlines()),
            "# next steps:",
            "#   1. paste the entry above into scrapers/sources.yml, correct what the checks name, set enabled: true",
            "#   2. python -m scrapers check-sources",
            f"#   3. make crawl   (this source alone: python -m scrapers crawl --source {entry['id']})",
            "",
        ]
    )
