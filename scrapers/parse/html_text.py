"""Clean text from HTML: paragraphs kept as lines, tables kept as rows of cells with separators
(never run together, so the digits of two cells can never become one number)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, ProcessingInstruction, Tag

CELL_SEPARATOR = " | "
SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "iframe",
    "form",
    "button",
    "input",
    "select",
    "textarea",
    "svg",
    "canvas",
    "template",
    "object",
    "embed",
    "head",
    "title",
    "meta",
    "link",
}
BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "center",
    "header",
    "footer",
    "aside",
    "main",
    "figure",
    "figcaption",
    "caption",
    "address",
    "hr",
    "tr",
    "tbody",
    "thead",
    "tfoot",
    "body",
    "html",
}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2002\u2003\u2009\u200b]+")


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def _inline_text(node: Tag) -> str:
    parts: list[str] = []
    _walk(node, parts)
    return _SPACES.sub(" ", "".join(parts).replace("\n", " ")).strip()


def table_rows(table: Tag) -> list[list[str]]:
    rows = []
    for row in table.find_all("tr"):
        if row.find_parent("table") is not table:
            continue  # belongs to a nested table, rendered on its own
        cells = [_inline_text(cell) for cell in row.find_all(["td", "th"], recursive=False)]
        if any(cells):
            rows.append(cells)
    return rows


def table_text(table: Tag) -> str:
    return "\n".join(CELL_SEPARATOR.join(cells) for cells in table_rows(table))


def _walk(node: Tag, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            out.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name in SKIP_TAGS:
            continue
        if name == "br":
            out.append("\n")
        elif name == "table":
            out.append("\n" + table_text(child) + "\n")
        elif name in BLOCK_TAGS:
            out.append("\n")
            _walk(child, out)
            out.append("\n")
        else:
            _walk(child, out)


def clean_lines(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip(" \u3000") for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def element_text(node: Tag) -> str:
    parts: list[str] = []
    _walk(node, parts)
    return clean_lines("".join(parts))
