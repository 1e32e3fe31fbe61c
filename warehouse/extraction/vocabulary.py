"""The seeds that decide which numbers become which facts, compiled once per build.

Every row comes from a dbt seed an analyst edits (dbt_project/seeds/): indicator phrases (the catalogue's
names and examples, made patterns by stg_reference__indicator_phrases, plus indicator_phrases.csv),
subjects and frames (indicator_subjects.csv, indicator_frames.csv), linking words, unit conversions,
value-type cues and the catalogue's units. Nothing here knows a particular document."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

import regex

MULTIPLE_PROGRAMMES = "多项救助"
_YEAR_OR_DATE = r"(?:(?:19|20)\d{2}\s*年(?:度)?(?:年?底|末|初)?|\d{1,2}\s*月(?:底|末|份)?(?:\d{1,2}日)?|\d{1,2}\s*日)"


@dataclass(frozen=True)
class Phrase:
    indicator_code: str
    pattern: regex.Pattern
    anchor: str
    origin: str
    # a phrase naming only a measure (机构床位, 补助水平) of an indicator that has frames counts only where
    # one of the indicator's frame subjects is in scope (养老机构…机构床位; a table label 精神疾病服务机构床位 is not)
    needs_subject: tuple[str, ...] = ()


@dataclass(frozen=True)
class Frame:
    indicator_code: str
    subject: str
    measure: regex.Pattern | None  # None: any words; the unit decides
    written_unit: regex.Pattern | None = None  # the frame holds only for numbers written in these units


@dataclass(frozen=True)
class Flow:
    """A count of new ones (新建8家…中心) is the flow code's value, or no value where the catalogue has none."""
    flow_code: str | None
    cue: regex.Pattern


@dataclass(frozen=True)
class Conversion:
    factor: float
    min_value: float | None
    max_value: float | None

    def allows(self, value: float) -> bool:
        return (self.min_value is None or value >= self.min_value) and (self.max_value is None or value < self.max_value)


@dataclass
class Vocabulary:
    phrases: list[Phrase]
    subjects: list[tuple[str, regex.Pattern]]
    programmes: set[str]
    frames: dict[str, list[Frame]]
    units: dict[str, str]  # indicator_code → catalogue unit
    conversions: dict[tuple[str, str], list[Conversion]]
    cues: list[tuple[regex.Pattern, str, str]]  # (cue, value_type, scope)
    filler: regex.Pattern  # link, verb and scope words, years and dates
    verbs: regex.Pattern
    plausible: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    flows: dict[str, list[Flow]] = field(default_factory=dict)
    places: regex.Pattern | None = None  # city and county names: 鹿城区标准达4051元 names a place, not a subject

    def convert(self, written_unit: str, indicator_code: str, value: float) -> float | None:
        """The value in the indicator's catalogue unit, or None when the written unit does not convert."""
        for conversion in self.conversions.get((written_unit or "", self.units[indicator_code]), []):
            if conversion.allows(value):
                return value * conversion.factor
        return None

    def phrases_in(self, text: str) -> list[Phrase]:
        """The phrases whose plain-text anchor occurs in a text (a cheap filter before the patterns run)."""
        return [phrase for phrase in self.phrases if phrase.anchor in text]


def _compile(pattern: str) -> regex.Pattern:
    return regex.compile(pattern)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(regex.escape(word) for word in sorted(set(words), key=len, reverse=True))


def build_vocabulary(phrases: Iterable[dict], subjects: Iterable[dict], frames: Iterable[dict],
                     catalogue: Iterable[dict], conversions: Iterable[dict], cues: Iterable[dict],
                     linking_words: Iterable[dict], plausible_ranges: Iterable[dict] = (),
                     flows: Iterable[dict] = (), region_names: Iterable[str] = ()) -> Vocabulary:
    """Seed rows (dicts of column → value) to a Vocabulary."""
    units = {row["indicator_code"]: row["unit"] for row in catalogue}
    compiled_subjects = [(row["subject"], _compile(row["pattern"])) for row in subjects]
    programmes = {row["subject"] for row in subjects if str(row.get("programme", "")).strip().lower() == "yes"}
    by_subject: dict[str, list[Frame]] = defaultdict(list)
    subjects_of: dict[str, set[str]] = defaultdict(set)
    for row in frames:
        if row["indicator_code"] in units:
            measure = (row.get("measure") or "").strip()
            written = (row.get("written_unit") or "").strip()
            by_subject[row["subject"]].append(Frame(row["indicator_code"], row["subject"],
                                                    _compile(measure) if measure else None,
                                                    _compile(f"^(?:{written})$") if written else None))
            subjects_of[row["indicator_code"]].add(row["subject"])
    patterns = dict(compiled_subjects)
    compiled_phrases = []
    for row in phrases:
        code = row["indicator_code"]
        if code not in units:
            continue
        literal = regex.sub(r"\\(.)|\.\{[^}]*\}\??|[()?*+|\[\]]", lambda m: m.group(1) or "", row["pattern"])
        own = sorted(subjects_of.get(code, set()) - {MULTIPLE_PROGRAMMES})
        named = any(patterns[subject].search(literal) for subject in own if subject in patterns)
        needs = () if named else tuple(own)
        compiled_phrases.append(Phrase(code, _compile(row["pattern"]), row.get("anchor") or "",
                                       row.get("origin") or "", needs))
    table: dict[tuple[str, str], list[Conversion]] = defaultdict(list)
    for row in conversions:
        table[(row.get("mention_unit") or "", row["catalogue_unit"])].append(
            Conversion(float(row["factor"]), _number(row.get("min_value")), _number(row.get("max_value"))))
    compiled_cues = [(_compile(row["cue"]), row["value_type"], row["scope"]) for row in cues]
    words = defaultdict(list)
    for row in linking_words:
        words[row["role"]].append(row["word"])
    filler = _compile(rf"(?:{_YEAR_OR_DATE}|{_alternation(words['link'] + words['verb'] + words['scope'])})")
    verbs = _compile(_alternation(words["verb"]))
    plausible = {row["indicator_code"]: (_number(row.get("min_value")), _number(row.get("max_value")))
                 for row in plausible_ranges}
    compiled_flows: dict[str, list[Flow]] = defaultdict(list)
    for row in flows:
        if row["indicator_code"] in units:
            compiled_flows[row["indicator_code"]].append(Flow(row.get("flow_code") or None, _compile(row["cue"])))
    names = [name for name in region_names if name and len(name) >= 2]
    places = _compile(_alternation(names)) if names else None
    return Vocabulary(compiled_phrases, compiled_subjects, programmes, dict(by_subject), units, dict(table),
                      compiled_cues, filler, verbs, plausible, dict(compiled_flows), places)


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number  # NaN from an empty CSV cell
