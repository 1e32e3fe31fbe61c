"""Document-sharing pages (文档分享 sites): the text comes in numbered page chunks (`1、…`, `2、…`)
that cut words and numbers in two; the chunks are re-joined so both are whole again."""

from __future__ import annotations

import re

from scrapers.parse.errors import ParseError
from scrapers.parse.html_text import clean_lines, element_text, soup_of, table_text
from warehouse.landing.records import ParsedDocument

_CHUNK_NUMBER = re.compile(r"^\s*(\d{1,4})、")
_DOC_SUFFIX = re.compile(r"\.(docx?|pdf|wps|txt)$", re.I)


def strip_chunk_numbers(chunks: list[str]) -> list[str] | None:
    """Remove the `N、` prefixes if the chunks really are numbered 1, 2, 3, …; else None."""
    stripped = []
    for expected, chunk in enumerate(chunks, start=1):
        match = _CHUNK_NUMBER.match(chunk)
        if not match or int(match.group(1)) != expected:
            return None
        stripped.append(chunk[match.end() :])
    return stripped


def rejoin_chunks(chunks: list[str]) -> str:
    """Join chunk texts with no separator: a chunk break is not a word or number break."""
    return "".join(chunks)


def is_docshare_page(soup) -> bool:
    """Whether the page holds document chunks (looked for without soupsieve, whose matching walks each element's
    ancestors: N times N on a page of N nested elements)."""
    return any(node.has_attr("data-page") or "page-chunk" in (node.get("class") or []) for node in soup.find_all(True))


def parse_docshare(html: str, url: str) -> ParsedDocument:
    soup = soup_of(html)
    chunk_nodes = soup.select(".page-chunk, [data-page]")
    if not chunk_nodes:
        raise ParseError("no_text", "no page chunks found on the document-sharing page")
    parts, prose = [], []
    for node in chunk_nodes:
        tables = [table.extract() for table in node.find_all("table")]
        for caption in node.select(".caption"):
            tables.insert(0, caption.extract())
        prose.append(element_text(node).replace("\n", ""))
        parts.append(tables)
    texts = strip_chunk_numbers(prose) or prose
    pieces = []
    for text, tables in zip(texts, parts):
        pieces.append(text)
        for table in tables:
            rendered = table_text(table) if table.name == "table" else table.get_text(" ", strip=True)
            pieces.append("\n" + rendered + "\n")
    heading = soup.find("h1")
    title = _DOC_SUFFIX.sub("", heading.get_text(strip=True)) if heading else ""
    return ParsedDocument(format="docshare", text=clean_lines(rejoin_chunks(pieces)), title=title)
