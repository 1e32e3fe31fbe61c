"""Parsing: bytes of one page or file → one ParsedDocument. Pure functions, no I/O."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath

from scrapers.encoding import UndecodableText, decode_bytes
from scrapers.parse.article import parse_article
from scrapers.parse.attachments import check_archive, docx_document, pdf_document
from scrapers.parse.docshare import is_docshare_page, parse_docshare
from scrapers.parse.errors import ParseError
from scrapers.parse.html_text import soup_of
from scrapers.parse.office import ole2_kind, word97_document, workbook_document
from scrapers.parse.plaintext import parse_plaintext
from warehouse.landing.records import ParsedDocument

__all__ = ["SUPPORTED_SUFFIXES", "ParseError", "parse_content", "sniff"]

SUPPORTED_SUFFIXES = {
    *(".txt", ".html", ".htm", ".shtml"),
    *(".pdf", ".docx", ".doc", ".wps"),
    *(".xls", ".xlsx", ".et", ".ods"),
}
_HTML_START = re.compile(r"<(?:!doctype|html|head|body|div|p|table|meta)\b", re.I)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_SUFFIXES = {".doc", ".wps"}
_WORKBOOK_SUFFIXES = {".xls", ".xlsx", ".et", ".ods"}
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def sniff(body: bytes) -> str:
    """What the bytes are, whatever the name or Content-Type claims: pdf, docx, xlsx, ods, ole2, zip or text."""
    if body.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if body.startswith(_OLE2):
        return "ole2"
    if body.startswith(b"PK") and zipfile.is_zipfile(io.BytesIO(body)):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and archive.read("mimetype").startswith(_ODS_MIMETYPE):
                return "ods"
            return "zip"
    return "text"


def _binary_document(body: bytes, kind: str, suffix: str, name: str) -> ParsedDocument | None:
    """The document of a PDF, Office file or workbook; None for text (a page or a plain-text file)."""
    if kind == "pdf":
        return pdf_document(body)
    if kind == "docx":
        return docx_document(body)
    if suffix == ".pdf":
        raise ParseError("not_pdf", f"{name} is named as a PDF but its content is not a PDF")
    if suffix == ".docx":
        raise ParseError("bad_docx", f"{name} is named as a DOCX but its content is not one")
    if kind in ("xlsx", "ods"):
        check_archive(body, kind.upper())
        return workbook_document(body, kind)
    if kind == "ole2":
        return _ole2_document(body, suffix)
    if kind == "zip":
        raise ParseError("unsupported_type", "a ZIP archive is no document; attach its files one by one")
    if suffix in _WORKBOOK_SUFFIXES | _WORD_SUFFIXES:
        what = "workbook" if suffix in _WORKBOOK_SUFFIXES else "doc"
        raise ParseError(f"bad_{what}", f"{name} is named as a {suffix} file but its content is not one (truncated?)")
    return None


def _ole2_document(body: bytes, suffix: str) -> ParsedDocument:
    """Word 97 (.doc, .wps) or a BIFF workbook (.xls, .et): an OLE2 compound file says which by its streams."""
    kind = ole2_kind(body)
    if kind == "word":
        return word97_document(body)
    if kind == "workbook":
        return workbook_document(body, "xls")
    if kind == "encrypted":
        raise ParseError("encrypted_office", "the Office file is encrypted with a password")
    if suffix in _WORKBOOK_SUFFIXES | _WORD_SUFFIXES:
        what = "workbook" if suffix in _WORKBOOK_SUFFIXES else "doc"
        raise ParseError(f"bad_{what}", f"the {suffix} file's directory names no {what} stream (truncated?)")
    raise ParseError("unsupported_type", "an OLE2 file that is neither a Word document nor a workbook")


def parse_content(
    body: bytes, content_type: str = "", name: str = "", url: str = ""
) -> tuple[ParsedDocument, str | None]:
    """Parse any supported page or file. Returns (document, text encoding or None for binary formats)."""
    if not body.strip():
        raise ParseError("empty", "no content (zero bytes)")
    kind = sniff(body)
    suffix = PurePosixPath(name.split("?")[0]).suffix.lower()
    document = _binary_document(body, kind, suffix, name or url)
    if document is not None:
        return document, None
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
