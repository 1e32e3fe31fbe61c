"""Dates as disclosure pages write them: 2025-01-22, 2025/1/22, 2025年1月22日, 2025.01.22."""

from __future__ import annotations

import datetime as dt
import re

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def find_date(text: str | None) -> str | None:
    """The first valid calendar date in the text, as YYYY-MM-DD."""
    for match in _DATE.finditer(text or ""):
        try:
            return dt.date(*(int(part) for part in match.groups())).isoformat()
        except ValueError:
            continue
    return None


# the article's own date line: 发布时间：2025-03-04, 日期：…, 来源：… 时间：…; a label that only ends in 时间 or
# 日期 (页面生成时间, 成文日期, 更新时间) is another date
_DATE_LINE = re.compile(
    r"(?<![\u4e00-\u9fff])(?:发布时间|发布日期|发表时间|公开日期|日期|时间)\s*[:：]\s*(" + _DATE.pattern + ")"
)
# how far below the title the date line is looked for, in lines of text
_DATE_LINE_REACH = 8


def date_line_date(lines: list[str], title: str) -> str | None:
    """The date of the article's own date line: the first labelled date in the lines right below the title,
    else the first labelled date of the page. Dates without a label are the page's furniture (今天是 …
    星期一, lists of other articles, the signing date, copyright years) and never read."""
    squeezed_title = re.sub(r"\s+", "", title)
    starts = [
        index for index, line in enumerate(lines) if squeezed_title and re.sub(r"\s+", "", line) == squeezed_title
    ]
    for start in [*starts, None]:
        window = lines if start is None else lines[start + 1 : start + 1 + _DATE_LINE_REACH]
        for line in window:
            for match in _DATE_LINE.finditer(line):
                found = find_date(match.group(1))
                if found:
                    return found
    return None
