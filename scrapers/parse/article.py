"""An article page of a disclosure site (Hanweb JCMS / JPaaS and look-alikes) → ParsedDocument.

Pure function of the decoded HTML and its URL. Where the body sits and starts: body.py; the title: titles.py;
the date: the CMS's PubDate, the 信息公开 table's 发布日期, else the article's own date line (dates.py).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from scrapers.parse.body import BODY_SELECTORS, body_node, without_breadcrumbs, without_leading_furniture
from scrapers.parse.dates import date_line_date, find_date
from scrapers.parse.errors import ParseError
from scrapers.parse.html_text import element_text, soup_of
from scrapers.parse.page_tree import PageTree
from scrapers.parse.titles import page_title, title_candidates
from warehouse.landing.records import AttachmentLink, ParsedDocument

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
# a string of the body this long is its text, not a stray label
_BODY_LINE = 10
_CELLS = {"td", "th", "span", "li", "div", "p"}
_LABEL_SPACES = re.compile(r"[\s\u3000]+")
_SPACED_LABEL = re.compile(r"^([^:：]{1,12})([:：].*)$", re.S)


def _meta(soup, name: str) -> str:
    """A <meta name=…> value; CMS templates spell the names in any case (ContentSource, contentSource)."""
    tag = soup.find("meta", attrs={"name": re.compile(f"^{re.escape(name)}$", re.I)})
    return (tag.get("content") or "").strip() if tag else ""


def _label(text: str) -> str:
    """索 引 号： → 索引号: labels are spaced out to line up in their table."""
    return _LABEL_SPACES.sub("", text).rstrip(":：")


def disclosure_metadata(tree: PageTree) -> dict[str, str]:
    """The 信息公开 table: label cells (索引号：) followed by value cells, or `label：value` in one cell."""
    found: dict[str, str] = {}
    for cell in tree.elements:
        if cell.name not in _CELLS:
            continue
        text = tree.short_text(cell)
        if not text or tree.holds_cell(cell):
            continue  # only leaf-ish cells, and no label and value is longer than a short text
        label = _label(text)
        if label in _META_LABELS:
            value_cell = cell.find_next_sibling(["td", "th", "span", "div"])
            value = (tree.short_text(value_cell) or "") if value_cell else ""
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


def attachment_links_near_body(soup, base_url: str, tree: PageTree | None = None) -> list[AttachmentLink]:
    """Attachments sit in the body or right after it (div.fujian after #zoom), never in the site's chrome."""
    tree = tree or PageTree(soup)
    container = next((node for node in map(tree.select_one, BODY_SELECTORS) if node is not None), None)
    if container is None:
        return attachment_links(soup, base_url)
    links: list[AttachmentLink] = []
    for node in [container, *container.find_next_siblings()]:
        links.extend(link for link in attachment_links(node, base_url) if link not in links)
    return links


def _body_start(tree: PageTree, body, title_places: set[int]) -> int:
    """Where the body's own text starts in reading order: its first string of some length that is not in a title
    (a template may put the title in the body's container). A body cut out of the ZJEG_RSS markers is no part
    of the tree: its container's place stands for it."""
    if tree.at(body) < 0:
        container = next((node for node in map(tree.select_one, BODY_SELECTORS) if node is not None), None)
        return tree.at(container) if container is not None else len(tree.elements)
    for string in body.find_all(string=True):
        parent = string.parent
        if (
            len(string.strip()) >= _BODY_LINE
            and tree.at(parent) not in title_places
            and not any(tree.at(node) in title_places for node in parent.parents)
        ):
            return tree.at(parent)
    return tree.at(body)


def parse_article(html: str, url: str) -> ParsedDocument:
    if not html.strip():
        raise ParseError("empty", "the page is empty")
    soup = soup_of(html)
    tree = PageTree(soup)
    meta = disclosure_metadata(tree)
    candidates = title_candidates(tree)
    attachments = attachment_links_near_body(soup, url, tree)
    published_at = find_date(_meta(soup, "PubDate")) or find_date(meta.get("published_at"))
    page_lines = [] if published_at else element_text(soup).split("\n")  # before the body's chrome goes
    body = body_node(html, soup, tree)
    title = _meta(soup, "ArticleTitle") or meta.get("title", "")
    if not title:
        window = soup.title.get_text(" ", strip=True) if soup.title else ""
        places = {at for at, _ in candidates}
        title = page_title(window, candidates, _body_start(tree, body, places), _meta(soup, "SiteName"))
    published_at = published_at or date_line_date(page_lines, title)
    without_breadcrumbs(body)
    text = without_leading_furniture(element_text(body) if body else "", title, meta.get("doc_no", ""))
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
        published_at=published_at,
        written_at=find_date(meta.get("written_at")),
        index_no=meta.get("index_no", ""),
        doc_no=meta.get("doc_no", ""),
        column_name=_meta(soup, "ColumnName"),
        topic=meta.get("topic", ""),
        content_source=_meta(soup, "ContentSource"),
        attachments=attachments,
    )
