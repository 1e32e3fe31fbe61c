"""The hosts one source's crawl may reach, and the addresses it may connect to.

A list entry, a redirect or an attachment link is only followed to a host and port the source names: its
`base_url` and its `allowed_hosts` (a CDN, an attachment server). A name without a port allows the standard
ports of http and https, so that a site moving from http to https on the same host is still followed; a name
with a port allows that port only (the mirror's sites share 127.0.0.1 and differ by port). Only http and https
are fetched, by an explicit check rather than because requests happens to lack an adapter for `file://`.

Names are not enough: a name the source allows may resolve (or be re-pointed, DNS rebinding) to an internal
address. A source whose own host is public may not reach private, loopback, link-local or otherwise non-global
addresses; the check is made on the address each connection actually reaches (scrapers/checked_connections.py),
so no gap lies between checking and connecting. A source whose own host is internal (the offline mirror on
127.0.0.1) may reach internal addresses: the host names still bind it.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

ALLOWED_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
# The fetch_log outcome of a URL the boundary refused: no request was sent (or the redirect was not followed).
REFUSED = "refused"

Resolver = Callable[[str], list[str]]


def resolve(host: str) -> list[str]:
    """Every address the name resolves to (an empty list when it resolves to none)."""
    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)})
    except (socket.gaierror, UnicodeError):
        return []


def is_internal(address: str) -> bool:
    """Private, loopback, link-local, reserved, multicast or unspecified: any address that is not global."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 scope (fe80::1%eth0) is no part of the address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global


def host_and_port(url: str) -> tuple[str, str, int | None]:
    """(scheme, lower-case host, port or None); ValueError for a URL with no host or a port out of range."""
    parts = urlsplit(url)
    port = parts.port  # raises ValueError for a port that is no number or out of range
    if not parts.hostname:
        raise ValueError(f"no host in {url!r}")
    return parts.scheme.lower(), parts.hostname.lower().rstrip("."), port


def _named(entry: str) -> tuple[str, int | None]:
    """An allowed_hosts entry: `host`, `host:port` or a URL."""
    _, host, port = host_and_port(entry if "//" in entry else f"//{entry}")
    return host, port


@dataclass(frozen=True)
class HostBoundary:
    """What a source may reach: `(host, port)` pairs (port None: the standard ports), and whether internal
    addresses are allowed (only when the source's own host is internal)."""

    hosts: frozenset[tuple[str, int | None]]
    internal_allowed: bool = False

    @classmethod
    def of(cls, base_url: str, allowed_hosts: Iterable[str] = (), resolver: Resolver = resolve) -> HostBoundary:
        _, host, port = host_and_port(base_url)
        hosts = {(host, port), *(_named(entry) for entry in allowed_hosts)}
        own = [host] if _is_address(host) else resolver(host)
        return cls(frozenset(hosts), internal_allowed=any(is_internal(address) for address in own))

    def refusal(self, url: str) -> str | None:
        """Why `url` may not be fetched for this source, or None when it may."""
        if problem := scheme_refusal(url):
            return problem
        try:
            _, host, port = host_and_port(url)
        except ValueError as exc:
            return f"not a URL that can be fetched: {exc}"
        allowed = (host, port) in self.hosts or ((host, None) in self.hosts and port in (None, *DEFAULT_PORTS.values()))
        if not allowed:
            named = ", ".join(sorted(f"{h}:{p}" if p else h for h, p in self.hosts))
            shown = f"{host}:{port}" if port else host
            return f"host {shown} is not one the source names ({named}; add it to allowed_hosts): {url}"
        return None

    def address_refusal(self, address: str) -> str | None:
        """Why a connection to `address` must not be used, or None when it may."""
        if self.internal_allowed or not is_internal(address):
            return None
        return f"address {address} is internal (private, loopback or link-local) and the source's own host is not"


def scheme_refusal(url: str) -> str | None:
    """The check every fetch gets, with or without a source: http and https only."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        return f"scheme {scheme or '(none)'!r} refused: only http and https are fetched ({url})"
    return None


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
