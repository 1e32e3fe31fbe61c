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


# Tables inside table cells are rendered as rows down to this depth; deeper ones (only hostile pages nest so
# far) are read as plain blocks so that rendering a table never recurses without bound.
_MAX_TABLE_NESTING = 20


def _inline_text(node: Tag, depth: int = 0) -> str:
    parts: list[str] = []
    _walk(node, parts, depth)
    return _SPACES.sub(" ", "".join(parts).replace("\n", " ")).strip()


def table_rows(table: Tag, depth: int = 0) -> list[list[str]]:
    rows = []
    for row in table.find_all("tr"):
        if row.find_parent("table") is not table:
            continue  # belongs to a nested table, rendered on its own
        cells = [_inline_text(cell, depth + 1) for cell in row.find_all(["td", "th"], recursive=False)]
        if any(cells):
            rows.append(cells)
    return rows


def table_text(table: Tag, depth: int = 0) -> str:
    return "\n".join(CELL_SEPARATOR.join(cells) for cells in table_rows(table, depth))


def _walk(node: Tag, out: list[str], depth: int = 0) -> None:
    """The text of a node's children in reading order. An explicit stack, not recursion: pages of thousands of
    nested elements exist (and a hostile one costs nothing to make); each entry is a string still to write
    (a block's closing line break) or the children of an element still to read."""
    stack: list = [iter(node.children)]
    while stack:
        top = stack[-1]
        if isinstance(top, str):
            out.append(stack.pop())
            continue
        child = next(top, None)
        if child is None:
            stack.pop()
        elif isinstance(child, (Comment, Doctype, ProcessingInstruction)):
            continue
        elif isinstance(child, NavigableString):
            out.append(str(child))
        elif isinstance(child, Tag) and child.name not in SKIP_TAGS:
            _open(child, out, stack, depth)


def _open(child: Tag, out: list[str], stack: list, depth: int) -> None:
    name = child.name
    if name == "br":
        out.append("\n")
    elif name == "table" and depth < _MAX_TABLE_NESTING:
        out.append("\n" + table_text(child, depth) + "\n")
    elif name in BLOCK_TAGS or name == "table":
        out.append("\n")
        stack.extend(("\n", iter(child.children)))
    else:
        stack.append(iter(child.children))


def clean_lines(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip(" \u3000") for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def element_text(node: Tag) -> str:
    parts: list[str] = []
    _walk(node, parts)
    return clean_lines("".join(parts))
