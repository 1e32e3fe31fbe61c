"""The case corpus of tests/cases/*.yaml through the real deciding code, with the seeds' vocabulary.

Each case is a sentence or table written for these tests (never a benchmark document's), the document it
stands in and what the extraction rules should make of it: the facts (indicator, value within 0.5 %, and the
fields a case gives: region, period, value type, scope, qualifier and the rules that decided them) or the
mentions dropped and why. A case the code gets wrong carries `xfail: "<why>"` and runs as a non-strict xfail.

`variations:` blocks (variations.yaml) are a grammar, not a list: every document kind × scope word × subject
form × measure × verb × written amount they cross is a generated case, in prose and as a table cell, whose
value, scope, qualifier, value type and period are computed from the parts. They are counted apart.

scope.yaml has its own runner (test_scope_cases.py); it counts here with the written cases. The last tests
check that every rule of the registry (rules.py: the pairing rules of pairing.py, the value-type, period and
region rules of resolution.py, the drop reasons of decisions.py and pairing.py) is shown at work by at least
one passing case."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.unit.test_extraction_rules import decide, vocabulary  # noqa: F401 (a fixture)
from warehouse.transform.extraction.rules import STAGES

CASES_DIR = Path(__file__).parents[1] / "cases"
MIN_WRITTEN_CASES = 200
TOLERANCE = 0.005  # FACTS.md: a value matches within 0.5 %
DOCUMENT_KEYS = ("kind", "year", "period", "region", "plan", "counties", "above")
EXACT_FIELDS = ("region", "period", "value_type", "scope", "qualifier")
RULE_FIELDS = {  # case key → decision column; `rule` must equal the label, the others are prefixes
    "rule": "pairing_rule",
    "period_rule": "period_rule",
    "value_type_rule": "value_type_rule",
    "region_rule": "region_rule",
    "scope_rule": "scope_rule",
}


@dataclass
class Case:
    id: str
    text: str
    document: dict
    facts: list[dict] | None = None  # None: facts are not checked (a case of drops only)
    more_facts: bool = False  # the text may make facts beyond the listed ones
    dropped: list[dict] = field(default_factory=list)
    xfail: str | None = None


# --- loading --------------------------------------------------------------------------------------------


def _yaml_files() -> list[Path]:
    return sorted(path for path in CASES_DIR.glob("*.yaml") if path.name != "scope.yaml")


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {"cases": data} if isinstance(data, list) else data


def _document(raw: dict) -> dict:
    document = {key: raw[key] for key in DOCUMENT_KEYS if key in raw}
    if "period" in document and document["period"] is not None:
        document["period"] = str(document["period"])
    if "plan" in document:
        document["plan"] = tuple(document["plan"])
    if "counties" in document:
        document["counties"] = tuple(document["counties"])
    return document


def written_cases() -> list[Case]:
    cases = []
    for path in _yaml_files():
        for raw in _load(path).get("cases", []):
            cases.append(
                Case(
                    id=f"{path.stem}: {raw['name']}",
                    text=raw["text"],
                    document=_document(raw),
                    facts=raw.get("facts"),
                    more_facts=bool(raw.get("more_facts")),
                    dropped=raw.get("dropped") or [],
                    xfail=raw.get("xfail"),
                )
            )
    return cases


def scope_cases() -> list[dict]:
    return yaml.safe_load((CASES_DIR / "scope.yaml").read_text(encoding="utf-8"))


# --- generated variations -------------------------------------------------------------------------------

AXES = ("document", "scope", "subject", "measure", "verb", "amount")
FACT_KEYS = ("scope", "qualifier", "value_type", "period")


def _options(block: dict, axis: str) -> list[dict]:
    """An axis of a variation block: its options, each a mapping whose `w` is the words written (a bare string
    is an option of those words only); an axis the block does not cross writes nothing."""
    options = block.get(axis) or [{}]
    return [{"w": ""} | (option if isinstance(option, dict) else {"w": option}) for option in options]


def _names(chosen: dict, when: dict) -> bool:
    """Whether the chosen options are those `when` names (by their words or their id; `form`: prose | table)."""
    return all(
        value in (chosen[axis].get("w"), chosen[axis].get("id")) if axis in chosen else False
        for axis, value in when.items()
    )


def _variation(family: str, block: dict, chosen: dict, form: str, counter: int) -> Case:
    amount = chosen["amount"]
    numbers = amount.get("numbers") or block["numbers"]
    number = numbers[counter % len(numbers)]
    words = {axis: chosen[axis]["w"] for axis in AXES}
    words |= {"n": number, "h": max(1, round(number * 0.6)), "unit": amount.get("cell", "")}
    words["amount"] = amount["w"].format(**words)
    text = (block["template"] if form == "prose" else block["table"]).format(**words)
    fact = {"indicator": block["indicator"], "value": round(number * amount.get("factor", 1), 6)}
    fact |= {"scope": "", "qualifier": "", "region": chosen["document"].get("region", "某市")}
    for option in chosen.values():
        fact |= {key: option[key] for key in FACT_KEYS if key in option}
    if form == "table":
        fact["qualifier"] = ""  # a cell holds a bare number
    document = {key: value for key, value in chosen["document"].items() if key in DOCUMENT_KEYS and key != "period"}
    why = next(
        (known["why"] for known in block.get("xfail", []) if _names(chosen | {"form": {"w": form}}, known["when"])),
        None,
    )
    return Case(id=f"{family} #{counter + 1} ({form})", text=text, document=document, facts=[fact], xfail=why)


def _expand(family: str, block: dict) -> list[Case]:
    """Every combination of the block's axes as prose, and — once per combination without its verb, for amounts
    with a `cell` unit — as a table row."""
    options = {axis: _options(block, axis) for axis in AXES}
    cases: list[Case] = []
    tabled = set()
    for combination in itertools.product(*(options[axis] for axis in AXES)):
        chosen = dict(zip(AXES, combination))
        if any(_names(chosen, skip) for skip in block.get("skip", [])):
            continue
        cases.append(_variation(family, block, chosen, "prose", len(cases)))
        without_verb = tuple(id(option) for axis, option in chosen.items() if axis != "verb")
        if "table" in block and "cell" in chosen["amount"] and without_verb not in tabled:
            tabled.add(without_verb)
            cases.append(_variation(family, block, chosen, "table", len(cases)))
    return cases


def generated_cases() -> list[Case]:
    cases = []
    for path in _yaml_files():
        for family, block in (_load(path).get("variations") or {}).items():
            cases += _expand(family, block)
    return cases


WRITTEN = written_cases()
GENERATED = generated_cases()


def _param(case: Case):
    marks = [pytest.mark.xfail(reason=case.xfail, strict=False)] if case.xfail else []
    return pytest.param(case, id=case.id, marks=marks)


# --- checking one case ----------------------------------------------------------------------------------


def _close(got: float | None, expected: float) -> bool:
    if got is None:
        return False
    if expected == 0:
        return got == 0
    return abs(got - expected) <= TOLERANCE * abs(expected)


def _fits(row: dict, expected: dict) -> list[str]:
    """What of an expected fact a decided fact row gets wrong (empty: it is that fact)."""
    wrong = []
    for key in EXACT_FIELDS:
        if key in expected and str(row[key] if row[key] is not None else "") != str(expected[key]):
            wrong.append(f"{key} {row[key]!r} (expected {expected[key]!r})")
    for key, column in RULE_FIELDS.items():
        if key not in expected:
            continue
        got = row[column] or ""
        ok = got == expected[key] if key == "rule" else got.startswith(expected[key])
        if not ok:
            wrong.append(f"{column} {got!r} (expected {expected[key]!r})")
    return wrong


def _show(rows: list[dict]) -> str:
    lines = []
    for row in rows:
        if row["outcome"] == "fact":
            lines.append(
                f"  FACT {row['raw_mention']} → {row['indicator_code']} {row['value']} {row['region']} "
                f"{row['period']} {row['value_type']} scope={row['scope']!r} q={row['qualifier']!r} "
                f"[{row['pairing_rule']} | {row['period_rule']} | {row['value_type_rule']} | {row['region_rule']}"
                f" | {row['scope_rule']}]"
            )
        else:
            lines.append(f"  DROP {row['raw_mention']} ({row['indicator_code']}): {row['reason']}")
    return "\n".join(lines)


def check(vocabulary, case: Case) -> list[dict]:  # noqa: F811
    """Assert the case; the decided rows that show it (for the rule coverage)."""
    rows = decide(vocabulary, case.text, **case.document)
    facts = [row for row in rows if row["outcome"] == "fact"]
    shown = []
    where = f"{case.id}\n{case.text}\n{_show(rows)}"
    unmatched = list(facts)
    for expected in case.facts or []:
        same = [
            row
            for row in unmatched
            if row["indicator_code"] == expected["indicator"] and _close(row["value"], float(expected["value"]))
        ]
        assert same, f"no fact {expected['indicator']} {expected['value']}\n{where}"
        fitting = [row for row in same if not _fits(row, expected)]
        assert fitting, f"{expected['indicator']} {expected['value']}: {'; '.join(_fits(same[0], expected))}\n{where}"
        unmatched.remove(fitting[0])
        shown.append(fitting[0])
    if case.facts is not None and not case.more_facts:
        assert not unmatched, f"facts not expected:\n{_show(unmatched)}\n{where}"
    for expected in case.dropped:
        mentions = [row for row in rows if row["raw_mention"] == expected["mention"]]
        assert mentions, f"no mention {expected['mention']!r}\n{where}"
        dropped = [
            row
            for row in mentions
            if row["outcome"] == "dropped"
            and expected["reason"] in (row["reason"] or "")
            and ("indicator" not in expected or row["indicator_code"] == expected["indicator"])
        ]
        assert dropped, f"{expected['mention']!r} not dropped for {expected['reason']!r}\n{where}"
        shown.append(dropped[0])
    return shown


@pytest.mark.parametrize("case", [_param(case) for case in WRITTEN])
def test_written_case(vocabulary, case):  # noqa: F811
    check(vocabulary, case)


def _groups() -> list:
    """The variations in groups of one family: those expected to pass, and those of each known mistake of
    the code (a non-strict xfail, like a written case's)."""
    groups: dict[tuple[str, str | None], list[Case]] = {}
    for case in GENERATED:
        groups.setdefault((case.id.split(" #")[0], case.xfail), []).append(case)
    params = []
    for (family, why), cases in groups.items():
        marks = [pytest.mark.xfail(reason=why, strict=False)] if why else []
        label = f"{family}: {len(cases)} variations" + (" (xfail)" if why else "")
        params.append(pytest.param(cases, id=label, marks=marks))
    return params


@pytest.mark.parametrize("cases", _groups())
def test_generated_variations(vocabulary, cases):  # noqa: F811
    """All variations of a group pass (thousands of cases: one test a group, the failures listed)."""
    failures = []
    for case in cases:
        try:
            check(vocabulary, case)
        except AssertionError as error:
            failures.append(str(error).split("\n", 1)[0] + f" | {case.id}: {case.text}")
    assert not failures, f"{len(failures)} of {len(cases)} variations fail:\n" + "\n".join(failures[:20])


# --- the corpus itself ----------------------------------------------------------------------------------


def test_enough_written_cases(capsys):
    scope = len(scope_cases())
    names = [case.id for case in WRITTEN]
    assert len(names) == len(set(names)), "case names repeat within a file"
    xfails = sum(1 for case in WRITTEN if case.xfail)
    generated_xfails = sum(1 for case in GENERATED if case.xfail)
    with capsys.disabled():
        print(
            f"\nwritten cases: {len(WRITTEN) + scope} ({len(WRITTEN)} here, {scope} in scope.yaml), {xfails} xfail; "
            f"generated variations (counted apart): {len(GENERATED)}, {generated_xfails} xfail"
        )
    assert len(WRITTEN) + scope >= MIN_WRITTEN_CASES
    assert xfails <= 0.15 * (len(WRITTEN) + scope)


# --- every rule of the registry has a passing case -----------------------------------------------------

STAGE_COLUMNS = {
    "pairing": ("pairing_rule",),
    "value_type": ("value_type_rule",),
    "period": ("period_rule",),
    "region": ("region_rule",),
    "drop": ("reason",),
}


@pytest.fixture(scope="module")
def shown_rows(vocabulary):  # noqa: F811
    """The rows that the passing written cases assert: the rules they show at work."""
    rows = []
    for case in WRITTEN:
        try:
            rows += check(vocabulary, case)
        except AssertionError:
            continue
    return rows


@pytest.mark.parametrize("stage", list(STAGE_COLUMNS))
def test_every_rule_has_a_case(shown_rows, stage):
    """Every rule of rules.py (the labels pairing.py, resolution.py and decisions.py write) is shown by a
    passing case: a fact it decided, or a mention it dropped."""
    labels = {
        (row[column] or "").removesuffix(", counting new ones")
        for row in shown_rows
        for column in STAGE_COLUMNS[stage]
        if stage != "drop" or row["outcome"] == "dropped"
    }
    without = [rule.rule_id for rule in STAGES[stage] if not any(rule.matches(label) for label in labels)]
    assert without == [], f"{stage} rules without a passing case: {without}"


def test_a_flow_counted_from_its_stock_has_a_case(shown_rows):
    assert any((row["pairing_rule"] or "").endswith(", counting new ones") for row in shown_rows)
