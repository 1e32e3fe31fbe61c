"""Plain-text documents (an analyst's dropped .txt, copied from a disclosure page).

Text copied off a disclosure page carries the page's 信息公开 header in whatever shape the
copy took: `label: value` on one line, label and value on separate lines, cells joined by
`|`, or bare values in the header's order. Metadata is read from the first lines only;
the whole text is kept as the document's text.
"""

from __future__ import annotations

import re

from scrapers.parse.dates import find_date
from scrapers.parse.docshare import rejoin_chunks, strip_chunk_numbers
from scrapers.parse.errors import ParseError
from scrapers.parse.html_text import clean_lines
from warehouse.landing.records import ParsedDocument

HEADER_LINES = 45
_LABELS = {
    "索引号": "index_no",
    "发布机构": "publisher",
    "发文机关": "publisher",
    "文件编号": "doc_no",
    "发文字号": "doc_no",
    "成文日期": "written_at",
    "发布日期": "published_at",
    "发布时间": "published_at",
    "公开日期": "published_at",
    "主题分类": "topic",
    "组配分类": "topic",
}
_LABEL = re.compile(r"(" + "|".join(_LABELS) + r")\s*[:：|]?\s*")
_INDEX_NO = re.compile(r"^[0-9A-Z]{9,20}/\d{4}-\d{3,}$")
_BARE_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_PUBLISHER = re.compile(r"^\S{0,14}(?:民政局|民政厅|民政部|人民政府|办公室|委员会)$")
_TITLE_WORDS = re.compile(r"(工作总结|工作要点|工作思路|工作计划|发展规划|规划|计划|报告|通知|公报|意见|方案)")
_SHARE_BANNER = re.compile(r"^《(.+?)》由会员分享")
_DOC_SUFFIX = re.compile(r"\.(docx?|pdf|wps|txt)$", re.I)


def _header_fields(lines: list[str]) -> dict[str, str]:
    """Read `label value` pairs; a label whose value is not on its line takes the next line."""
    found: dict[str, str] = {}
    for index, line in enumerate(lines):
        matches = list(_LABEL.finditer(line))
        for position, match in enumerate(matches):
            end = matches[position + 1].start() if position + 1 < len(matches) else len(line)
            value = line[match.end() : end].strip(" |:：\u3000")
            if not value and position + 1 == len(matches):
                following = next((row.strip() for row in lines[index + 1 : index + 3] if row.strip()), "")
                value = "" if _LABEL.match(following) else following
            key = _LABELS[match.group(1)]
            if value and key not in found:
                found[key] = value
    return found


def _bare_values(lines: list[str]) -> dict[str, str]:
    """Header values written without their labels, recognised by their shape."""
    found: dict[str, str] = {}
    for line in lines:
        line = line.strip()
        if _INDEX_NO.match(line):
            found.setdefault("index_no", line)
        elif _BARE_DATE.match(line):
            found.setdefault("published_at", line)
        elif _PUBLISHER.match(line):
            found.setdefault("publisher", line)
    return found


def _title(lines: list[str], fields: dict[str, str]) -> str:
    for line in lines[:3]:
        if banner := _SHARE_BANNER.match(line.strip()):
            return _DOC_SUFFIX.sub("", banner.group(1))
    for line in lines:
        line = line.strip()
        if (
            6 <= len(line) <= 60
            and _TITLE_WORDS.search(line)
            and line not in fields.values()
            and re.search(r"\d{4}|《|十[一二三四五六七八九]五", line)
            and not line.endswith(("。", "；", ","))
            and not _LABEL.match(line)
            and "、" not in line[:3]
        ):
            return re.sub(r"\s+", "", line)
    return ""


def parse_plaintext(text: str) -> ParsedDocument:
    if not text.strip():
        raise ParseError("empty", "the file has no text")
    lines = text.splitlines()
    head = [line for line in lines[:HEADER_LINES] if line.strip()]
    fields = {**_bare_values(head), **_header_fields(head)}
    numbered = [line for line in lines[1:] if line.strip()]
    chunks = strip_chunk_numbers(numbered) if _SHARE_BANNER.match(lines[0].strip()) else None
    body = lines[0] + "\n" + rejoin_chunks(chunks) if chunks else text
    return ParsedDocument(
        format="txt",
        text=clean_lines(body),
        title=_title(head, fields),
        publisher=fields.get("publisher", ""),
        published_at=find_date(fields.get("published_at")) or find_date(fields.get("written_at")),
        written_at=find_date(fields.get("written_at")),
        index_no=fields.get("index_no", ""),
        doc_no=fields.get("doc_no", ""),
        topic=fields.get("topic", ""),
    )
