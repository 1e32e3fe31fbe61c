"""Marks the deciding modules share: where a clause ends, which units count things, and how a year is
written. One definition, so that pairing, scope, resolution and decisions cut clauses, tell counts and find
years alike (scope cannot import pairing, which imports it)."""

from __future__ import annotations

import regex

# a clause ends at a comma, semicolon, colon or the end of a sentence (full- and half-width)
CLAUSE_BREAK = regex.compile(r"[，,；;：:。！？!?]")

# units that count things: a count written with one is followed by what it counts (300名孤寡老人), and an
# indicator in one of them takes a number whose noun follows it (7.71万困难残疾人)
COUNT_UNITS = ("人", "名", "户", "个", "家", "张", "对", "件", "座", "处", "所", "项", "具", "人次")

# a year as documents write it (2024), and as a word (2024年, its digits the first group): the period of a value
YEAR = r"(?:19|20)\d{2}"
YEAR_WORD = regex.compile(rf"({YEAR})\s*年")
