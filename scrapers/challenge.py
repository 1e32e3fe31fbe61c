"""Recognise anti-bot challenge pages so they are recorded as blocked, never parsed as documents.

Chinese government sites commonly sit behind two kinds of JavaScript challenge: Ruishu
(瑞数, HTTP 412 with a `$_ts` bootstrap script) and Jiasule / Cloudflare-style cookie
challenges (HTTP 521 whose body only sets a clearance cookie and reloads).
"""

from __future__ import annotations

import re

_CHALLENGE_STATUSES = {412, 521, 403, 202}
_MARKERS = (
    re.compile(rb"\$_ts\s*=\s*window"),
    re.compile(rb"\$_ts\.(?:nsd|cd)\s*="),
    re.compile(rb"document\.cookie\s*=.{0,200}(?:jsl_clearance|__jsl|acw_sc__|clearance)", re.S),
    re.compile(rb"<title>\s*(?:Just a moment|Please wait)", re.I),
)
_SMALL_PAGE = 16 * 1024


def looks_like_challenge(status: int, body: bytes) -> bool:
    head = body[:_SMALL_PAGE]
    has_marker = any(marker.search(head) for marker in _MARKERS)
    if status in _CHALLENGE_STATUSES:
        return has_marker
    # A 200 that is nothing but a challenge script (some sites answer challenges with 200).
    return status == 200 and len(body) < _SMALL_PAGE and has_marker
