"""Text of attached files: PDF (pypdf) and DOCX (python-docx), tables kept as rows of cells."""

from __future__ import annotations

import io
import zipfile

from scrapers.parse.document import ParsedDocument, ParseError
from scrapers.parse.html_text import CELL_SEPARATOR, clean_lines

_SENTENCE_END = tuple("。；;：:！!？?”」』）)")
FULL_LINE_SHARE = 0.85


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
    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ParseError("encrypted_pdf", "the PDF is encrypted with a password")
        page_lines = [
            [line.strip() for line in (page.extract_text() or "").splitlines() if line.strip()]
            for page in reader.pages
        ]
    except ParseError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        if "decrypt" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ParseError("encrypted_pdf", f"the PDF is encrypted: {exc}") from exc
        raise ParseError("bad_pdf", f"the PDF cannot be read: {exc}") from exc
    # Reflow across page breaks too: a number cut at the bottom of a page is whole again.
    text = "\n".join(reflow([line for lines in page_lines for line in lines]))
    if not text.strip():
        raise ParseError("no_text", "the PDF has no extractable text (a scan needs OCR)")
    title = (reader.metadata.title if reader.metadata and reader.metadata.title else "") or ""
    return ParsedDocument(format="pdf", text=clean_lines(text), title=str(title))


def docx_document(body: bytes) -> ParsedDocument:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if not zipfile.is_zipfile(io.BytesIO(body)):
        raise ParseError("bad_docx", "the file is named or served as a DOCX but is not one")
    try:
        document = docx.Document(io.BytesIO(body))
    except Exception as exc:  # python-docx raises several unrelated types for a broken package
        raise ParseError("bad_docx", f"the DOCX cannot be read: {exc}") from exc
    lines = []
    for child in document.element.body.iterchildren():
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
