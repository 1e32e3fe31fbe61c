"""Value type, period and region of a paired number (FACTS.md "Period", "Value type", "Region" and its
Clarifications), each with the rule that decided it.

Value type: a table column header (目标值 / 实际值 / a bare year) decides; else the "from" of a change
already made is left out unless its own year is written; a target cue in the sentence (力争, 到2025年, 拟…)
makes a target; a five-year plan's review of the last plan (发展基础, “十三五”期间…) holds actuals and the
rest targets; key points hold targets; a summary's plan part (heading 明年工作思路…) holds targets.
Period: the column header's year; else the year written in the sentence before the number (for the "to" of a
change only after its "from"); else the document's: a plan's last year for targets and the year before it
for actuals, a statistics release's period, YH1 for a half-year summary's actuals, the next year for a
summary's plan part, the document year otherwise.
Region: a county or district under the publisher's region named at the start of the clause; else the
publisher's region."""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from warehouse.transform.extraction.marks import YEAR, YEAR_WORD
from warehouse.transform.extraction.vocabulary import Vocabulary

_YEAR = YEAR_WORD
_BARE_YEAR = regex.compile(rf"^({YEAR})\s*年?$")
_HEADER_YEAR = regex.compile(rf"{YEAR_WORD.pattern}|^\s*({YEAR})\s*$")
_SENTENCE_BREAK = regex.compile(r"[。；;]")
_CLAUSE_BREAK = regex.compile(r"[，,；;：:。（(]")


@dataclass(slots=True)
class DocumentInfo:
    version_id: str
    document: str
    kind: str
    year: int | None
    period: str | None  # a statistics release's own period (2021H1), or "unsupported" (a 1st or 3rd quarter)
    plan_start: int | None
    plan_end: int | None
    region: str | None
    counties: tuple[str, ...] = ()  # regions directly under the publisher's, for sub-region values
    # the publisher's region's level and the regions above it: {"level": "county", "city": …, "province": …}
    above: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Resolution:
    value_type: str | None
    value_type_rule: str
    period: str | None
    period_rule: str
    region: str | None
    region_rule: str


@dataclass(slots=True)
class Place:
    """Where a number stands: the sentence before it, its headings, the header of its table column, and
    whether its section reviews the last plan period."""

    sentence_before: str
    heading1: str
    heading2: str
    column_header: str | None
    in_review: bool
    range_role: str
    from_link: str  # for the "to" of a change: the text between the "from" and this number
    is_cell: bool
    qualifier: str = ""  # the number's own: at_least for 不低于…


def _cue(vocabulary: Vocabulary, applies_to: str, value_type: str, text: str) -> bool:
    return any(
        cue_place == applies_to and kind == value_type and pattern.search(text)
        for pattern, kind, cue_place in vocabulary.cues
    )


def _header_type(vocabulary: Vocabulary, header: str) -> str | None:
    for pattern, kind, applies_to in vocabulary.cues:
        if applies_to == "table_header" and pattern.search(header):
            return kind
    return None


def value_type_of(document: DocumentInfo, place: Place, vocabulary: Vocabulary) -> tuple[str | None, str]:
    if place.is_cell and place.column_header:
        header_type = _header_type(vocabulary, place.column_header)
        bare_year = _BARE_YEAR.match(place.column_header.strip())
        if (
            bare_year
            and document.kind == "five_year_plan"
            and document.plan_start
            and int(bare_year.group(1)) >= document.plan_start
        ):
            return "target", f"column '{place.column_header}' of a year the plan plans for"
        if header_type:
            return header_type, f"column header '{place.column_header}'"
    target_cue = _cue(vocabulary, "clause", "target", place.sentence_before)
    if place.range_role == "from":
        if target_cue:
            return "actual", "the 'from' of a planned change is today's value"
        if _YEAR.search(_CLAUSE_BREAK.split(place.sentence_before)[-1]):
            # 由2020年的760元提高至…; not 自2026年1月1日起，…由900元提高到…, whose year is the new value's
            return "actual", "the 'from' of a change, with its own year"
        return None, "the 'from' of a change already made has no period of its own"
    if target_cue and not _reviews_last_plan(document, place, vocabulary):
        return "target", "target cue in the sentence"
    return _value_type_by_kind(document, place, vocabulary)


def _reviews_last_plan(document: DocumentInfo, place: Place, vocabulary: Vocabulary) -> bool:
    """到2020年底…达到 in the review of a plan for 2021-2025: what the last plan reached, whatever its cue."""
    if document.kind != "five_year_plan" or not document.plan_start:
        return False
    stated = _stated_year(place)
    in_review = place.in_review or vocabulary.pattern("plan_review").search(f"{place.heading1} {place.heading2}")
    return bool(in_review) and stated is not None and stated < document.plan_start


def _value_type_by_kind(document: DocumentInfo, place: Place, vocabulary: Vocabulary) -> tuple[str, str]:
    """What the kind of document says of a value no column or cue decides."""
    headings = f"{place.heading1} {place.heading2}"
    if document.kind == "standard_notice":
        if place.qualifier == "at_least":
            return "target", "a floor a notice sets for the bodies below it"
        return "actual", "the standard a notice puts in force"
    if document.kind == "five_year_plan":
        if place.in_review or vocabulary.pattern("plan_review").search(headings):
            return "actual", "a five-year plan's review of the last plan"
        return "target", "a five-year plan's goals"
    if document.kind == "key_points":
        return "target", "key points of the year"
    if _cue(vocabulary, "heading", "target", headings) and not _cue(vocabulary, "heading", "actual", headings):
        return "target", "the plan part of a summary"
    return "actual", f"reported in a {document.kind.replace('_', ' ')}"


def _stated_year(place: Place) -> int | None:
    text = place.from_link if place.range_role == "to" else place.sentence_before
    years = _YEAR.findall(text)
    return int(years[-1]) if years else None


def period_of(
    document: DocumentInfo, place: Place, value_type: str, vocabulary: Vocabulary | None = None
) -> tuple[str | None, str]:
    """The period a value is of, and the rule that said so: the place's own year first (column header, a year
    written before it), then what the kind of document implies, then the document's year."""
    if place.is_cell and place.column_header:
        years = [with_nian or bare for with_nian, bare in _HEADER_YEAR.findall(place.column_header)]
        months = _months_of_header(place.column_header, vocabulary)
        if months is not None and (years or (document.period is None and document.year is not None)):
            # 2025年1-6月 is the half-year, 1-3月 no period of FACTS.md; a bare 1-6月 is of the document's year
            # (of a release that names no period of its own)
            year = years[-1] if years else str(document.year)
            return (f"{year}H1" if months == "half_year" else None), f"column header '{place.column_header}'"
        if years:
            return years[-1], f"column header '{place.column_header}'"
    stated = _stated_year(place)
    if value_type == "actual":
        dated = _part_of_year(place, vocabulary)
        # in a half-year summary 上半年 says what its kind says, unless a year written before it would win
        said_by_kind = dated is not None and dated[0] == "half_year" and document.kind == "half_year_summary"
        if dated is not None and not (said_by_kind and stated is None):
            year = stated if stated is not None else document.year
            if dated[0] == "none" or year is None:
                return None, dated[1]
            return (f"{year}H1" if dated[0] == "half_year" else str(year)), dated[1]
    if stated is not None:
        return str(stated), "year written before the number"
    by_kind = _period_of_kind(document, value_type)
    if by_kind is not None:
        return by_kind
    if document.year is None:
        return None, "the document names no year"
    return _period_in_year(document, place, value_type, vocabulary)


def _months_of_header(header: str, vocabulary: Vocabulary | None) -> str | None:
    """The part of the year a column header names (1-6月 → half_year, 1-3月 → none); None: no such part."""
    last = _last_period_phrase(header, vocabulary, parts_only=True)
    return last[0] if last else None


def _last_period_phrase(text: str, vocabulary: Vocabulary | None, parts_only: bool = False) -> tuple[str, str] | None:
    """(period, phrase) of the period phrase (period_phrases.csv) written last in `text`; `parts_only`: of those
    naming a part of the year or none, not the whole year."""
    if vocabulary is None:
        return None
    found = [
        (match.end(), period, match.group(0))
        for pattern, period in vocabulary.period_phrases
        for match in pattern.finditer(text)
        if not (parts_only and period == "year")
    ]
    if not found:
        return None
    _, period, phrase = max(found)
    return period, phrase


def _part_of_year(place: Place, vocabulary: Vocabulary | None) -> tuple[str, str] | None:
    """The part of the year the sentence dates its figures to (period_phrases.csv): the phrase written last
    before the number wins."""
    last = _last_period_phrase(_SENTENCE_BREAK.split(place.sentence_before)[-1], vocabulary)
    if last is None:
        return None
    period, phrase = last
    meaning = {"half_year": "the first half-year", "year": "the whole year", "none": "no period of FACTS.md"}
    return period, f"'{phrase}' in the sentence: {meaning[period]}"


def _period_of_kind(document: DocumentInfo, value_type: str) -> tuple[str | None, str] | None:
    """Plans and statistics releases say their period themselves; None: the document's year decides."""
    if document.kind == "five_year_plan" and document.plan_end:
        if value_type == "actual":
            assert document.plan_start is not None  # a plan's documents name both its years
            return str(document.plan_start - 1), "a five-year plan's review: the last plan's final year"
        return str(document.plan_end), "a five-year plan's goals: its final year"
    if document.kind == "part_year_report" and value_type == "actual":
        return None, "a report of a quarter or months that are not a period of FACTS.md"
    if document.kind == "statistics":
        if document.period == "unsupported":
            return None, "a quarter or month that is not a period of FACTS.md"
        if document.period:
            return document.period, "the period the statistics release names"
    return None


def _period_in_year(
    document: DocumentInfo, place: Place, value_type: str, vocabulary: Vocabulary | None = None
) -> tuple[str, str]:
    """Within the document's year: a half year's actuals, a summary's plan part for the next year."""
    if document.kind == "half_year_summary":
        if value_type == "actual":
            return f"{document.year}H1", "a half-year summary's actuals"
        return str(document.year), "a half-year summary's targets are for the whole year"
    if document.kind == "annual_summary" and value_type == "target":
        heading_years = _YEAR.findall(f"{place.heading1} {place.heading2}")
        if heading_years:
            return heading_years[-1], "the year of the plan part's heading"
        headings = f"{place.heading1} {place.heading2}"
        in_plan_part = vocabulary is not None and _cue(vocabulary, "heading", "target", headings)
        if place.is_cell and place.column_header and not in_plan_part:
            return str(document.year), "a summary's table of targets and results: the summarised year"
        assert document.year is not None  # an annual summary is dated
        return str(document.year + 1), "a summary's plan part: the next year"
    return str(document.year), "the document's year"


def region_of(document: DocumentInfo, place: Place, vocabulary: Vocabulary) -> tuple[str | None, str]:
    clause = _CLAUSE_BREAK.split(place.sentence_before)[-1].strip()
    clause = vocabulary.pattern("part_opening").sub("", clause)
    sentence_start = _SENTENCE_BREAK.split(place.sentence_before)[-1]
    counties = sorted(document.counties, key=len, reverse=True)
    if place.is_cell and place.column_header:
        header = place.column_header.strip()
        county = next((county for county in counties if header.startswith(county)), None)
        if county is not None:
            return county, f"{county} named by the cell's column header"
    # the clause's own opening first: 安吉县…，德清县900元 is 德清县's whatever the order of the list
    for opening in (clause, sentence_start):
        county = next((county for county in counties if opening.startswith(county)), None)
        if county is not None:
            return county, f"{county} named at the start of the clause"
    named = _other_region_opening(document, clause, vocabulary)
    if named is not None:
        return named
    # the nearest clause of the sentence that opens with an area word decides, even where it is the publisher's
    for earlier in reversed(_CLAUSE_BREAK.split(sentence_start)):
        area = _area_opening(earlier.strip(), vocabulary)
        if area is not None:
            higher = _higher_area(document, area)
            if higher is not None:
                return higher
            break
    if document.region is None:
        return None, "the publisher's region is unknown"
    return document.region, "the publisher's region"


_LEVEL_RANK = {"country": 0, "province": 1, "city": 2, "county": 3}


_REGION_SUFFIXES = ("省", "市", "县", "区", "旗", "州", "盟")


def _other_region_opening(document: DocumentInfo, clause: str, vocabulary: Vocabulary) -> tuple[str | None, str] | None:
    """A division named in full at the start of the clause that is not the publisher's: the province or city
    above it (a reprint: 浙江省低保标准…) gives its own figure; another (杭州市… in 湖州市's document, compared)
    is no figure of the publisher's and is left out."""
    if vocabulary.places is None or not document.region:
        return None
    opening = vocabulary.pattern("time_opening").sub("", clause, count=1)
    if _area_opening(opening, vocabulary) is not None:
        return None  # 全州 in a 自治州's document is its own area, not 全州县
    name = vocabulary.places.opening(opening)
    if name is None or not name.endswith(_REGION_SUFFIXES) or name == document.region:
        return None
    if name in document.counties:
        return None
    if name in (document.above.get("province"), document.above.get("city")):
        return name, f"{name} named at the start of the clause: a region above the publisher's"
    return None, f"another region's figure ({name} named at the start of the clause), not the publisher's"


def _area_opening(clause: str, vocabulary: Vocabulary) -> tuple[str, str] | None:
    """The area word (全省, 全市, 全县 …) that opens a clause after its time (截至2024年底，全省…), with its level
    ('own' where it is no subject of the figure: 全省率先实现…, 全国通办); None where none opens it."""
    opening = vocabulary.pattern("time_opening").sub("", clause, count=1)
    word = next((word for word in vocabulary.area_levels if opening.startswith(word)), None)
    if word is None:
        return None
    if vocabulary.pattern("area_not_subject").match(opening[len(word) :]):
        return word, "own"
    return word, vocabulary.area_levels[word]


def _higher_area(document: DocumentInfo, area: tuple[str, str]) -> tuple[str, str] | None:
    """An area word of a higher level than the publisher's (全省 in a city's or county's document: a reprint, a
    portal's copy of the province's report): the figure is the higher region's. 全市 in a county-level city's
    document is its own area."""
    word, level = area
    own_level = document.above.get("level", "")
    if level == "own" or not own_level or _LEVEL_RANK.get(level, 9) >= _LEVEL_RANK.get(own_level, 0):
        return None
    if level == "city" and (document.region or "").endswith("市"):
        return None
    region = "全国" if level == "country" else document.above.get(level)
    if not region:
        return None
    return region, f"'{word}' in a document of a body below the {level}: the {level}'s figure"


def resolve(document: DocumentInfo, place: Place, vocabulary: Vocabulary) -> Resolution:
    value_type, type_rule = value_type_of(document, place, vocabulary)
    period, period_rule = (
        (None, "no value type") if value_type is None else period_of(document, place, value_type, vocabulary)
    )
    region, region_rule = region_of(document, place, vocabulary)
    return Resolution(value_type, type_rule, period, period_rule, region, region_rule)
