"""What a list page says about who publishes it: the publisher, its region and the column, read from the page's
title (`计划总结 - 舟山市民政局`, `工作总结_舟山市民政局`), its breadcrumbs (`当前位置：首页 > 政务公开 > 计划总结`),
the logo's alt text and the footer's 主办单位. Proposals for `python -m scrapers probe` to print, for a person to
check: the region only when GB/T 2260 knows the name (scrapers/region_names.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.parse.html_text import soup_of
from scrapers.region_names import region_names

_TITLE_SEPARATORS = re.compile(r"\s*(?:[-_|｜—–·»>]+|\s{2,})\s*")
_BODY = re.compile(r"(?:民政局|民政厅|局|厅|委员会|办公室|人民政府|政府|中心|部)$")
_CRUMB_LEAD = re.compile(r"^.*?(?:当前位置|您的位置|你的位置|所在位置)[：:]\s*")
_CRUMB_SEPARATORS = re.compile(r"\s*(?:>|＞|»|›|/|→)\s*")
_HOST_WORDS = ("首页", "网站首页", "主页")
_SPONSOR = re.compile(r"主办单位[：:]\s*([^\s&|，,]+)")


@dataclass(frozen=True)
class Proposal:
    publisher: str = ""
    region: str = ""
    column: str = ""
    site_name: str = ""  # the part of the title that names the site, when it names no body (a portal)


def propose(html: str) -> Proposal:
    soup = soup_of(html)
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    parts = [part for part in _TITLE_SEPARATORS.split(title) if part]
    crumbs = breadcrumbs(soup)
    logo = soup.find("img", alt=True)
    sponsor = _SPONSOR.search(soup.get_text(" ", strip=True))
    candidates = [*parts, str(logo["alt"]).strip() if logo else "", sponsor.group(1) if sponsor else ""]
    publisher = next((name for name in candidates if name and "民政" in name and _BODY.search(name)), "")
    publisher = publisher or next((name for name in candidates if name and _BODY.search(name)), "")
    column = crumbs[-1] if crumbs else next((part for part in parts if part != publisher), "")
    site_name = "" if publisher else next((part for part in reversed(parts) if part != column), "")
    return Proposal(publisher, region_of(publisher), column, site_name)


def breadcrumbs(soup) -> list[str]:
    """The trail of the element that starts with 当前位置：, without 首页: ["政务公开", "计划总结"]."""
    lead = soup.find(string=_CRUMB_LEAD)
    if lead is None:
        return []
    trail = _CRUMB_LEAD.sub("", lead.parent.get_text(" ", strip=True))
    return [part for part in _CRUMB_SEPARATORS.split(trail) if part and part not in _HOST_WORDS]


def region_of(publisher: str) -> str:
    """The most specific GB/T 2260 name the publisher's name holds (浙江省舟山市民政局 → 舟山市), or ''."""
    names = region_names()
    found = [
        (end, end - start, publisher[start:end])
        for start in range(len(publisher))
        for end in range(start + 2, len(publisher) + 1)
        if publisher[start:end] in names
    ]
    return max(found)[2] if found else ""
