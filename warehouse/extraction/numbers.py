"""Number mentions in Chinese report text: value, unit and qualifier of every quantity written as
`810元/月`, `1.4万元以上`, `20.6万余个`, `8260余万元`, `近40个`, `51%`, `千分之三`, `八项`.

Values come out in the base unit of what is written (元, 个, 人, %…; 万/亿/千 applied), so that the
conversion to an indicator's catalogue unit (元 → 万元, 元/月 → 元/年) is a lookup in a dbt seed.
Offsets are character offsets into the text given, which callers normalise with `normalize_width`
first (a one-to-one mapping, so offsets stay valid).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

APPROX, AT_LEAST = "approx", "at_least"

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_MAGNITUDE = {"万": 1e4, "亿": 1e8, "千": 1e3, "百万": 1e6, "千万": 1e7}
# Longest first: the regex alternation takes the first that matches.
_UNITS = ("元/人/月", "元/人·月", "元/月", "元/年", "元/人", "元", "%", "‰", "人次", "户次", "张", "个", "家", "人", "名",
          "户", "对", "座", "项", "单", "所", "处", "起", "件", "具", "次", "条", "支", "床", "亩", "平方米", "岁", "批")
_UNIT_ALIASES = {"元/人/月": "元/月", "元/人·月": "元/月", "元/人": "元"}
_CN_DIGITS = "〇零一二两三四五六七八九十百千"
_NUMBER = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN_DIGITS}]+(?:点[〇零一二三四五六七八九]+)?)"
_PREFIX_QUALIFIER = r"(?P<pre>约|近|超过|超|逾|不少于|不低于)?"
MENTION = re.compile(
    _PREFIX_QUALIFIER
    + rf"(?P<num>{_NUMBER})"
    + r"(?P<mag1>百万|千万|万|亿|千)?(?P<approx1>余|多)?(?P<mag2>万|亿)?"
    + r"(?P<unit>" + "|".join(re.escape(u) for u in _UNITS) + r")?"
    + r"(?P<approx2>余|多)?(?P<post>以上|左右|以内|以下)?"
)
_PERCENT_WORDS = re.compile(rf"(?P<pre>约|近|超过|超|逾|不少于|不低于)?(?P<kind>百分之|千分之)(?P<num>{_NUMBER})")
_CHINESE_ONLY = re.compile(rf"^[{_CN_DIGITS}]+$")
_YEARISH = re.compile(r"^(19|20)\d{2}$")


@dataclass(frozen=True)
class NumberMention:
    start: int
    end: int
    raw: str
    value: float
    unit: str  # base unit as written ("" when none: then `magnitude` tells whether 万/亿 was written)
    qualifier: str  # "", "approx", "at_least"
    magnitude: bool = False


def normalize_width(text: str) -> str:
    """Full-width ASCII (０-９, ％, （）, ，) to half-width, one character for one."""
    return text.translate(_FULL_WIDTH)


def parse_number(text: str) -> float:
    """'1,234.5' → 1234.5; '八百一十' → 810; '两' → 2; '三点五' → 3.5."""
    text = text.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    return float(cn2an.cn2an(text, "smart"))


def _qualifier(pre: str | None, approx: bool, post: str | None) -> str:
    if pre in ("超过", "超", "逾", "不少于", "不低于") or post == "以上":
        return AT_LEAST
    if approx or pre in ("约", "近") or post == "左右":
        return APPROX
    return ""


def find_mentions(text: str) -> list[NumberMention]:
    """Every quantity in the text. Bare numbers (no unit, no 万/亿) are left out: years, item numbers
    and codes look the same, and FACTS.md drops values whose unit cannot be told."""
    mentions: list[NumberMention] = []
    taken: list[tuple[int, int]] = []
    for match in _PERCENT_WORDS.finditer(text):
        try:
            value = parse_number(match.group("num"))
        except (ValueError, TypeError):
            continue
        value = value / 10 if match.group("kind") == "千分之" else value
        mentions.append(NumberMention(match.start(), match.end(), match.group(0), value, "%",
                                      _qualifier(match.group("pre"), False, None)))
        taken.append((match.start(), match.end()))
    for match in MENTION.finditer(text):
        if any(start <= match.start("num") < end for start, end in taken):
            continue
        number, unit = match.group("num"), match.group("unit") or ""
        magnitude = match.group("mag1") or match.group("mag2")
        if not unit and not magnitude:
            continue
        chinese = bool(_CHINESE_ONLY.match(number))
        if chinese and (not unit or number in ("千", "百") or unit in ("%", "‰")):
            continue  # 十大工程, 千家万户: words, not quantities
        if _YEARISH.match(number) and unit in ("", "项") and not magnitude:
            continue
        try:
            value = parse_number(number)
        except (ValueError, TypeError):
            continue
        if magnitude:
            value *= _MAGNITUDE[magnitude] * (_MAGNITUDE[match.group("mag2")] if match.group("mag1") and match.group("mag2") else 1)
        if unit == "‰":
            unit, value = "%", value / 10
        unit = _UNIT_ALIASES.get(unit, unit)
        approx = bool(match.group("approx1") or match.group("approx2"))
        start = match.start("pre") if match.group("pre") else match.start("num")
        mentions.append(NumberMention(start, match.end(), match.group(0), round(value, 6), unit,
                                      _qualifier(match.group("pre"), approx, match.group("post")), bool(magnitude)))
    return sorted(mentions, key=lambda mention: mention.start)
