"""A document's identity: the source it came from and where on that source's site it is (path and query), not
the scheme, host and port that serve the site today. A bureau moving from http to https, to a new host or port
is the same site: keyed by identity its documents stay the same documents, and the full URL is kept beside the
key (documents.url, document_locations.url) for the citation.

The key reads `<source_id>:<path>[?<query>]`, e.g. `zhoushan_mirror:/art/2024/1/5/art_1229282406_1.html`. It
never starts with `http://` or `https://`, which is how a raw layer keyed by URL (before this) is told apart
and migrated (warehouse/landing/schema.py)."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote, urlsplit

SCHEMES = ("http", "https")
URL_KEY = re.compile(r"^https?://", re.IGNORECASE)  # the key form before identity: the URL itself
# what stays as written in a path or query: RFC 3986's reserved and unreserved characters and existing escapes;
# the rest (Chinese names, spaces) is percent-encoded, so a link written either way names one document
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = _PATH_SAFE + "?"
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_UNRESERVED = re.compile(r"%(4[1-9A-F]|5[0-9A]|6[1-9A-F]|7[0-9A]|3[0-9]|2D|2E|5F|7E)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def document_identity(source_id: str, url: str) -> str:
    """The key of the document at `url` of source `source_id`; ValueError for a URL that names no web document
    (another scheme, no host, control characters inside, a port that is no port)."""
    if not source_id:
        raise ValueError("a document's identity needs its source")
    url = url.strip()
    if _CONTROL.search(url):
        raise ValueError(f"control characters or spaces in {url!r}")
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise ValueError(f"not an http(s) URL: {url!r}")
    if not parts.hostname:
        raise ValueError(f"no host in {url!r}")
    parts.port  # noqa: B018 - raises ValueError for a port that is no number or out of range
    key = f"{source_id}:{_path(parts.path)}"
    query = _escaped(parts.query, _QUERY_SAFE)
    return f"{key}?{query}" if query else key


def is_url_key(key: str) -> bool:
    """A key of the form before identity (the document's URL)."""
    return bool(URL_KEY.match(key or ""))


def _path(path: str) -> str:
    """`..` and `.` resolved (never above the root), repeated and trailing slashes dropped: `/a/b/`, `/a//b` and
    `/a/./b` are `/a/b`; an empty path is `/`."""
    path = _escaped(path, _PATH_SAFE)
    resolved = posixpath.normpath("/" + path.lstrip("/"))
    return "/" + resolved.lstrip("/")


def _escaped(text: str, safe: str) -> str:
    """Percent-encoding in one form: unreserved characters unescaped, other escapes in upper case."""
    text = _UNRESERVED.sub(lambda match: chr(int(match.group(1), 16)), text)
    text = quote(text, safe=safe)
    return _ESCAPE.sub(lambda match: match.group(0).upper(), text)
