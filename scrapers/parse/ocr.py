"""Text of a scanned PDF (pages that are images, no text layer) by Tesseract OCR, simplified Chinese.

Tesseract and its chi_sim data come from Debian (tesseract-ocr, tesseract-ocr-chi-sim; `make install`); without
them a scan is quarantined with that advice instead of landing with no text. The page images are taken out of
the PDF as they are stored (pypdf), so nothing is re-rendered."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from scrapers.parse.errors import ParseError

LANGUAGE = "chi_sim"
SECONDS_PER_PAGE = 60.0
# Tesseract puts a space between Chinese characters; a number stays apart from the next only by a real space
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_SPACE_IN_CHINESE = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")
NO_OCR = "scanned PDF, no text layer; install tesseract (tesseract-ocr and tesseract-ocr-chi-sim) to OCR it"


def ocr_available() -> str | None:
    """Why OCR cannot run here, or None when it can."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return NO_OCR
    languages = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    if LANGUAGE not in languages.stdout.split():
        return f"scanned PDF, no text layer; Tesseract has no {LANGUAGE} data: install tesseract-ocr-chi-sim"
    return None


def ocr_pages(pages) -> str:
    """The OCR text of the pages' images, page after page, within SECONDS_PER_PAGE a page."""
    deadline = time.monotonic() + SECONDS_PER_PAGE * max(len(pages), 1)
    missing = ocr_available()
    if missing:
        raise ParseError("scanned_pdf", missing)
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="minzheng-ocr-") as work:
        for number, page in enumerate(pages):
            for index, image in enumerate(page.images):
                if time.monotonic() > deadline:
                    raise ParseError("parse_timeout", "OCR of the scanned PDF took longer than its time budget")
                path = Path(work) / f"page{number}-{index}{Path(image.name).suffix or '.png'}"
                path.write_bytes(image.data)
                lines += _recognise(path, deadline)
    text = "\n".join(line for line in lines if line.strip())
    if not text:
        raise ParseError("no_text", "the scanned PDF's pages gave no text to OCR")
    return text


def _recognise(image: Path, deadline: float) -> list[str]:
    try:
        result = subprocess.run(
            ["tesseract", str(image), "stdout", "-l", LANGUAGE, "--psm", "6"],
            capture_output=True,
            text=True,
            timeout=max(1.0, min(SECONDS_PER_PAGE, deadline - time.monotonic())),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ParseError("parse_timeout", "OCR of a page took longer than its time budget") from exc
    if result.returncode != 0:
        raise ParseError("bad_pdf", f"OCR failed on a page image: {result.stderr.strip()[:300]}")
    return [_SPACE_IN_CHINESE.sub("", line).strip() for line in result.stdout.splitlines()]
