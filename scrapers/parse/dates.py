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
