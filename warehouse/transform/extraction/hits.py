"""Where the vocabulary's phrases and subjects occur in a text, and what words of a text are left once the
known ones are taken away (its residue: a head that names something no phrase covers blocks the frames)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from warehouse.transform.extraction.vocabulary import Vocabulary

_HAN = regex.compile(r"\p{Han}")
RESIDUE_MEMO_SIZE = 100_000


@dataclass(slots=True)
class Hit:
    key: str  # indicator code (phrase hits) or subject (subject hits)
    start: int
    end: int
    text: str
    needs: tuple[str, ...] = ()  # phrase hits: subjects one of which must be within reach


def phrase_hits(text: str, vocabulary: Vocabulary) -> list[Hit]:
    """Every occurrence of every indicator phrase; a hit any phrase makes without needing a subject needs none."""
    needs: dict[tuple[str, int, int, str], tuple[str, ...]] = {}
    for phrase, start, end in vocabulary.phrase_matches(text):
        key = (phrase.indicator_code, start, end, text[start:end])
        needs[key] = () if not phrase.needs_subject or needs.get(key) == () else phrase.needs_subject
    return sorted((Hit(*key, needs=required) for key, required in needs.items()), key=lambda hit: (hit.start, -hit.end))


def subject_hits(text: str, vocabulary: Vocabulary) -> list[Hit]:
    hits = []
    for subject, pattern in vocabulary.subjects_in(text):
        hits += [Hit(subject, m.start(), m.end(), m.group(0)) for m in pattern.finditer(text) if m.end() > m.start()]
    return _outermost(sorted(hits, key=lambda hit: (hit.start, -hit.end)))


def _outermost(hits: list[Hit]) -> list[Hit]:
    """Subjects inside a longer subject (低保 in 低保边缘) are not subjects of their own."""
    return [
        hit
        for hit in hits
        if not any(other.start <= hit.start and hit.end <= other.end and other != hit for other in hits)
    ]


def residue(text: str, vocabulary: Vocabulary, remove: Sequence[tuple[int, int]] = ()) -> str:
    """The Han characters of a text left after the given spans, linking words, verbs, own-area words and dates."""
    left = text
    if remove:
        keep = [True] * len(text)
        for start, end in remove:
            for index in range(max(start, 0), min(end, len(text))):
                keep[index] = False
        left = "".join(char for char, kept in zip(text, keep) if kept)
    cached = vocabulary.residues.get(left)
    if cached is None:
        if len(vocabulary.residues) >= RESIDUE_MEMO_SIZE:  # a national corpus has millions of distinct heads
            vocabulary.residues.clear()
        cached = vocabulary.residues[left] = _residue(left, vocabulary)
    return cached


def _residue(left: str, vocabulary: Vocabulary) -> str:
    if vocabulary.places is not None and left:
        left = vocabulary.places.remove(left)
    previous = None
    while previous != left:
        previous, left = left, vocabulary.filler.sub("", left)
    return "".join(_HAN.findall(left))
