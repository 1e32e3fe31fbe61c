"""Parsing: bytes of one page or file → one ParsedDocument. Pure functions, no I/O."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath

from scrapers.encoding import UndecodableText, decode_bytes
from scrapers.parse.article import parse_article
from scrapers.parse.attachments import docx_document, pdf_document
from scrapers.parse.docshare import is_docshare_page, parse_docshare
from scrapers.parse.errors import ParseError
from scrapers.parse.html_text import soup_of
from scrapers.parse.plaintext import parse_plaintext
from warehouse.landing.records import ParsedDocument

__all__ = ["SUPPORTED_SUFFIXES", "ParseError", "parse_content", "sniff"]

SUPPORTED_SUFFIXES = {".txt", ".html", ".htm", ".shtml", ".pdf", ".docx"}
_HTML_START = re.compile(r"<(?:!doctype|html|head|body|div|p|table|meta)\b", re.I)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(body: bytes) -> str:
    """What the bytes are, whatever the name or Content-Type claims: pdf, docx, ole2, zip or text."""
    if body.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if body.startswith(_OLE2):
        return "ole2"
    if body.startswith(b"PK") and zipfile.is_zipfile(io.BytesIO(body)):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "docx" if "word/document.xml" in archive.namelist() else "zip"
    return "text"


def parse_content(
    body: bytes, content_type: str = "", name: str = "", url: str = ""
) -> tuple[ParsedDocument, str | None]:
    """Parse any supported page or file. Returns (document, text encoding or None for binary formats)."""
    if not body.strip():
        raise ParseError("empty", "no content (zero bytes)")
    kind = sniff(body)
    suffix = PurePosixPath(name.split("?")[0]).suffix.lower()
    if kind == "pdf":
        return pdf_document(body), None
    if kind == "docx":
        return docx_document(body), None
    if suffix == ".pdf":
        raise ParseError("not_pdf", f"{name or url} is named as a PDF but its content is not a PDF")
    if suffix == ".docx":
        raise ParseError("bad_docx", f"{name or url} is named as a DOCX but its content is not one")
    if kind in ("ole2", "zip"):
        raise ParseError(
            "unsupported_type",
            "legacy Office (.doc/.xls/.wps) and archives are not supported; save the file as .docx or .pdf",
        )
    try:
        text, encoding = decode_bytes(body, content_type)
    except UndecodableText as exc:
        raise ParseError("bad_encoding", str(exc)) from exc
    if "\x00" in text[:2000]:
        raise ParseError("unsupported_type", "binary content that is not a supported document format")
    if suffix in (".html", ".htm", ".shtml") or "html" in content_type or _HTML_START.search(text[:4096]):
        if not text.strip():
            raise ParseError("empty", "the page is empty")
        soup = soup_of(text)
        if is_docshare_page(soup):
            return parse_docshare(text, url), encoding
        return parse_article(text, url), encoding
    return parse_plaintext(text), encoding
