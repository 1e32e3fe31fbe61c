"""Every extraction rule, named: an id, the label the decisions table and `make explain` show, one line that
says what it does, and its place in one precedence order per stage.

Stages and how their order decides:
- pairing: every rule that finds an indicator for a number proposes a candidate ranked by its rule's `base`
  (lower wins; within a rule, a nearer or longer phrase wins); the best whose unit converts is kept;
- value_type, period, region, scope: the first rule of the stage, in the order listed, that applies decides
  (resolution.py, scope.py);
- drop: the first reason, in the order listed, that applies keeps a value out (decisions.py, pairing.py).

`make rules` prints them with their cases and their precision on the development set. The pairing rules'
ranks are read from here (pairing.py); the other stages list their rules here in the order their code applies
them, and `rule_for` names the rule behind a label the code wrote."""

from __future__ import annotations

from dataclasses import dataclass

import regex


@dataclass(frozen=True, slots=True)
class Rule:
    rule_id: str
    stage: str
    label: str  # what the decisions table writes (a label with particulars is matched by its pattern)
    does: str
    base: float = 0.0  # pairing: the rank of the rule's candidates (lower wins)
    pattern: str = ""  # for labels that quote the text: a regular expression over the label

    def matches(self, label: str) -> bool:
        return bool(regex.fullmatch(self.pattern, label)) if self.pattern else label == self.label

    def variant(self, label: str) -> str:
        """What a pattern's group names (the document kind of `reported in a …`): a rule's record is kept per
        variant where its label has one."""
        match = regex.fullmatch(self.pattern, label) if self.pattern else None
        return match.group(1).replace(" ", "_") if match is not None and match.groups() else ""


PAIRING = (
    Rule(
        "phrase_spans_number",
        "pairing",
        "phrase spans the number",
        "a phrase pattern runs across the number (新增3家养老机构)",
        1,
    ),
    Rule(
        "continues_list",
        "pairing",
        "continues a list",
        "the number follows another after 、/和 or directly (810元、650元; 120户260人) and shares its candidates",
        2,
    ),
    Rule(
        "change_to",
        "pairing",
        "the 'to' of a change",
        "the head only links to a change (由800元调整到860元): the number the change reaches",
        2,
    ),
    Rule(
        "continues_clause_before",
        "pairing",
        "continues the clause before",
        "the head is only a linking word after the clause before, whose number it continues",
        3,
    ),
    Rule(
        "table_label",
        "pairing",
        "table label",
        "a table row's label ends with a phrase or names a subject and a measure of one of its frames",
        5,
    ),
    Rule(
        "frame_programmes_in_head",
        "pairing",
        "frame: several programmes in the head",
        "two or more programmes listed in the head are counted together (assistance_funds)",
        5,
    ),
    Rule(
        "column_header_label",
        "pairing",
        "column header names the indicator",
        "a cell whose row label names no indicator (a county) takes its column header's (县区 | 低保对象(人))",
        6,
    ),
    Rule(
        "table_caption_subject",
        "pairing",
        "frame: subject of the table's caption",
        "a row label naming only a measure (销售额) takes the subject of the table's caption (表5 福利彩票)",
        6,
    ),
    Rule(
        "phrase_before",
        "pairing",
        "phrase before the number",
        "a phrase ends in the head with only linking words between it and the number (低保标准提高至…)",
        10,
    ),
    Rule(
        "counted_noun_after",
        "pairing",
        "counted noun after",
        "a phrase follows the number closely with no verb between (24家“幸福食堂”)",
        15,
    ),
    Rule(
        "topic_of_clause_before",
        "pairing",
        "topic of the clause before",
        "the head only links back: the first phrase of the previous clause (…挂钩,调整为900元/月)",
        20,
    ),
    Rule(
        "frame_subject_after",
        "pairing",
        "frame: subject after the number",
        "a subject right after the number with a measure of its frame (5万余名老人享受…)",
        28,
    ),
    Rule(
        "frame_subject_in_head",
        "pairing",
        "frame: subject in the head",
        "the head names a subject and a measure of one of its frames (发放低保金…)",
        30,
    ),
    Rule(
        "frame_subject_earlier",
        "pairing",
        "frame: subject earlier in the sentence",
        "a subject earlier in the sentence lends its frames to a bare measure (…低保金9亿元,保障15万人)",
        34,
    ),
    Rule(
        "frame_programmes_earlier",
        "pairing",
        "frame: several programmes earlier in the sentence",
        "several programmes earlier in the sentence lend their joint frames",
        34,
    ),
    Rule(
        "frame_subject_of_paragraph",
        "pairing",
        "frame: subject of the paragraph",
        "the first subject of an earlier sentence of the paragraph lends its frames",
        40,
    ),
    Rule(
        "frame_subject_of_line_before",
        "pairing",
        "frame: subject of the line before",
        "a line opening with a bare measure continues the subject of the line before",
        45,
    ),
)

VALUE_TYPE = (
    Rule(
        "plan_year_column",
        "value_type",
        "",
        "a plan table's bare year column of a year it plans for: a target",
        pattern=r"column '.*' of a year the plan plans for",
    ),
    Rule(
        "column_header",
        "value_type",
        "",
        "a table column header (目标值, 实际值, a bare year) decides",
        pattern=r"column header '.*'",
    ),
    Rule(
        "planned_change_from",
        "value_type",
        "the 'from' of a planned change is today's value",
        "拟由A调整到B: A is today's value, an actual",
    ),
    Rule(
        "change_from_no_period",
        "value_type",
        "the 'from' of a change already made has no period of its own",
        "the starting value of a change already made (由86元提高至94元: 86) has no period: no fact",
    ),
    Rule(
        "change_from_with_year",
        "value_type",
        "the 'from' of a change, with its own year",
        "the starting value of a change that names its own year is an actual of that year",
    ),
    Rule(
        "target_cue",
        "value_type",
        "target cue in the sentence",
        "a target cue before the number (力争, 确保, 到2025年, 拟 …: value_type_cues.csv)",
    ),
    Rule(
        "notice_floor",
        "value_type",
        "a floor a notice sets for the bodies below it",
        "a floor (不低于…) in a notice raising a standard is a target for the bodies below the publisher",
    ),
    Rule(
        "notice_in_force",
        "value_type",
        "the standard a notice puts in force",
        "the standard a notice raising a standard puts in force (自…起提高到…) is an actual",
    ),
    Rule(
        "plan_review",
        "value_type",
        "a five-year plan's review of the last plan",
        "a five-year plan's review of the last plan (发展基础, “十三五”期间) holds actuals",
    ),
    Rule("plan_goals", "value_type", "a five-year plan's goals", "the rest of a five-year plan holds targets"),
    Rule("key_points", "value_type", "key points of the year", "key points and plans for a year hold targets"),
    Rule(
        "summary_plan_part",
        "value_type",
        "the plan part of a summary",
        "a summary's plan part (heading 2025年工作思路 …) holds targets",
    ),
    Rule("reported", "value_type", "", "anything else a document reports is an actual", pattern=r"reported in a (.*)"),
)

PERIOD = (
    Rule("column_header", "period", "", "the year of the cell's column header", pattern=r"column header '.*'"),
    Rule(
        "sentence_part_of_year",
        "period",
        "",
        "a phrase of period_phrases.csv in the sentence dates an actual: 截至6月底 → YH1, 截至9月底 → left out",
        pattern=r"'.*' in the sentence: .*",
    ),
    Rule(
        "year_before_number",
        "period",
        "year written before the number",
        "the last year written before the number in its sentence (for the 'to' of a change, after its 'from')",
    ),
    Rule(
        "plan_review_year",
        "period",
        "a five-year plan's review: the last plan's final year",
        "actuals in a five-year plan's review are of the last plan's final year",
    ),
    Rule(
        "plan_final_year",
        "period",
        "a five-year plan's goals: its final year",
        "targets of a five-year plan are of its final year",
    ),
    Rule(
        "part_year_report",
        "period",
        "a report of a quarter or months that are not a period of FACTS.md",
        "a report of 前三季度 or 1-9月 (document_kind_rules: part_year_report) has no period for its actuals",
    ),
    Rule(
        "statistics_period",
        "period",
        "the period the statistics release names",
        "a statistics release's figures are of the period it names (2季度 → YH1, 4季度 → Y)",
    ),
    Rule("half_year_actuals", "period", "a half-year summary's actuals", "a half-year summary's actuals are YH1"),
    Rule(
        "half_year_targets",
        "period",
        "a half-year summary's targets are for the whole year",
        "targets in a half-year summary are for the whole year",
    ),
    Rule(
        "plan_part_heading_year",
        "period",
        "the year of the plan part's heading",
        "a summary's plan part names its year in its heading",
    ),
    Rule(
        "summary_table_year",
        "period",
        "a summary's table of targets and results: the summarised year",
        "a target column of a summary's table (目标值 beside 实际值), outside its plan part, is the year summarised",
    ),
    Rule(
        "plan_part_next_year",
        "period",
        "a summary's plan part: the next year",
        "a summary's plan part without a year is for the next year",
    ),
    Rule("document_year", "period", "the document's year", "the year the document reports on"),
)

REGION = (
    Rule(
        "county_column",
        "region",
        "",
        "a table column headed by a county or district of the publisher: its cells are that county's",
        pattern=r".+ named by the cell's column header",
    ),
    Rule(
        "county_at_clause_start",
        "region",
        "",
        "a county or district of the publisher named at the clause start",
        pattern=r".+ named at the start of the clause",
    ),
    Rule(
        "region_above_named",
        "region",
        "",
        "the province or city above the publisher named in full at the clause start (a reprint): that region's",
        pattern=r".+ named at the start of the clause: a region above the publisher's",
    ),
    Rule(
        "higher_area",
        "region",
        "",
        "全省 (全国, 全市) before the number in the document of a body below that level: the higher region's figure",
        pattern=r"'.*' in a document of a body below the .*",
    ),
    Rule("publisher", "region", "the publisher's region", "the jurisdiction of the publishing body"),
)

DROP = (
    Rule(
        "kind_without_facts",
        "drop",
        "",
        "disclosure reports and notices hold no facts",
        pattern=r"document kind without facts \(.*\)",
    ),
    Rule(
        "cut_off",
        "drop",
        "cut off by the end of the text: what the number counts is lost",
        "a number followed by a word cut off by the end of a truncated text",
    ),
    Rule(
        "plan_multi_year_sum",
        "drop",
        "a sum over the years of the last plan (累计 in a plan's review) is no one year's value",
        "累计 in a five-year plan's review sums several years",
    ),
    Rule(
        "comparison_column",
        "drop",
        "",
        "a table column of change or comparison (同比, 增长, 上年)",
        pattern=r"a comparison column \('.*'\), not the period's value",
    ),
    Rule(
        "no_value_type",
        "drop",
        "the 'from' of a change already made has no period of its own",
        "the starting value of a change already made",
    ),
    Rule("period_unresolved", "drop", "", "no period could be told", pattern=r"period unresolved: .*"),
    Rule("region_unresolved", "drop", "", "no region could be told", pattern=r"region unresolved: .*"),
    Rule(
        "implausible",
        "drop",
        "",
        "outside the indicator's plausible range (plausible_ranges.csv)",
        pattern=r"out of the plausible range .*",
    ),
    Rule("duplicate", "drop", "", "the same key and value stated again in the document", pattern=r"duplicate of .*"),
    Rule(
        "unit_does_not_fit",
        "drop",
        "",
        "the written unit does not convert to the indicator's",
        pattern=r"unit does not fit: .*",
    ),
    Rule(
        "name_part", "drop", "", "a numeral inside a name (两项补贴)", pattern=r"part of the name '.*', not a quantity"
    ),
    Rule(
        "part_after_qizhong",
        "drop",
        "a part listed after 其中 (其中:民政部门接收…), not the indicator's value",
        "the clauses after a 其中 of the sentence that name something before the subject are its parts",
    ),
    Rule("rate_base", "drop", "the base of a rate (每…), not a quantity of its own", "每60张床位配备1名…: 60"),
    Rule(
        "object_of_action",
        "drop",
        "the object of an action (对/向/在/等 before the number), not a total",
        "对42家养老机构开展检查: a count of what was acted on",
    ),
    Rule(
        "counts_other_thing",
        "drop",
        "",
        "the noun after the number is nothing an indicator counts",
        pattern=r"counts '.*', which no indicator phrase or frame covers",
    ),
    Rule(
        "mixed_payments",
        "drop",
        "",
        "one programme's money summed with other payments",
        pattern=r"a sum of one programme's money and other payments \('.*'\) fills no indicator",
    ),
    Rule(
        "new_ones_without_flow",
        "drop",
        "",
        "a count of new ones of a stock with no flow code",
        pattern=r"counts new ones, and .* is a stock with no flow code in the catalogue",
    ),
    Rule(
        "other_words_in_head",
        "drop",
        "",
        "the words before the number name something no phrase or frame covers",
        pattern=r"the words before the number \('.*'\) name something no indicator phrase or frame covers",
    ),
    Rule(
        "nothing_in_reach",
        "drop",
        "no indicator phrase or subject within reach",
        "no phrase or subject near enough to the number",
    ),
)

STAGES = {"pairing": PAIRING, "value_type": VALUE_TYPE, "period": PERIOD, "region": REGION, "drop": DROP}
_BY_ID = {(rule.stage, rule.rule_id): rule for rules in STAGES.values() for rule in rules}


def pairing(rule_id: str) -> Rule:
    return _BY_ID[("pairing", rule_id)]


def rule_for(stage: str, label: str | None) -> Rule | None:
    """The rule of a stage that wrote a label (a pairing label may end with ', counting new ones')."""
    if not label:
        return None
    label = label.removesuffix(", counting new ones")
    return next((rule for rule in STAGES.get(stage, ()) if rule.matches(label)), None)
