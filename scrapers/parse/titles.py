"""The article's own title, read as text.

Templates wrap a title in markup (`<h1>…<span>救助</span><br>实施细则…</h1>`, `<div class="xxgk_title"><div>…`):
its pieces join without a space, as a reader sees them. Where <title> is only the site's name, or carries the
column and site around the title, the heading right above the body is the article's.
"""

from __future__ import annotations

import re

from bs4 import Tag

from scrapers.parse.page_tree import PageTree

_NO_SPACE = re.compile(r"\s+")
_SPACE_RUN = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
# what separates the parts of <title>: 标题_栏目_某某网站, 某某网站 - 栏目 - 标题, 标题｜某某网站
_WINDOW_PARTS = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s)\s*")
_TITLE_CLASS = re.compile(r"tit|biaoti|headline", re.I)
_HEADINGS = {"h1", "h2", "h3"}
_NOT_TITLES = re.compile(r"^(?:当前位置|您当前的位置|您的位置|您所在的位置|您现在的位置|所在位置)")
# a title is at least this long; a sidebar's 最新发布 or 相关阅读 heading is shorter
_SHORTEST_ABOVE_BODY = 6


def joined(text: str) -> str:
    """Runs of white space dropped, except one between two Latin letters or digits (`COVID 19`, not `救助 实施`)."""

    def gap(match: re.Match[str]) -> str:
        before, after = match.string[match.start() - 1 : match.start()], match.string[match.end() : match.end() + 1]
        return " " if _ASCII_WORD.match(before) and _ASCII_WORD.match(after) else ""

    return _SPACE_RUN.sub(gap, text.strip())


def _is_candidate(node: Tag) -> bool:
    if node.name in _HEADINGS:
        return True
    names = " ".join([*(node.get("class") or []), str(node.get("id") or "")])
    return bool(_TITLE_CLASS.search(names)) and node.name not in ("title", "a", "meta", "li", "ul", "input")


def title_candidates(tree: PageTree) -> list[tuple[int, str]]:
    """Headings and elements named as titles (class or id), with their place in reading order and their text."""
    found = []
    for node in tree.elements:
        if not _is_candidate(node) or node.find_parent(["a", "li"]) is not None:
            continue
        text = tree.short_text(node)
        if text and 4 <= len(text) <= 150 and not _NOT_TITLES.match(text):
            found.append((tree.at(node), joined(text)))
    return found


def _window_parts(window: str) -> list[str]:
    return [part for part in _WINDOW_PARTS.split(window.strip()) if part]


def page_title(window: str, candidates: list[tuple[int, str]], body_starts_at: int, site_name: str = "") -> str:
    """The article's title: the longest heading that <title> repeats, unless that is all <title> says (a site
    name the logo repeats) and a heading sits above the body; else the heading right above the body; else the
    first part of <title> that is not the site's name."""
    squeezed = _NO_SPACE.sub("", window)
    repeated = [text for _, text in candidates if _NO_SPACE.sub("", text) in squeezed]
    above = [text for at, text in candidates if at < body_starts_at and len(text) >= _SHORTEST_ABOVE_BODY]
    if repeated:
        best = max(repeated, key=len)
        if _NO_SPACE.sub("", best) == squeezed and above and len(above[-1]) > len(best):
            return above[-1]
        return best
    if above:
        return above[-1]
    parts = [part for part in _window_parts(window) if part != site_name.strip()]
    if parts:
        return joined(parts[0])
    return candidates[0][1] if candidates else ""
