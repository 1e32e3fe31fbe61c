"""Where an article's body is on its page, and where it starts.

The body is between the ZJEG_RSS content markers when present, else in the usual body containers, else the
block that holds the most text in paragraphs of its own. Templates often put the 当前位置 breadcrumb, the title
and the date line in the body's container: the breadcrumb is taken out, and the title and the date line are
dropped from the body's start.
"""

from __future__ import annotations

import re
from typing import cast

from bs4 import NavigableString, Tag

from scrapers.parse.dates import _DATE
from scrapers.parse.html_text import element_text, soup_of
from scrapers.parse.page_tree import PageTree

_RSS_BODY = re.compile(r"<!--\s*ZJEG_RSS\.content\.begin\s*-->(.*?)<!--\s*ZJEG_RSS\.content\.end\s*-->", re.S | re.I)
BODY_SELECTORS = (
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
# what a paragraph of a body is made of when it is a direct child of the body's block
_PARAGRAPHS = {"p", "span", "font", "strong", "b", "em", "i", "u", "center", "blockquote", "pre", "h4", "h5", "h6"}
_BREADCRUMB = re.compile(r"^\s*(?:当前位置|您当前的?位置|您的位置|您所在的位置|您现在的位置|所在位置)\s*[:：]")
_BREADCRUMB_LINE = re.compile(_BREADCRUMB.pattern + r"|^首页\s*(?:[>»›/]|&gt;)")
# a breadcrumb is a short line: climbing from its label stops before the block that holds the body
_BREADCRUMB_LENGTH = 150
_NO_SPACE = re.compile(r"\s+")
_INFO_LABEL = re.compile(
    r"(发布时间|发布日期|发表时间|更新时间|公开日期|日期|时间|信息来源|文章来源|来源|作者|责任编辑|编辑|"
    r"浏览次数|浏览量|浏览|阅读次数|阅读量|阅读|点击数|点击量|点击|访问量|访问次数|字号|字体)\s*[:：]"
)
_DATE_LABELS = {"发布时间", "发布日期", "发表时间", "更新时间", "公开日期", "日期", "时间"}
_DATE_VALUE = re.compile(r"^(?:" + _DATE.pattern + r")日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?$")
_BRACKETED = re.compile(r"[【\[][^】\]]{0,12}[】\]]|打印本页|关闭窗口|分享到[:：]?")
# the title, the date line and a breadcrumb come before the body in its first lines, never further down
_LEADING_LINES = 8


def _paragraph_text(tree: PageTree, node: Tag) -> int:
    """Text in the node's own paragraphs: its strings and its children that are paragraphs (a <p>, or a <div>
    with no block inside: templates write paragraphs as either)."""
    total = 0
    for child in node.children:
        if isinstance(child, NavigableString):
            total += len(child.strip()) if type(child) is NavigableString else 0
        elif isinstance(child, Tag) and (
            child.name in _PARAGRAPHS or (child.name == "div" and not tree.holds_block(child))
        ):
            total += tree.text_length(child)
    return total


def body_node(html: str, soup, tree: PageTree) -> Tag:
    marked = _RSS_BODY.search(html)
    if marked:
        return cast(Tag, soup_of(f"<div>{marked.group(1)}</div>").div)  # the <div> just written
    for selector in BODY_SELECTORS:
        node = tree.select_one(selector)
        if node and element_text(node):
            return node
    for selector in _CHROME_SELECTORS:
        for node in tree.select(selector):
            if not node.__dict__.get("_decomposed", False):
                node.decompose()
    scored = [
        (_paragraph_text(tree, node), node)
        for node in tree.elements
        if node.name in ("div", "td", "article", "section") and not node.__dict__.get("_decomposed", False)
    ]
    best = max(scored, key=lambda pair: pair[0], default=(0, None))
    return cast(Tag, best[1]) if best[0] else (soup.body or soup)  # a node where its score is not 0


def without_breadcrumbs(node: Tag) -> None:
    """Take the 当前位置：首页 > 政务公开 > … block out of the body's container."""
    for string in [text for text in node.find_all(string=_BREADCRUMB)]:
        crumb = string.parent
        while (
            crumb is not None
            and crumb.parent is not None
            and crumb.parent is not node
            and len(crumb.parent.get_text(strip=True)) <= _BREADCRUMB_LENGTH
        ):
            crumb = crumb.parent
        if crumb is not None and crumb is not node and crumb.parent is not None:
            crumb.decompose()


def _is_date_line(line: str) -> bool:
    """发布时间：2025-03-04 09:30 来源：某某局 浏览次数：12 【打印】: every part a label and its value, the dates
    nothing but dates (时间：2025年3月5日上午9时 opens a meeting notice's body and stays)."""
    line = _BRACKETED.sub(" ", line).strip()
    labels = list(_INFO_LABEL.finditer(line))
    if not labels or labels[0].start() != 0 or len(line) > 120:
        return False
    for label, following in zip(labels, [*labels[1:], None]):
        value = line[label.end() : following.start() if following else len(line)].strip()
        if label.group(1) in _DATE_LABELS and not _DATE_VALUE.match(value):
            return False
    return True


def _without_repeated_heading(lines: list[str], title: str, doc_no: str) -> list[str]:
    """Lines that open by repeating the title (over one or more lines) and the 文号 start after them."""
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
    return lines[cut:] if cut and cut < len(lines) else lines


def without_leading_furniture(text: str, title: str, doc_no: str) -> str:
    """The body from its first own line: a repeated title, the date line, a breadcrumb and the separators of a
    breadcrumb read line by line are dropped from its first lines."""
    lines = text.split("\n")
    for _ in range(_LEADING_LINES):
        if not lines:
            break
        shorter = _without_repeated_heading(lines, title, doc_no)
        if shorter is lines and (_is_date_line(lines[0]) or _BREADCRUMB_LINE.match(lines[0])):
            shorter = lines[1:]
        if shorter is lines or not shorter:
            break
        lines = shorter
    return "\n".join(lines).strip()
