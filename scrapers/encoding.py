"""Decode fetched bytes to text: the HTTP header's charset, then the page's own declaration
(BOM, <meta charset>), then detection. GB2312/GBK are widened to GB18030, their superset,
because pages labelled GB2312 routinely contain characters only GBK/GB18030 have.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)
_WIDER = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class UndecodableText(ValueError):
    pass


def _normalise(name: str | None) -> str | None:
    if not name:
        return None
    try:
        canonical = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return _WIDER.get(canonical, _WIDER.get(name.strip().lower(), canonical))


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_cjk(text: str) -> bool:
    letters = [ch for ch in text if ord(ch) > 0x7F]
    if not letters:
        return False
    cjk = sum(
        1 for ch in letters if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
    )
    return cjk / len(letters) > 0.8


def _plausible_text(text: str) -> bool:
    """Text a person wrote: mostly printable ASCII, CJK, CJK punctuation and whitespace. Random bytes after a
    UTF-16 byte-order mark decode without error into characters from all over Unicode."""
    sample = text[:20_000]
    if not sample:
        return True
    common = sum(
        1
        for ch in sample
        if ch.isspace()
        or " " <= ch <= "~"
        or "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or "\u2010" <= ch <= "\u206f"
    )
    return common / len(sample) > 0.9


def decode_bytes(body: bytes, content_type: str = "") -> tuple[str, str]:
    """Return (text, encoding used). Raises UndecodableText when nothing decodes the bytes."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            text = _strict(body, encoding)
            if text is None or (encoding == "utf-16" and not _plausible_text(text)):
                raise UndecodableText(f"the bytes start with a {encoding} byte-order mark but are not {encoding} text")
            return text, encoding
    header = _HEADER_CHARSET.search(content_type or "")
    meta = _META_CHARSET.search(body[:4096])
    for declared in (header and header.group(1), meta and meta.group(1).decode("ascii", "ignore")):
        named = _normalise(declared)
        # A declared charset that the bytes contradict is ignored, not trusted.
        if named and (text := _strict(body, named)) is not None:
            return text, named
    if (text := _strict(body, "utf-8")) is not None:
        return text, "utf-8"
    # Undeclared and not UTF-8: on Chinese government sites that is GBK/GB18030 far more often
    # than anything a generic detector would guess from a short page.
    if (text := _strict(body, "gb18030")) is not None and _mostly_cjk(text):
        return text, "gb18030"
    best = from_bytes(body[:200_000]).best()
    if best is not None:
        encoding = _normalise(best.encoding) or best.encoding
        if (text := _strict(body, encoding)) is not None:
            return text, encoding
        return body.decode(encoding, errors="replace"), encoding
    if (text := _strict(body, "gb18030")) is not None:
        return text, "gb18030"
    raise UndecodableText("no charset decodes this content")
