"""Fetch attempts that got no answer, told apart: nothing listens on the port, the name does not resolve, or the
host took too long. Each is its own fetch_log outcome with a one-line message, so that a dead site reads as dead
(and not as a robots.txt that disallows everything) and the fix it needs is plain: start the site or correct the
port, correct the name, or try later.

Also what a robots.txt answer means for the site's pages (RFC 9309, section 2.3.1): 2xx its rules; 4xx
"unavailable", so no rules (everything allowed) — except 429, which like 5xx is a server asking us to come back;
5xx and 429 "unreachable", so every path is disallowed for now (ROBOTS_UNAVAILABLE: try later); no answer at all
is that failure itself (CONNECTION_REFUSED, DNS_FAILURE, TIMEOUT, CONNECTION_ERROR).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, ReadTimeoutError

from warehouse.landing.records import CONNECTION_ERROR, TIMEOUT

# Outcomes of fetch_log beyond warehouse/landing/records.py's (expectations/define_suites.py accepts them).
CONNECTION_REFUSED = "connection_refused"  # the host answered "nothing listens on this port"
DNS_FAILURE = "dns_failure"  # the host name resolves to no address
ROBOTS_UNAVAILABLE = "robots_unavailable"  # robots.txt answered 5xx or 429: RFC 9309 says disallow all, try later
NO_ANSWER = (CONNECTION_REFUSED, DNS_FAILURE, TIMEOUT, CONNECTION_ERROR)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and every exception it wraps (requests → urllib3 → socket)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [current.__cause__, current.__context__, getattr(current, "reason", None)]
        todo += [arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException)]


def _where(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or ({"http": 80, "https": 443}.get(parts.scheme) or "")
    return f"{parts.hostname}:{port}"


def no_answer(
    exc: requests.exceptions.RequestException, url: str, connect_timeout: float, read_timeout: float
) -> tuple[str, str]:
    """(outcome, one-line message) for a request that got no HTTP answer."""
    chain = list(_chain(exc))
    where = _where(url)
    if any(isinstance(e, (NameResolutionError, socket.gaierror)) for e in chain):
        return DNS_FAILURE, f"the host name {urlsplit(url).hostname} does not resolve (DNS failure): check the name"
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return CONNECTION_REFUSED, f"connection refused by {where}: nothing listens there (site down or wrong port)"
    if isinstance(exc, requests.exceptions.ConnectTimeout) or any(isinstance(e, ConnectTimeoutError) for e in chain):
        return TIMEOUT, f"no connection to {where} within {connect_timeout:g} s (connect timeout)"
    if isinstance(exc, requests.exceptions.Timeout) or any(
        isinstance(e, (ReadTimeoutError, socket.timeout)) for e in chain
    ):
        return TIMEOUT, f"no answer from {where} within {read_timeout:g} s (read timeout)"
    reason = next((e for e in reversed(chain) if isinstance(e, OSError) and e.strerror), None)
    detail = reason.strerror if reason is not None else str(exc).splitlines()[0][:200]
    return CONNECTION_ERROR, f"connection to {where} failed: {detail}"
