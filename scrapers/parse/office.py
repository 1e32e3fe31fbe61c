"""Text of the Office files bureaus attach besides PDF and DOCX: Word 97 documents (.doc, and WPS Writer's .wps,
an OLE2 Word file inside) through antiword, and workbooks (.xls, .xlsx, WPS Spreadsheets' .et, .ods) through
calamine, each sheet's rows as `cell | cell` lines.

antiword rather than LibreOffice: one small Debian package (LibreOffice headless is ~400 MB and seconds per
file), it writes UTF-8 and keeps a table's rows as `|cell |cell |` lines, which become our cell rows.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile

from scrapers.parse.errors import ParseError
from scrapers.parse.html_text import CELL_SEPARATOR, clean_lines
from warehouse.landing.records import ParsedDocument

PARSE_SECONDS = 60.0
MAX_SHEET_CELLS = 2_000_000
# OLE2 directory entries are UTF-16LE names: which streams a compound file holds says what it is
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_WORKBOOK_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))


def ole2_kind(body: bytes) -> str:
    """word | workbook | encrypted | unknown, from the names in an OLE2 file's directory."""
    if any(name in body for name in _ENCRYPTED_STREAMS):
        return "encrypted"
    if _WORD_STREAM in body:
        return "word"
    if any(name in body for name in _WORKBOOK_STREAMS):
        return "workbook"
    return "unknown"


def word97_document(body: bytes) -> ParsedDocument:
    antiword = shutil.which("antiword")
    if antiword is None:
        raise ParseError("tool_missing", "a Word 97 (.doc/.wps) file needs antiword: apt-get install antiword")
    with tempfile.NamedTemporaryFile(suffix=".doc") as handle:
        handle.write(body)
        handle.flush()
        try:
            result = subprocess.run(
                [antiword, "-m", "UTF-8.txt", "-w", "0", handle.name],
                capture_output=True,
                timeout=PARSE_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ParseError("parse_timeout", f"reading the Word file took more than {PARSE_SECONDS:.0f} s") from exc
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", errors="replace").strip()[:300]
        kind = "encrypted_doc" if "encrypt" in message.lower() else "bad_doc"
        raise ParseError(kind, f"the Word file cannot be read: {message or 'antiword failed'}")
    text = clean_lines("\n".join(_cells(line) for line in result.stdout.decode("utf-8", errors="replace").splitlines()))
    if not text:
        raise ParseError("no_text", "the Word file has no text")
    return ParsedDocument(format="doc", text=text)


def _cells(line: str) -> str:
    """antiword's table row `|指标   |单位 |2024年 |` → `指标 | 单位 | 2024年`."""
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        return CELL_SEPARATOR.join(cell.strip() for cell in stripped[1:-1].split("|"))
    return line


def workbook_document(body: bytes, format_name: str) -> ParsedDocument:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(body))
        sheets = [workbook.get_sheet_by_name(name) for name in workbook.sheet_names]
    except Exception as exc:  # calamine raises its own error types for broken and password-protected files
        locked = "password" in str(exc).lower() or "encrypt" in str(exc).lower()
        kind = "encrypted_workbook" if locked else "bad_workbook"
        raise ParseError(kind, f"the workbook cannot be read: {exc}") from exc
    lines: list[str] = []
    for sheet in sheets:
        if sheet.height * sheet.width > MAX_SHEET_CELLS:
            raise ParseError("workbook_limits", f"sheet {sheet.name} has {sheet.height * sheet.width:,} cells")
        rows = sheet_rows(sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or [], sheet.start or (0, 0))
        if rows:
            lines.append(sheet.name)
            lines += rows
    text = clean_lines("\n".join(lines))
    if not text:
        raise ParseError("no_text", "the workbook has no text")
    return ParsedDocument(format=format_name, text=text)


def sheet_rows(values: list[list], merged: list, start: tuple[int, int] = (0, 0)) -> list[str]:
    """A sheet's rows as `cell | cell` lines. A merged cell's value is carried into every cell it covers
    (a 2024年 over 单位 and 数值 heads both); one that spans the whole row is a caption, written once."""
    grid = [[_cell_text(value) for value in row] for row in values]
    width = max((len(row) for row in grid), default=0)
    captions: set[int] = set()
    for (top, left), (bottom, right) in merged:
        top, bottom, left, right = top - start[0], bottom - start[0], left - start[1], right - start[1]
        if not (0 <= top < len(grid) and 0 <= left < len(grid[top])):
            continue
        if top == bottom and left == 0 and right >= width - 1:
            captions.add(top)
            continue
        value = grid[top][left]
        for row_at in range(top, min(bottom, len(grid) - 1) + 1):
            for column in range(left, min(right, len(grid[row_at]) - 1) + 1):
                grid[row_at][column] = value
    lines = []
    for number, row in enumerate(grid):
        while row and not row[-1]:
            row = row[:-1]
        if not any(row):
            continue
        lines.append(row[0] if number in captions else CELL_SEPARATOR.join(row))
    return lines


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()
