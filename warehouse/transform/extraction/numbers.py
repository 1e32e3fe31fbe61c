"""Number mentions in Chinese report text: value, unit and qualifier of every quantity written as
`810元/月`, `1.4万元以上`, `20.6万余个`, `8260余万元`, `近40个`, `51%`, `千分之三`, `八项`.

Values come out in the base unit of what is written (元, 个, 人, %…; 万/亿/千 applied), so that the
conversion to an indicator's catalogue unit (元 → 万元, 元/月 → 元/年) is a lookup in a dbt seed.
Offsets are character offsets into the text given, which callers normalise with `normalize_width`
first (a one-to-one mapping, so offsets stay valid).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import cn2an

APPROX, AT_LEAST = "approx", "at_least"

_FULL_WIDTH = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
_FULL_WIDTH_CHAR = re.compile("[\uff01-\uff5e\u3000]")
_MAGNITUDE = {"万": 1e4, "亿": 1e8, "千": 1e3, "百万": 1e6, "千万": 1e7}
# Longest first: the regex alternation takes the first that matches.
_UNITS = (
    "元/人/月",
    "元/人·月",
    "元/人.月",
    "元/人、月",
    "元/人月",
    "元/人/年",
    "元/人·年",
    "元/人.年",
    "元/人、年",
    "元/人年",
    "元/人次",
    "元/月",
    "元/年",
    "元/人",
    "元",
    "%",
    "‰",
    "人次",
    "户次",
    "张/千人",
    "张",
    "个",
    "家",
    "人",
    "名",
    "户",
    "对",
    "座",
    "项",
    "单",
    "所",
    "处",
    "起",
    "件",
    "具",
    "次",
    "条",
    "支",
    "床",
    "亩",
    "平方米",
    "岁",
    "批",
)
_UNIT_ALIASES = {
    "元/人/月": "元/月",
    "元/人·月": "元/月",
    "元/人.月": "元/月",
    "元/人、月": "元/月",
    "元/人月": "元/月",
    "元/人/年": "元/年",
    "元/人·年": "元/年",
    "元/人.年": "元/年",
    "元/人、年": "元/年",
    "元/人年": "元/年",
    "元/人": "元",
}
# 每人每月744元, 户月人均551元, 每人每年16392元: the period stands before the amount
_PER_MONTH_BEFORE = re.compile(r"(?:每人每月|每月每人|人均每月|每月人均|月人均|人月均|每人月|每月)$")
_PER_YEAR_BEFORE = re.compile(r"(?:每人每年|每年每人|人均每年|每年人均|年人均|人年均|每人年|每年)$")
_PER_PERSON_WORD = re.compile(r"[人户]")
_PER_PERSON_TIME_BEFORE = re.compile(r"(?:每人次|人次均)$")  # 平均每人次1500元: an amount per person-time
_CN_DIGITS = "〇零一二两三四五六七八九十百千"
_NUMBER = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN_DIGITS}]+(?:点[〇零一二三四五六七八九]+)?)"
_PREFIX_QUALIFIER = r"(?P<pre>约|近|超过|超|逾|不少于|不低于|≥)?"
MENTION = re.compile(
    _PREFIX_QUALIFIER
    + rf"(?P<num>{_NUMBER})"
    + r"(?: ?(?P<mag1>百万|千万|万|亿|千))?(?P<approx1>余|多)?(?P<mag2>万|亿)?"
    + r" ?(?P<unit>"
    + "|".join(re.escape(u) for u in _UNITS)
    + r")?"
    + r"(?P<approx2>余|多)?(?P<post>以上|左右|以内|以下)?"
)
_PERCENT_WORDS = re.compile(rf"(?P<pre>约|近|超过|超|逾|不少于|不低于)?(?P<kind>百分之|千分之)(?P<num>{_NUMBER})")
# 慈善组织数量达到100: a count whose unit is left out after the word that says it is a count
_BARE_COUNT = re.compile(
    r"(?:数量|总数|个数|总量)(?:已)?(?:达到|达|为|是|共|共计|合计)?(?P<num>\d+)(?![\d.%‰万亿千百\w])"
)
COUNT_WORD_UNIT = "数"
_ANY_NUMBER = re.compile(rf"[\d{_CN_DIGITS}]")
_CHINESE_ONLY = re.compile(rf"^[{_CN_DIGITS}]+$")
_YEARISH = re.compile(r"^(19|20)\d{2}$")


@dataclass(slots=True)
class NumberMention:
    start: int
    end: int
    raw: str
    value: float
    unit: str  # base unit as written ("" when none: then `magnitude` tells whether 万/亿 was written)
    qualifier: str  # "", "approx", "at_least"
    magnitude: bool = False


def normalize_width(text: str) -> str:
    """Full-width ASCII (０-９, ％, （）, ，) to half-width, one character for one. (A replace per full-width
    character the text holds: str.translate looks up every character of a Chinese text in Python.)"""
    for char in set(_FULL_WIDTH_CHAR.findall(text)):
        text = text.replace(char, _FULL_WIDTH[char])
    return text


def parse_number(text: str) -> float:
    """'1,234.5' → 1234.5; '八百一十' → 810; '两' → 2; '三点五' → 3.5."""
    text = text.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    return float(cn2an.cn2an(text, "smart"))


def _qualifier(pre: str | None, approx: bool, post: str | None) -> str:
    if pre in ("超过", "超", "逾", "不少于", "不低于", "≥") or post == "以上":
        return AT_LEAST
    if approx or pre in ("约", "近") or post == "左右":
        return APPROX
    return ""


def _period_before(text: str, position: int) -> str | None:
    before = text[max(0, position - 4) : position]
    if _PER_MONTH_BEFORE.search(before):
        return "元/月"
    if _PER_YEAR_BEFORE.search(before):
        return "元/年"
    if _PER_PERSON_TIME_BEFORE.search(before):
        return "元/人次"
    return None


def find_mentions(text: str) -> list[NumberMention]:
    """Every quantity in the text. Bare numbers (no unit, no 万/亿) are left out: years, item numbers
    and codes look the same, and FACTS.md drops values whose unit cannot be told."""
    mentions: list[NumberMention] = []
    taken: list[tuple[int, int]] = []
    if _ANY_NUMBER.search(text) is None:  # every pattern below needs a digit: a third of sentences have none
        return mentions
    for match in _PERCENT_WORDS.finditer(text) if "分之" in text else ():
        try:
            value = parse_number(match.group("num"))
        except (ValueError, TypeError):
            continue
        value = value / 10 if match.group("kind") == "千分之" else value
        mentions.append(
            NumberMention(
                match.start(), match.end(), match.group(0), value, "%", _qualifier(match.group("pre"), False, None)
            )
        )
        taken.append((match.start(), match.end()))
    for match in _BARE_COUNT.finditer(text):
        mentions.append(
            NumberMention(
                match.start("num"), match.end("num"), match.group("num"), float(match.group("num")), COUNT_WORD_UNIT, ""
            )
        )
        taken.append((match.start("num"), match.end("num")))
    for match in MENTION.finditer(text):
        if any(start <= match.start("num") < end for start, end in taken):
            continue
        mention = _quantity(text, match)
        if mention is not None:
            mentions.append(mention)
    return _carry_period(text, sorted(mentions, key=lambda mention: mention.start))


def _is_word(text: str, match: re.Match[str]) -> bool:
    """A number that is part of a word or a year, not a quantity: 十大工程, 千家万户, 一次性, 2025年 alone."""
    number, unit = match.group("num"), match.group("unit") or ""
    magnitude = match.group("mag1") or match.group("mag2")
    if not unit and not magnitude:
        return True
    chinese = bool(_CHINESE_ONLY.match(number))
    if chinese and (not unit or number in ("千", "百") or unit in ("%", "‰")):
        return True
    if chinese and unit == "次" and text[match.end() : match.end() + 1] == "性":
        return True
    return bool(_YEARISH.match(number) and unit in ("", "项") and not magnitude)


def _quantity(text: str, match: re.Match[str]) -> NumberMention | None:
    """The quantity a MENTION match writes, in its base unit; None for words, years and unreadable numbers."""
    if _is_word(text, match):
        return None
    number, unit = match.group("num"), match.group("unit") or ""
    magnitude = match.group("mag1") or match.group("mag2")
    try:
        value = parse_number(number)
    except (ValueError, TypeError):
        return None
    if magnitude:
        value *= _MAGNITUDE[magnitude] * (
            _MAGNITUDE[match.group("mag2")] if match.group("mag1") and match.group("mag2") else 1
        )
    if unit == "‰":
        unit, value = "%", value / 10
    unit = _UNIT_ALIASES.get(unit, unit)
    if unit == "元":
        period = _period_before(text, match.start("pre") if match.group("pre") else match.start("num"))
        # 每年800万元 is a yearly sum, 每人每年1.6万元 a rate: only a person or household makes it per capita
        per_person = not magnitude or _PER_PERSON_WORD.search(text[max(0, match.start() - 4) : match.start("num")])
        unit = (period if per_person else None) or unit
    approx = bool(match.group("approx1") or match.group("approx2"))
    start = match.start("pre") if match.group("pre") else match.start("num")
    qualifier = _qualifier(match.group("pre"), approx, match.group("post"))
    return NumberMention(start, match.end(), match.group(0), round(value, 6), unit, qualifier, bool(magnitude))


# 户月人均551元、300元 / 从每人每月460元提高到620元: a bare 元 amount that continues a list or a change
# is counted per the same period as the amount before it
_CONTINUES = re.compile(r"^(?:、|和|与|及|或|(?:提高|提升|增长|增加|调整|上调|增)?(?:到|至|为))$")


def _carry_period(text: str, mentions: list[NumberMention]) -> list[NumberMention]:
    """What an amount leaves to the one that continues it: the period of a rate (每人每月460元、300元), the
    qualifier of households to their persons (不少于1204户1873人)."""
    for index in range(1, len(mentions)):
        previous, mention = mentions[index - 1], mentions[index]
        if (
            mention.unit == "元"
            and previous.unit in ("元/月", "元/年")
            and _CONTINUES.match(text[previous.end : mention.start])
        ):
            mentions[index] = replace(mention, unit=previous.unit)
        elif previous.unit == "户" and previous.end == mention.start and previous.qualifier and not mention.qualifier:
            # 不少于1204户1873人: the word before the households bounds the persons they hold as well
            mentions[index] = replace(mention, qualifier=previous.qualifier)
    return mentions
