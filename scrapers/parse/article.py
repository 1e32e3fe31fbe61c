"""An article page of a disclosure site (Hanweb JCMS / JPaaS and look-alikes) → ParsedDocument.

Pure function of the decoded HTML and its URL. Where the body sits: between the
ZJEG_RSS content markers when present, else the usual body containers, else the largest
text block of the page with navigation and footers removed.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from scrapers.parse.dates import find_date
from scrapers.parse.errors import ParseError
from scrapers.parse.html_text import element_text, soup_of
from warehouse.landing.records import AttachmentLink, ParsedDocument

_RSS_BODY = re.compile(r"<!--\s*ZJEG_RSS\.content\.begin\s*-->(.*?)<!--\s*ZJEG_RSS\.content\.end\s*-->", re.S | re.I)
_BODY_SELECTORS = (
    "#zoom",
    "div.TRS_Editor",
    "div.TRS_UEDITOR",
    "#UCAP-CONTENT",
    "div.article-content",
    "div.art_con",
    "div.content",
    "#content",
    "article",
)
_CHROME_SELECTORS = (
    "script",
    "style",
    "nav",
    "header",
    "footer",
    ".header",
    ".footer",
    ".top-bar",
    ".nav",
    ".bt-position",
    ".crumb",
    ".share",
    ".print",
    "form",
    ".xxgk-table",
)
_ATTACHMENT_EXT = re.compile(r"\.(pdf|docx?|xlsx?|wps|et|ofd|zip|rar|txt)(?:$|[?#&])", re.I)
_META_LABELS = {
    "索引号": "index_no",
    "发布机构": "publisher",
    "发文机关": "publisher",
    "成文日期": "written_at",
    "发布日期": "published_at",
    "公开日期": "published_at",
    "文件编号": "doc_no",
    "文号": "doc_no",
    "发文字号": "doc_no",
    "主题分类": "topic",
    "组配分类": "topic",
    "标题": "title",
    "信息来源": "source",
    "来源": "source",
}
_LABEL_VALUE = re.compile(r"^(" + "|".join(_META_LABELS) + r")\s*[:：]\s*(.*)$")
_LABEL_SPACES = re.compile(r"[\s\u3000]+")
# what separates a page's own title from the site's name in <title>: 标题_某某网站, 标题 - 某某网站
_TITLE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s).*$")
_NO_SPACE = re.compile(r"\s+")
_SPACED_LABEL = re.compile(r"^([^:：]{1,12})([:：].*)$", re.S)


def _meta(soup, name: str) -> str:
    """A <meta name=…> value; CMS templates spell the names in any case (ContentSource, contentSource)."""
    tag = soup.find("meta", attrs={"name": re.compile(f"^{re.escape(name)}$", re.I)})
    return (tag.get("content") or "").strip() if tag else ""


def _label(text: str) -> str:
    """索 引 号： → 索引号: labels are spaced out to line up in their table."""
    return _LABEL_SPACES.sub("", text).rstrip(":：")


def disclosure_metadata(soup) -> dict[str, str]:
    """The 信息公开 table: label cells (索引号：) followed by value cells, or `label：value` in one cell."""
    found: dict[str, str] = {}
    for cell in soup.find_all(["td", "th", "span", "li", "div", "p"]):
        if cell.find(["td", "th", "div", "table"]):
            continue  # only leaf-ish cells
        text = cell.get_text(" ", strip=True)
        label = _label(text)
        if label in _META_LABELS:
            value_cell = cell.find_next_sibling(["td", "th", "span", "div"])
            value = value_cell.get_text(" ", strip=True) if value_cell else ""
        elif match := _LABEL_VALUE.match(_label_spaces_removed(text)):
            label, value = match.group(1), match.group(2)
        else:
            continue
        key = _META_LABELS[label]
        if value and _label(value) not in _META_LABELS and key not in found:
            found[key] = value.strip()
    return found


def _label_spaces_removed(text: str) -> str:
    """'索 引 号：000014349/2018-00222' → '索引号：000014349/2018-00222' (only the label's spaces)."""
    match = _SPACED_LABEL.match(text)
    return _LABEL_SPACES.sub("", match.group(1)) + match.group(2) if match else text


def page_title(soup, meta: dict[str, str]) -> str:
    """The article's own title: the CMS's ArticleTitle, the 信息公开 table's 标题, a heading that the page's
    <title> repeats (a sidebar's 友情链接 is no title), else the <title> without the site's name."""
    title = _meta(soup, "ArticleTitle") or meta.get("title", "")
    if title:
        return title
    window = soup.title.get_text(" ", strip=True) if soup.title else ""
    headings = [heading.get_text(" ", strip=True) for heading in soup.find_all(["h1", "h2", "h3"])]
    if window:
        squeezed = _NO_SPACE.sub("", window)
        repeated = [text for text in headings if len(text) >= 4 and _NO_SPACE.sub("", text) in squeezed]
        if repeated:
            return max(repeated, key=len)
        return _TITLE_SUFFIX.sub("", window)
    return headings[0] if headings else ""


def _without_repeated_heading(text: str, title: str, doc_no: str) -> str:
    """A body that opens by repeating the title (over one or more lines) and the 文号 starts after them."""
    lines = text.split("\n")
    target, joined, cut = _NO_SPACE.sub("", title), "", 0
    for index, line in enumerate(lines[:6]):
        joined += _NO_SPACE.sub("", line)
        if not target.startswith(joined):
            break
        if joined == target:
            cut = index + 1
            break
    if cut and doc_no and cut < len(lines) and _NO_SPACE.sub("", lines[cut]) == _NO_SPACE.sub("", doc_no):
        cut += 1
    return "\n".join(lines[cut:]).strip() if cut and cut < len(lines) else text


def _body_node(html: str, soup):
    marked = _RSS_BODY.search(html)
    if marked:
        return soup_of(f"<div>{marked.group(1)}</div>").div
    for selector in _BODY_SELECTORS:
        node = soup.select_one(selector)
        if node and element_text(node):
            return node
    for selector in _CHROME_SELECTORS:
        for node in soup.select(selector):
            node.decompose()
    candidates = [node for node in soup.find_all(["div", "td", "article", "section"])]
    return max(candidates, key=lambda node: len(node.get_text(strip=True)), default=soup.body or soup)


def attachment_links(node, base_url: str) -> list[AttachmentLink]:
    links, seen = [], set()
    for anchor in node.find_all("a", href=True):
        href = anchor["href"].strip()
        name = anchor.get_text(" ", strip=True)
        if "downfile.jsp" in href or _ATTACHMENT_EXT.search(href) or _ATTACHMENT_EXT.search(name + "&"):
            url = urljoin(base_url, href)
            if url not in seen:
                seen.add(url)
                links.append(AttachmentLink(url=url, name=name))
    return links


def attachment_links_near_body(soup, base_url: str) -> list[AttachmentLink]:
    """Attachments sit in the body or right after it (div.fujian after #zoom), never in the site's chrome."""
    container = next((node for node in map(soup.select_one, _BODY_SELECTORS) if node is not None), None)
    if container is None:
        return attachment_links(soup, base_url)
    links: list[AttachmentLink] = []
    for node in [container, *container.find_next_siblings()]:
        links.extend(link for link in attachment_links(node, base_url) if link not in links)
    return links


def parse_article(html: str, url: str) -> ParsedDocument:
    if not html.strip():
        raise ParseError("empty", "the page is empty")
    soup = soup_of(html)
    meta = disclosure_metadata(soup)
    title = page_title(soup, meta)
    attachments = attachment_links_near_body(soup, url)
    body = _body_node(html, soup)
    text = _without_repeated_heading(element_text(body) if body else "", title, meta.get("doc_no", ""))
    if not text and not attachments:
        raise ParseError("no_text", "no body text found on the page")
    return ParsedDocument(
        format="html",
        text=text,
        title=title,
        publisher=meta.get("publisher")
        or meta.get("source")
        or _meta(soup, "ContentSource")
        or _meta(soup, "SiteName"),
        published_at=find_date(_meta(soup, "PubDate")) or find_date(meta.get("published_at")),
        written_at=find_date(meta.get("written_at")),
        index_no=meta.get("index_no", ""),
        doc_no=meta.get("doc_no", ""),
        column_name=_meta(soup, "ColumnName"),
        topic=meta.get("topic", ""),
        content_source=_meta(soup, "ContentSource"),
        attachments=attachments,
    )
