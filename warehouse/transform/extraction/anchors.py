"""Plain-text anchors of the vocabulary's patterns, and where they occur in a text: the exact prefilter that
lets a phrase or subject pattern run only on a text that holds its anchor."""

from __future__ import annotations

from collections.abc import Iterator

import ahocorasick
import regex


class Anchors:
    """Where plain strings occur in a text, every occurrence, overlapping ones too, in one Aho-Corasick pass;
    each string stands for the indices (of phrases, of subjects) added with it."""

    def __init__(self) -> None:
        self._automaton = ahocorasick.Automaton()
        self._indices: dict[str, list[int]] = {}
        self._built = False

    def add(self, anchor: str, index: int) -> None:
        indices = self._indices.setdefault(anchor, [])
        if index not in indices:
            indices.append(index)
            self._automaton.add_word(anchor, (len(anchor), indices))
            self._built = False

    def occurrences(self, text: str) -> Iterator[tuple[int, list[int]]]:
        """(start, indices) of every occurrence of every anchor in the text."""
        if not self._indices:
            return
        if not self._built:
            self._automaton.make_automaton()
            self._built = True
        for end, (length, indices) in self._automaton.iter(text):
            yield end - length + 1, indices


def anchor_of(pattern: str) -> str:
    """The longest run of plain characters every match of a pattern contains — the cheap `in` filter that
    runs before the regular expression. Groups, classes, escapes and optional characters cut it; a pattern
    that is an alternation at its top has none."""
    if "|" in _top_level(pattern):
        return ""
    text, previous, cut = pattern, None, "\x00"
    while previous != text:  # innermost groups first
        previous, text = text, regex.sub(r"\([^()]*\)[?*+]?(?:\{[^}]*\})?\??", cut, text)
    text = regex.sub(r"\[[^\]]*\][?*+]?(?:\{[^}]*\})?\??", cut, text)
    text = regex.sub(r"\\.", cut, text)
    text = regex.sub(r".(?:[?*]|\{0?,?\d*\})\??", cut, text)  # an optional character (.{0,12}?, 名?)
    text = regex.sub(r"\{\d*(?:,\d*)?\}\??|[.^$+{}]", cut, text)
    pieces = [piece for piece in text.split(cut) if piece]
    return max(pieces, key=len) if pieces else ""


def top_level_alternatives(pattern: str) -> list[str]:
    """A pattern split at the `|` outside its groups and classes: one of them matches wherever it matches."""
    alternatives: list[str]
    current: list[str]
    alternatives, current, depth, escaped, in_class = [], [], 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            alternatives.append("".join(current))
            current = []
            continue
        current.append(char)
    return [*alternatives, "".join(current)]


def _top_level(pattern: str) -> str:
    """The pattern without its groups: a `|` left here is an alternation of the whole pattern."""
    depth, kept, escaped = 0, [], False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept)
