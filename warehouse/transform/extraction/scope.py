"""The scope of a value (FACTS.md, Scope): which part of the people or services it covers — urban or rural
(the area), concentrated or dispersed (the form of support), both at once (`rural+dispersed`), or the whole.

The words come from the seed scope_words.csv; the rules below decide with them, in the order of SCOPE_RULES,
each dimension (area, support) on its own. A number's *piece* is the text between the mention before it in
its segment (or the segment start) and the number; a *list* is a run of numbers with only list joiners
(、, 和 …) between them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import regex

from warehouse.transform.extraction.marks import CLAUSE_BREAK

if TYPE_CHECKING:
    from warehouse.transform.extraction.vocabulary import Vocabulary

_SPACE_IN_HAN = regex.compile(r"(?<=\p{Han})\s+(?=\p{Han})")
_HAN = regex.compile(r"\p{Han}")
ATTACH_REACH = 8  # an area word names a part when a programme word starts this close after it
BARE_REACH = 3  # …or when the number follows this close (农村为600元)
RESPECTIVELY = "分别"


@dataclass(frozen=True, slots=True)
class ScopeRule:
    rule_id: str
    does: str
    example: str


SCOPE_RULES = (
    ScopeRule(
        "own_part_indicator",
        "an indicator whose definition already is a part keeps the whole: the code says it",
        "特困人员集中供养率达到60% → tekun_centralized_support_rate, scope ''",
    ),
    ScopeRule(
        "column_header",
        "a table column whose header names one part gives its cells that part",
        "项目 | 城市 | 农村 over 低保标准 | 900 | 700 → 900 urban, 700 rural",
    ),
    ScopeRule(
        "paired_list",
        "a list of values after a clause that names as many parts gives them the parts in order",
        "城乡低保标准分别为1000元、800元 → 1000 urban, 800 rural",
    ),
    ScopeRule(
        "part_of_counted_subject",
        "a count written before the subject it counts takes the part named with that subject",
        "3.2万人享受农村最低生活保障 → rural",
    ),
    ScopeRule(
        "part_in_clause",
        "the words just before the value name one part (an area word before a programme word, a support word)",
        "农村五保户年分散供养标准6000元 → rural+dispersed",
    ),
    ScopeRule(
        "both_parts_at_once",
        "the words before one value name both parts, or the whole as such: the whole",
        "城乡低保标准均为800元 → ''",
    ),
    ScopeRule(
        "part_carried_over",
        "a part named earlier in the sentence carries to the values after it, unless parts were listed or the"
        " programme is named again",
        "城市低保对象500人,保障标准为900元 → 900 urban",
    ),
    ScopeRule(
        "section_header",
        "a line or table row without numbers that names a part gives it to the rows below, until the next",
        "城市最低生活保障 | | then 保障人数 | 万人 | 1.2 → urban",
    ),
    ScopeRule("whole", "no part named: the whole", "低保对象1200人 → ''"),
)


@dataclass(frozen=True, slots=True)
class ScopeWords:
    """scope_words.csv compiled: the part words, the programme words area words attach to, list joiners."""

    parts_pattern: regex.Pattern | None
    entries: dict[str, tuple[str, tuple[str, ...]]]  # word → (kind, parts)
    programme: regex.Pattern | None
    joiner: regex.Pattern
    own_part_indicators: frozenset[str]
    dimension: dict[str, str]  # part → area | support
    order: dict[str, int]  # part → its place in a scope (area first)
    fresh_starts: tuple[str, ...] = ()  # 全省, 全市 …: a value whose own words open with one takes no part carried
    rate_words: regex.Pattern | None = None  # 每人, 每月 … (list_filler): a rate's words between a part and its value


@dataclass(frozen=True, slots=True)
class PartWord:
    word: str
    start: int
    kind: str  # area | support | pair | whole
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """A header line above table rows or lines: its parts by dimension and the programmes it names."""

    label: str
    parts: dict[str, list[str]]
    programmes: frozenset[str]


@dataclass(slots=True)
class ScopeDecision:
    scope: str
    rule: str  # rule ids with the words that decided them, for make explain
    found: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # dimension → (part, rule, words)


def build_scope_words(word_rows: Iterable[dict], scope_rows: Iterable[dict]) -> ScopeWords:
    dimension, order = {}, {}
    for row in scope_rows:
        scope = row.get("scope") or ""
        if row.get("area") and not row.get("support"):
            dimension[scope] = "area"
        elif row.get("support") and not row.get("area"):
            dimension[scope] = "support"
        if scope in dimension:
            order[scope] = 0 if dimension[scope] == "area" else 1
    entries: dict[str, tuple[str, tuple[str, ...]]] = {}
    programmes, joiners, own, fresh, list_fillers = [], [], set(), [], []
    for row in word_rows:
        word, kind = row.get("word") or "", row.get("kind") or ""
        if kind in ("area", "support", "pair", "whole"):
            entries[word] = (kind, tuple(part for part in (row.get("scope") or "").split("|") if part))
        elif kind == "programme":
            programmes.append(word)
        elif kind == "list_joiner":
            joiners.append(word)
        elif kind == "own_part_indicator":
            own.add(word)
        elif kind == "fresh_start":
            fresh.append(word)
        elif kind == "list_filler":
            list_fillers.append(word)
    return ScopeWords(
        parts_pattern=_words_pattern(entries) if entries else None,
        entries=entries,
        programme=_words_pattern(programmes) if programmes else None,
        joiner=regex.compile(
            rf"^\s*(?:{'|'.join(regex.escape(j) for j in joiners) or '、'})\s*"
            rf"(?:{'|'.join(regex.escape(f) for f in sorted(list_fillers, key=len, reverse=True))})*\s*$"
            if list_fillers
            else rf"^\s*(?:{'|'.join(regex.escape(j) for j in joiners) or '、'})\s*$"
        ),
        own_part_indicators=frozenset(own),
        rate_words=_words_pattern(list_fillers) if list_fillers else None,
        dimension=dimension,
        order=order,
        fresh_starts=tuple(fresh),
    )


def _words_pattern(words: Iterable[str]) -> regex.Pattern:
    alternatives = []
    for word in sorted(set(words), key=len, reverse=True):
        escaped = regex.escape(word)
        alternatives.append(rf"\b{escaped}\b" if word.isascii() else escaped)
    return regex.compile("|".join(alternatives))


def normalised(text: str) -> str:
    """城 市 in a spaced table header is 城市."""
    return _SPACE_IN_HAN.sub("", text)


def part_words(text: str, words: ScopeWords, attached_only: bool = True) -> list[PartWord]:
    """The part words of a text, longest first; an area word (or a pair of areas) only where a programme word
    follows it within the clause, or the text ends just after it (a column header needs neither)."""
    if words.parts_pattern is None:
        return []
    found = []
    for match in words.parts_pattern.finditer(text):
        kind, parts = words.entries[match.group(0)]
        needs_programme = kind == "area" or (kind == "pair" and words.dimension.get(parts[0]) == "area")
        if attached_only and needs_programme and not _attached(text, match.end(), words):
            continue
        found.append(PartWord(match.group(0), match.start(), kind, parts))
    return found


def _attached(text: str, end: int, words: ScopeWords) -> bool:
    rest = text[end:]
    clause = CLAUSE_BREAK.split(rest, maxsplit=1)[0]
    if words.programme is not None:
        programme = words.programme.search(clause)
        if programme is not None and programme.start() <= ATTACH_REACH:
            return True
    # 农村为600元; 标准城市每人每月900元: the value follows at once, or after the rate it is written per
    bare = words.rate_words.sub("", rest.strip()) if words.rate_words is not None else rest.strip()
    return len(bare) <= BARE_REACH and len(clause) == len(rest)


def parts_of(found: Sequence[PartWord], words: ScopeWords) -> dict[str, list[str]]:
    """Each dimension's parts in the order named, once each; a whole word names both (all) parts."""
    parts: dict[str, list[str]] = {"area": [], "support": []}
    for word in found:
        if word.kind == "whole":
            parts["area"] += [p for p, d in words.dimension.items() if d == "area" and p not in parts["area"]]
            continue
        for part in word.parts:
            dimension = words.dimension.get(part)
            if dimension and part not in parts[dimension]:
                parts[dimension].append(part)
    return parts


def section_of(text: str, words: ScopeWords, programme_keys: frozenset[str]) -> Section:
    label = normalised(text.replace("|", " ")).strip()
    return Section(label, parts_of(part_words(label, words), words), programme_keys)


def combine(parts: dict[str, str], words: ScopeWords) -> str:
    return "+".join(sorted((p for p in parts.values() if p), key=lambda p: words.order.get(p, 9)))


@dataclass(slots=True)
class Place:
    """Where a value stands in its segment, as scope reads it."""

    text: str  # the segment text
    spans: list[tuple[int, int]]  # every mention of the segment, in order (offsets in text)
    units: list[str]  # the written unit of each of spans: a list's values share one
    index: int  # this mention's place in spans
    column_header: str | None
    section: Section | None
    programmes_in: Callable[[str], frozenset[str]]  # the programme subjects a text names
    counted_words: str = ""  # a count's words up to the subject after it that it counts (…万人享受城市低保)


def scope_of(
    indicator_code: str, place: Place, words: ScopeWords, indicator_programmes: frozenset[str]
) -> ScopeDecision:
    """The scope of one value and the rules (with their words) that decided it, in SCOPE_RULES' order."""
    if indicator_code in words.own_part_indicators:
        return ScopeDecision("", f"own_part_indicator: {indicator_code}")
    found: dict[str, tuple[str, str, str]] = {}
    whole: dict[str, str] = {}
    for dimension in ("area", "support"):
        decided = _decide_dimension(dimension, place, words, indicator_programmes)
        if decided is None:
            continue
        part, rule, shown = decided
        if part:
            found[dimension] = (part, rule, shown)
        else:
            whole[dimension] = f"{rule}: {shown}"
    scope = combine({d: p for d, (p, _, _) in found.items()}, words)
    reasons = [f"{rule}: {shown}" for _, rule, shown in found.values()] + list(whole.values())
    return ScopeDecision(scope, "; ".join(reasons) or "whole: no part named", found)


def _decide_dimension(
    dimension: str, place: Place, words: ScopeWords, indicator_programmes: frozenset[str]
) -> tuple[str, str, str] | None:
    """(part or '' for the whole, rule id, the words) for one dimension; None: no rule named anything."""
    if place.column_header:
        header = normalised(place.column_header)
        parts = parts_of(part_words(header, words, attached_only=False), words)[dimension]
        if len(parts) == 1:
            return parts[0], "column_header", place.column_header.strip()
    members = _list_around(place, words)
    if len(members) >= 2:
        paired = _paired(dimension, place, members, words)
        if paired is not None:
            return paired
    if place.counted_words:
        counted = part_words(normalised(place.counted_words), words)
        parts = parts_of(counted, words)[dimension]
        if len(parts) == 1:
            return parts[0], "part_of_counted_subject", _shown(counted, parts)
    stretches = _stretches(place, members[0] if len(members) >= 2 else _compound_start(place))
    piece = stretches[-1]
    own = part_words(piece, words)
    parts = parts_of(own, words)[dimension]
    if len(parts) == 1:
        return parts[0], "part_in_clause", _shown(own, parts)
    if len(parts) >= 2:
        return "", "both_parts_at_once", _shown(own, parts)
    carried = _carried(dimension, place, stretches, words)
    if carried is not None:
        return carried
    section = place.section
    if section is not None and (not section.programmes or section.programmes & indicator_programmes):
        parts = section.parts[dimension]
        if len(parts) == 1:
            return parts[0], "section_header", section.label
    return None


def _shown(found: Sequence[PartWord], parts: Sequence[str]) -> str:
    return "、".join(word.word for word in found if set(word.parts) & set(parts) or word.kind == "whole")


def _list_around(place: Place, words: ScopeWords) -> list[int]:
    """The indices of the list this mention belongs to (itself alone when it is in none): values of one written
    unit with only joiners between them."""
    spans, text = place.spans, place.text
    first = last = place.index

    def joined(left: int, right: int) -> bool:
        # 每人每月950元和每人每年9600元: amounts of one currency are one list whatever period each is written in
        same_unit = place.units[left] == place.units[right] or place.units[left][:1] == place.units[right][:1] == "元"
        return same_unit and bool(words.joiner.match(text[spans[left][1] : spans[right][0]]))

    while first > 0 and joined(first - 1, first):
        first -= 1
    while last + 1 < len(spans) and joined(last, last + 1):
        last += 1
    return list(range(first, last + 1))


def _paired(dimension: str, place: Place, members: list[int], words: ScopeWords) -> tuple[str, str, str] | None:
    """分别…A、B: the clause before the list (or, where it names none and says 分别, the clause before that)
    names as many parts as the list has values."""
    text = place.text
    list_start = place.spans[members[0]][0]
    clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, list_start)), default=0)
    first_value = list_start
    for _ in range(3):
        clause = normalised(text[clause_start:list_start])
        found = part_words(clause, words)
        parts = parts_of(found, words)[dimension]
        if len(parts) == len(members):
            return parts[members.index(place.index)], "paired_list", _shown(found, parts)
        if parts or clause_start == 0 or _pairs_other_dimension(dimension, found, members, words):
            return None
        list_start = clause_start - 1
        clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, list_start)), default=0)
        if RESPECTIVELY not in text[clause_start:first_value]:
            return None
        if any(clause_start <= start < list_start for start, _ in place.spans):
            return None  # the clause before states a value of its own: its parts are that value's
    return None


def _pairs_other_dimension(dimension: str, found: Sequence[PartWord], members: list[int], words: ScopeWords) -> bool:
    """集中和分散供养…分别…A、B: the list's own clause pairs it by the other dimension; no look-back for this one."""
    parts = parts_of(found, words)
    return any(len(parts[other]) == len(members) for other in parts if other != dimension)


def _compound_start(place: Place) -> int:
    """The first of the quantities written together with this one (`994户1543人`: the persons share the words
    before the households)."""
    first = place.index
    while first > 0 and not place.text[place.spans[first - 1][1] : place.spans[first][0]].strip():
        first -= 1
    return first


def _stretches(place: Place, upto: int) -> list[str]:
    """The text before mention `upto` cut at every mention and clause break, in order: the last is the value's
    own words (since the mention or clause break before it)."""
    spans, text = place.spans, place.text
    cuts = [0]
    for start, end in spans[:upto]:
        cuts += [start, end]
    value_start = spans[upto][0]
    cuts += [m.end() for m in CLAUSE_BREAK.finditer(text, 0, value_start)]
    cuts = sorted(set(cuts)) + [value_start]
    mentions = {start for start, _ in spans[:upto]}
    return [normalised(text[a:b]) for a, b in itertools.pairwise(cuts) if a not in mentions]


def _carried(dimension: str, place: Place, stretches: list[str], words: ScopeWords) -> tuple[str, str, str] | None:
    """The nearest earlier stretch of the segment naming parts: its one part carries, unless it is one of a list
    of parts (the stretch before it names another part: the value after such a list is the whole's), or this
    value's own words name a programme again (发放特困供养资金 after 农村特困人员…: the programme's whole)."""
    piece = stretches[-1]
    if piece.lstrip().startswith(words.fresh_starts):  # 全省1.06万名孤儿… after 机构集中养育的孤儿…: the whole
        return None
    named = [(s, parts_of(part_words(s, words), words)[dimension]) for s in stretches[:-1]]
    named = [(s, parts) for s, parts in named if parts or _HAN.search(s)]
    for position in range(len(named) - 1, -1, -1):
        stretch, parts = named[position]
        if not parts:
            continue
        if len(parts) > 1:
            return None
        found = part_words(stretch, words)
        if position > 0:
            before = named[position - 1][1]
            if len(before) == 1 and before != parts:
                return "", "both_parts_at_once", f"{_shown(found, parts)} after another part: a list of parts"
        if place.programmes_in(piece):
            return None
        return parts[0], "part_carried_over", _shown(found, parts)
    return None


def indicator_programmes(vocabulary: Vocabulary) -> dict[str, frozenset[str]]:
    """indicator_code → the programme subjects of its frames (dibao_recipients → {低保})."""
    programmes: dict[str, set[str]] = {}
    for subject, frames in vocabulary.frames.items():
        if subject in vocabulary.programmes:
            for frame in frames:
                programmes.setdefault(frame.indicator_code, set()).add(subject)
    return {code: frozenset(subjects) for code, subjects in programmes.items()}
