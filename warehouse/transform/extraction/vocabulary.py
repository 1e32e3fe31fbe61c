"""The seeds that decide which numbers become which facts, compiled once per build.

Every row comes from a dbt seed an analyst edits (dbt_project/seeds/): indicator phrases (the catalogue's
names and example phrases, less phrase_exclusions.csv, as literal text where `…` stands for a short gap and
examples with digits are examples only; plus the regular expressions of indicator_phrases.csv), subjects
and frames (indicator_subjects.csv, indicator_frames.csv), flows, linking words, unit conversions, value-type
cues, plausible ranges and the catalogue's units. Nothing here knows a particular document.

`build_vocabulary` takes the seed tables by name (what the dbt Python model reads through dbt.ref);
`vocabulary_from_seed_files` reads the same CSV files directly, for tests and tools."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import regex

from warehouse.transform.extraction.anchors import Anchors, anchor_of, top_level_alternatives
from warehouse.transform.extraction.confidence import confidence_table
from warehouse.transform.extraction.scope import ScopeWords, build_scope_words, indicator_programmes

MULTIPLE_PROGRAMMES = "多项救助"
SCOPE_FILLER_KINDS = ("area", "support", "pair", "whole")
_YEAR_OR_DATE = (
    r"(?:(?:19|20)\d{2}\s*年(?:度)?(?:年?底|末|初)?|\d{1,2}\s*月(?:底|末|份)?(?:\d{1,2}日)?|\d{1,2}\s*日"
    r"|\d{2,3}\s*周?岁(?:及)?(?:以上|以下)?)"
)


@dataclass(frozen=True)
class Phrase:
    indicator_code: str
    pattern: regex.Pattern
    anchor: str
    origin: str
    # a phrase naming only a measure (机构床位, 补助水平) of an indicator that has frames counts only where
    # one of the indicator's frame subjects is within reach (养老机构…机构床位; not a table label
    # 精神疾病服务机构床位)
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
        return (self.min_value is None or value >= self.min_value) and (
            self.max_value is None or value < self.max_value
        )


class PlaceNames:
    """Removes region names from a text, the longest name at the leftmost place first (as a regular expression
    alternating the names longest first would, but without trying 7,000 names at every character)."""

    def __init__(self, names: Iterable[str]):
        self._by_prefix: dict[str, list[str]] = defaultdict(list)
        for name in sorted({name for name in names if len(name) >= 2}, key=len, reverse=True):
            self._by_prefix[name[:2]].append(name)

    def opening(self, text: str) -> str | None:
        """The longest region name the text starts with."""
        names = self._by_prefix.get(text[:2])
        return next((name for name in names if text.startswith(name)), None) if names else None

    def remove(self, text: str) -> str:
        kept, position, copied_from = [], 0, 0
        while position < len(text) - 1:
            names = self._by_prefix.get(text[position : position + 2])
            name = next((name for name in names if text.startswith(name, position)), None) if names else None
            if name is None:
                position += 1
                continue
            kept.append(text[copied_from:position])
            position = copied_from = position + len(name)
        kept.append(text[copied_from:])
        return "".join(kept)


@dataclass
class Vocabulary:
    phrases: list[Phrase]
    subjects: list[tuple[str, regex.Pattern]]
    programmes: set[str]
    frames: dict[str, list[Frame]]
    units: dict[str, str]  # indicator_code → catalogue unit
    kinds: dict[str, str]  # indicator_code → stock | flow | rate | ratio | standard
    conversions: dict[tuple[str, str], list[Conversion]]
    cues: list[tuple[regex.Pattern, str, str]]  # (cue, value_type, where it applies)
    filler: regex.Pattern  # link, verb and own-area words, years and dates
    verbs: regex.Pattern
    plausible: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    flows: dict[str, list[Flow]] = field(default_factory=dict)
    places: PlaceNames | None = None  # city and county names: 鹿城区标准达4051元 names a place, not a subject
    residues: dict[str, str] = field(default_factory=dict)  # hits.residue's memo: heads repeat a lot
    scope_words: ScopeWords = field(default_factory=lambda: build_scope_words([], []))  # scope_words, scopes.csv
    programmes_of: dict[str, frozenset[str]] = field(default_factory=dict)  # indicator → its programme subjects
    confidence: dict[str, float] = field(default_factory=dict)  # rule key → confidence (rule_confidence.csv)
    period_phrases: list[tuple[regex.Pattern, str]] = field(default_factory=list)  # (phrase, half_year|year|none)
    patterns: dict[str, regex.Pattern] = field(default_factory=dict)  # cue_patterns.csv: name → pattern
    area_levels: dict[str, str] = field(default_factory=dict)  # 全省 → province, 全县 → own (the publisher's)

    def __post_init__(self) -> None:
        # Exact prefilters: a pattern runs on a text only where its plain-text anchor occurs (most segments name
        # no subject, and a segment holds few of the 360 phrase anchors); one Aho-Corasick pass finds them all.
        self._subject_anchors = Anchors()
        self._subjects_anchorless: list[int] = []
        for index, (_, pattern) in enumerate(self.subjects):
            anchors = [anchor_of(alternative) for alternative in top_level_alternatives(pattern.pattern)]
            if not all(anchors):
                self._subjects_anchorless.append(index)
            for anchor in filter(None, anchors):
                self._subject_anchors.add(anchor, index)
        self._phrase_anchors = Anchors()
        self._anchorless: list[int] = []
        # a phrase that is its anchor matches where the anchor occurs: no pattern runs
        self._literal = [bool(p.anchor) and p.pattern.pattern == regex.escape(p.anchor) for p in self.phrases]
        for index, phrase in enumerate(self.phrases):
            if phrase.anchor:
                self._phrase_anchors.add(phrase.anchor, index)
            else:
                self._anchorless.append(index)

    def pattern(self, name: str) -> regex.Pattern:
        """A named cue pattern of cue_patterns.csv: the deciding code says which words it looks for by name."""
        try:
            return self.patterns[name]
        except KeyError:
            raise KeyError(f"cue_patterns.csv has no pattern named {name!r}") from None

    def convert(self, written_unit: str, indicator_code: str, value: float) -> float | None:
        """The value in the indicator's catalogue unit, or None when the written unit does not convert."""
        for conversion in self.conversions.get((written_unit or "", self.units[indicator_code]), []):
            if conversion.allows(value):
                return value * conversion.factor
        return None

    def subjects_in(self, text: str) -> list[tuple[str, regex.Pattern]]:
        """The subjects one of whose alternatives has its plain-text anchor in a text, in seed order."""
        found = set(self._subjects_anchorless)
        for _, indices in self._subject_anchors.occurrences(text):
            found.update(indices)
        return [self.subjects[index] for index in sorted(found)]

    def phrases_in(self, text: str) -> list[Phrase]:
        """The phrases whose plain-text anchor occurs in a text, in seed order."""
        return [self.phrases[index] for index in sorted(self._phrase_candidates(text))]

    def phrase_matches(self, text: str) -> Iterator[tuple[Phrase, int, int]]:
        """(phrase, start, end) of every non-empty match of every phrase, overlapping ones too, phrase by phrase
        in seed order and by start within a phrase."""
        starts: dict[int, list[int]] = defaultdict(list)
        for start, indices in self._phrase_anchors.occurrences(text):
            for index in indices:
                starts[index].append(start)
        for index in sorted(set(starts) | set(self._anchorless)):
            phrase = self.phrases[index]
            if self._literal[index]:
                yield from ((phrase, start, start + len(phrase.anchor)) for start in sorted(starts[index]))
            else:
                for match in phrase.pattern.finditer(text, overlapped=True):
                    if match.end() > match.start():
                        yield phrase, match.start(), match.end()

    def _phrase_candidates(self, text: str) -> set[int]:
        found = set(self._anchorless)
        for _, indices in self._phrase_anchors.occurrences(text):
            found.update(indices)
        return found


def _compile(pattern: str) -> regex.Pattern:
    return regex.compile(pattern)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(regex.escape(word) for word in sorted(set(words), key=len, reverse=True))


def rule_seeds(dbt_project: Path) -> tuple[str, ...]:
    """The seeds that decide (var rule_seeds of dbt_project.yml): the one list the fingerprint, the deciding
    model and the vocabulary share."""
    import yaml

    config = yaml.safe_load((dbt_project / "dbt_project.yml").read_text(encoding="utf-8"))
    return tuple(config["vars"]["rule_seeds"])


_GAP = ".{0,12}?"  # what `…` in a catalogue phrase stands for


def catalogue_patterns(catalogue: Iterable[dict], exclusions: Iterable[dict] = ()) -> list[dict]:
    """The catalogue's Chinese names and example phrases as patterns: literal text, `…` a short gap; an
    example with digits (服务600万人次) is an example only."""
    excluded = {(row["indicator_code"], row["phrase"].strip()) for row in exclusions}
    rows = []
    for row in catalogue:
        phrases = [row["name_zh"]] + (row.get("example_phrases") or "").split("|")
        for phrase in dict.fromkeys(p.strip() for p in phrases):
            if phrase and not regex.search(r"[0-9]", phrase) and (row["indicator_code"], phrase) not in excluded:
                pattern = _GAP.join(regex.escape(part) for part in phrase.split("…"))
                rows.append(
                    {
                        "indicator_code": row["indicator_code"],
                        "pattern": pattern,
                        "origin": "catalogue",
                        "anchor": max(phrase.split("…"), key=len),
                    }
                )
    return rows


def vocabulary_from_seed_files(seed_dir, region_names: Iterable[str] = ()) -> Vocabulary:
    import csv

    tables = {}
    for name in rule_seeds(Path(seed_dir).parent):
        with (Path(seed_dir) / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            tables[name] = [
                {key: (value if value != "" else None) for key, value in row.items()} for row in csv.DictReader(handle)
            ]
    return build_vocabulary(tables, region_names)


def build_vocabulary(seeds: dict[str, list[dict]], region_names: Iterable[str] = ()) -> Vocabulary:
    """Seed tables (name → rows as dicts of column → value) to a Vocabulary."""
    units = {row["indicator_code"]: row["unit"] for row in seeds["indicator_catalogue"]}
    subjects = [(row["subject"], _compile(row["pattern"])) for row in seeds["indicator_subjects"]]
    programmes = {
        row["subject"]
        for row in seeds["indicator_subjects"]
        if str(row.get("programme") or "").strip().lower() == "yes"
    }
    frames = _frames(seeds["indicator_frames"], units)
    words = defaultdict(list)
    for row in seeds["linking_words"]:
        words[row["role"]].append(row["word"])
    names = [name for name in region_names if name and len(name) >= 2]
    # a part word (农村, 分散供养) names which part of a subject a value is, never another subject
    part_words = [row["word"] for row in seeds.get("scope_words") or [] if row["kind"] in SCOPE_FILLER_KINDS]
    filler_words = words["link"] + words["verb"] + words["own_area"] + part_words
    vocabulary = Vocabulary(
        phrases=_phrases(seeds, units, frames, dict(subjects)),
        subjects=subjects,
        programmes=programmes,
        frames=dict(frames),
        units=units,
        kinds={row["indicator_code"]: row["kind"] for row in seeds["indicator_catalogue"]},
        conversions=_conversions(seeds["unit_conversions"]),
        cues=[(_compile(row["cue"]), row["value_type"], row["applies_to"]) for row in seeds["value_type_cues"]],
        filler=_compile(rf"(?:{_YEAR_OR_DATE}|{_alternation(filler_words)})"),
        verbs=_compile(_alternation(words["verb"])),
        plausible={
            row["indicator_code"]: (_number(row.get("min_value")), _number(row.get("max_value")))
            for row in seeds["plausible_ranges"]
        },
        flows=_flows(seeds["indicator_flows"], units),
        places=PlaceNames(names) if names else None,
        scope_words=build_scope_words(seeds.get("scope_words") or [], seeds.get("scopes") or []),
        confidence=confidence_table(seeds.get("rule_confidence") or []),
        period_phrases=[(_compile(row["pattern"]), row["period"]) for row in seeds.get("period_phrases") or []],
        patterns={row["name"]: _compile(row["pattern"]) for row in seeds.get("cue_patterns") or []},
        area_levels={row["word"]: row["area_level"] for row in seeds["linking_words"] if row.get("area_level")},
    )
    vocabulary.programmes_of = indicator_programmes(vocabulary)
    return vocabulary


def _frames(rows: Iterable[dict], units: dict[str, str]) -> dict[str, list[Frame]]:
    by_subject: dict[str, list[Frame]] = defaultdict(list)
    for row in rows:
        if row["indicator_code"] in units:
            measure = (row.get("measure") or "").strip()
            written = (row.get("written_unit") or "").strip()
            by_subject[row["subject"]].append(
                Frame(
                    row["indicator_code"],
                    row["subject"],
                    _compile(measure) if measure else None,
                    _compile(f"^(?:{written})$") if written else None,
                )
            )
    return by_subject


def _phrases(
    seeds: dict[str, list[dict]],
    units: dict[str, str],
    frames: dict[str, list[Frame]],
    subject_patterns: dict[str, regex.Pattern],
) -> list[Phrase]:
    """The catalogue's phrases and the seed's patterns; a phrase that names none of its indicator's frame
    subjects needs one of them within reach."""
    rows = catalogue_patterns(seeds["indicator_catalogue"], seeds["phrase_exclusions"]) + [
        {
            "indicator_code": row["indicator_code"],
            "pattern": row["phrase"],
            "origin": "indicator_phrases",
            "anchor": anchor_of(row["phrase"]),
        }
        for row in seeds["indicator_phrases"]
        if row.get("phrase")
    ]
    subjects_of: dict[str, set[str]] = defaultdict(set)
    for subject, subject_frames in frames.items():
        for frame in subject_frames:
            if subject != MULTIPLE_PROGRAMMES:
                subjects_of[frame.indicator_code].add(subject)
    phrases = []
    for row in rows:
        code = row["indicator_code"]
        if code not in units:
            continue
        literal = regex.sub(r"\\(.)|\.\{[^}]*\}\??|[()?*+|\[\]]", lambda m: m.group(1) or "", row["pattern"])
        own = sorted(subjects_of.get(code, ()))
        named = any(subject_patterns[subject].search(literal) for subject in own if subject in subject_patterns)
        phrases.append(
            Phrase(code, _compile(row["pattern"]), row["anchor"] or "", row["origin"], () if named else tuple(own))
        )
    return phrases


def _conversions(rows: Iterable[dict]) -> dict[tuple[str, str], list[Conversion]]:
    table: dict[tuple[str, str], list[Conversion]] = defaultdict(list)
    for row in rows:
        table[(row.get("mention_unit") or "", row["catalogue_unit"])].append(
            Conversion(float(row["factor"]), _number(row.get("min_value")), _number(row.get("max_value")))
        )
    return dict(table)


def _flows(rows: Iterable[dict], units: dict[str, str]) -> dict[str, list[Flow]]:
    flows: dict[str, list[Flow]] = defaultdict(list)
    for row in rows:
        if row["indicator_code"] in units:
            flows[row["indicator_code"]].append(Flow(row.get("flow_code") or None, _compile(row["cue"])))
    return dict(flows)


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number  # NaN from an empty CSV cell
