"""Text of attached files: PDF (pypdf; scans by OCR, scrapers/parse/ocr.py) and DOCX (python-docx), tables kept
as rows of cells.

A file is not trusted to be small inside: an archive's members are counted and their unpacked sizes summed
before anything is unpacked (a 1 MB DOCX may unpack to 1 GiB), a PDF's pages are counted, and the text is
read against a time budget; each limit is a quarantine reason."""

from __future__ import annotations

import io
import time
import zipfile

from scrapers.parse.errors import ParseError
from scrapers.parse.html_text import CELL_SEPARATOR, clean_lines
from scrapers.parse.ocr import ocr_pages
from warehouse.landing.records import ParsedDocument

_SENTENCE_END = tuple("。；;：:！!？?”」』）)")
FULL_LINE_SHARE = 0.85
MAX_ARCHIVE_MEMBERS = 5_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all members together
MAX_MAIN_PART_BYTES = 32 * 1024 * 1024  # word/document.xml: a 500-page report is ~15 MB of XML
MAX_BLOCKS = 200_000  # paragraphs and table rows of a DOCX
MAX_PDF_PAGES = 2_000
PARSE_SECONDS = 60.0


class _Budget:
    """Time left for one file's text; checked between pages and paragraphs."""

    def __init__(self, what: str, seconds: float = PARSE_SECONDS):
        self.what, self.deadline = what, time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise ParseError("parse_timeout", f"reading the {self.what} took more than {PARSE_SECONDS:.0f} s")


def check_archive(body: bytes, what: str, main_part: str | None = None) -> None:
    """Member count and unpacked sizes of a ZIP-based file (DOCX, XLSX, …), from its directory only."""
    try:
        members = zipfile.ZipFile(io.BytesIO(body)).infolist()
    except zipfile.BadZipFile as exc:
        raise ParseError(f"bad_{what.lower()}", f"the {what} is not a readable ZIP package: {exc}") from exc
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise ParseError("archive_limits", f"the {what} holds {len(members)} parts (more than {MAX_ARCHIVE_MEMBERS})")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ParseError(
            "archive_limits",
            f"the {what} unpacks to {unpacked:,} bytes (more than {MAX_UNPACKED_BYTES:,}: a ZIP bomb or no report)",
        )
    main = next((member for member in members if member.filename == main_part), None)
    if main is not None and main.file_size > MAX_MAIN_PART_BYTES:
        raise ParseError(
            "archive_limits",
            f"the {what}'s {main_part} unpacks to {main.file_size:,} bytes (more than {MAX_MAIN_PART_BYTES:,})",
        )


def reflow(lines: list[str]) -> list[str]:
    """Undo a PDF's line wrapping: a line as long as the longest ones on its page was cut by
    the page width, not ended by the author, so it runs on into the next line."""
    longest = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    carry = ""
    for line in lines:
        carry += line
        wrapped = longest and len(line) >= FULL_LINE_SHARE * longest and not line.endswith(_SENTENCE_END)
        if not wrapped:
            paragraphs.append(carry)
            carry = ""
    if carry:
        paragraphs.append(carry)
    return paragraphs


def pdf_document(body: bytes) -> ParsedDocument:
    import pypdf
    from pypdf.errors import PdfReadError

    if not body.lstrip()[:5] == b"%PDF-":
        raise ParseError("not_pdf", "the file is named or served as a PDF but is not one")
    budget = _Budget("PDF")
    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ParseError("encrypted_pdf", "the PDF is encrypted with a password")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ParseError("pdf_limits", f"the PDF has {len(reader.pages)} pages (more than {MAX_PDF_PAGES})")
        page_lines = []
        for page in reader.pages:
            budget.check()
            page_lines.append([line.strip() for line in (page.extract_text() or "").splitlines() if line.strip()])
    except ParseError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        if "decrypt" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ParseError("encrypted_pdf", f"the PDF is encrypted: {exc}") from exc
        raise ParseError("bad_pdf", f"the PDF cannot be read: {exc}") from exc
    # Reflow across page breaks too: a number cut at the bottom of a page is whole again.
    text, format_name = "\n".join(reflow([line for lines in page_lines for line in lines])), "pdf"
    if not text.strip():  # a scan: its pages are images; the raw layer records it as OCR text (format pdf_ocr)
        text, format_name = ocr_pages(reader.pages), "pdf_ocr"
    title = (reader.metadata.title if reader.metadata and reader.metadata.title else "") or ""
    return ParsedDocument(format=format_name, text=clean_lines(text), title=str(title))


def docx_document(body: bytes) -> ParsedDocument:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if not zipfile.is_zipfile(io.BytesIO(body)):
        raise ParseError("bad_docx", "the file is named or served as a DOCX but is not one")
    check_archive(body, "DOCX", main_part="word/document.xml")
    budget = _Budget("DOCX")
    try:
        document = docx.Document(io.BytesIO(body))
    except Exception as exc:  # python-docx raises several unrelated types for a broken package
        raise ParseError("bad_docx", f"the DOCX cannot be read: {exc}") from exc
    budget.check()
    lines = []
    for number, child in enumerate(document.element.body.iterchildren()):
        if number >= MAX_BLOCKS:
            raise ParseError("archive_limits", f"the DOCX has more than {MAX_BLOCKS:,} paragraphs and tables")
        if number % 1000 == 0:
            budget.check()
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = [cell.text.strip().replace("\n", " ") for cell in row.cells]
                lines.append(CELL_SEPARATOR.join(cells))
    text = clean_lines("\n".join(lines))
    if not text:
        raise ParseError("no_text", "the DOCX has no text")
    return ParsedDocument(format="docx", text=text, title=document.core_properties.title or "")
