"""One pass over a parsed page that later questions reuse, so that none of them costs more than a walk of the
page however deeply it nests: the elements in reading order, and each element's text when it is short (the only
texts labels, titles and date lines can be). Per-element get_text() would read a page of N nested elements N
times over."""

from __future__ import annotations

from typing import cast

from bs4 import CData, NavigableString, Tag

from scrapers.parse.html_text import SKIP_TAGS

# longer texts are no label, title or date line: a title runs to about 100 characters, a label and its value
# of the 信息公开 table to 150
SHORT = 300
_READ = (NavigableString, CData)
# blocks a paragraph never holds, and the elements that make a cell of a table or layout no leaf
_PARAGRAPH_BREAKERS = frozenset({"div", "table", "ul", "ol", "dl", "section", "article", "td", "li", "p"})
_CELL_BREAKERS = frozenset({"td", "th", "div", "table"})


class PageTree:
    def __init__(self, root: Tag) -> None:
        self.root = root
        self.elements = [node for node in root.descendants if isinstance(node, Tag)]
        self.elements.insert(0, root)
        self.position = {id(node): index for index, node in enumerate(self.elements)}
        self._short: dict[int, str | None] = {}
        self._length: dict[int, int] = {}
        self._holds_block: set[int] = set()
        self._holds_cell: set[int] = set()
        for node in reversed(self.elements):
            self._measure(node)

    def _measure(self, node: Tag) -> None:
        pieces: list[str] = []
        length, size = 0, 0
        for child in node.children:
            if isinstance(child, Tag):
                if child.name in _PARAGRAPH_BREAKERS or id(child) in self._holds_block:
                    self._holds_block.add(id(node))
                if child.name in _CELL_BREAKERS or id(child) in self._holds_cell:
                    self._holds_cell.add(id(node))
                if child.name in SKIP_TAGS:
                    continue
                text, child_length = self._short.get(id(child)), self._length.get(id(child), 0)
            elif type(child) in _READ:
                text = cast(NavigableString, child).strip()  # by the test above
                child_length = len(text)
            else:
                continue
            length += child_length
            if text is None or size > SHORT:
                size = SHORT + 1
            elif text:
                pieces.append(text)
                size += len(text) + 1
        self._length[id(node)] = length
        self._short[id(node)] = " ".join(pieces) if size <= SHORT else None

    def select(self, selector: str) -> list[Tag]:
        """The elements a simple selector (`tag`, `.class`, `#id`, `tag.class`) names, in reading order, still on
        the page. Soupsieve walks each element's ancestors, which on a deeply nested page costs N times N."""
        name, _, rest = selector.partition("#") if "#" in selector else selector.partition(".")
        wanted_id = rest if "#" in selector else ""
        wanted_class = rest if "#" not in selector else ""
        return [
            node
            for node in self.elements
            if not node.__dict__.get("_decomposed", False)
            and (not name or node.name == name)
            and (not wanted_id or node.get("id") == wanted_id)
            and (not wanted_class or wanted_class in (node.get("class") or []))
        ]

    def select_one(self, selector: str) -> Tag | None:
        found = self.select(selector)
        return found[0] if found else None

    def holds_block(self, node: Tag) -> bool:
        """Whether a div, table, list, section, cell or paragraph is inside the node (it is no paragraph)."""
        return id(node) in self._holds_block

    def holds_cell(self, node: Tag) -> bool:
        """Whether a td, th, div or table is inside the node (it is no leaf cell of a table)."""
        return id(node) in self._holds_cell

    def short_text(self, node: Tag) -> str | None:
        """get_text(" ", strip=True) of the node when it is at most SHORT characters long, else None."""
        return self._short.get(id(node))

    def text_length(self, node: Tag) -> int:
        """How many characters of text the node holds (its stripped strings, scripts and styles left out)."""
        return self._length.get(id(node), 0)

    def at(self, node: Tag) -> int:
        """The node's place in reading order (-1 for a node the page did not hold when the tree was made)."""
        return self.position.get(id(node), -1)
