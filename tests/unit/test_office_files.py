"""The attachment formats bureaus use besides PDF and DOCX: Word 97 (.doc, WPS .wps), workbooks (.xls, .xlsx,
WPS .et) and scanned PDFs (OCR). Fixtures: tests/fixtures/attachments (made by its make_fixtures.sh from our own
sentences) and a scan drawn here."""

from pathlib import Path

import pytest

from scrapers.parse import ParseError, parse_content
from scrapers.parse.ocr import NO_OCR, ocr_available

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "attachments"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def parse(name: str, body: bytes | None = None):
    document, encoding = parse_content(body if body is not None else (FIXTURES / name).read_bytes(), name=name)
    assert encoding is None
    return document


@pytest.mark.parametrize("name", ["report.doc", "report.wps"])
def test_a_word_97_file_gives_its_paragraphs_and_table_rows(name):
    document = parse(name)
    assert document.format == "doc"
    lines = document.text.splitlines()
    assert "2024年，全市城乡低保标准提高到每人每月1020元，全年发放低保金1.5亿元。" in lines
    assert "养老机构床位 | 张 | 5200" in lines and "指标 | 单位 | 2024年" in lines


@pytest.mark.parametrize(
    ("name", "format_name"), [("statistics.xls", "xls"), ("statistics.xlsx", "xlsx"), ("statistics.et", "xls")]
)
def test_a_workbook_gives_each_row_with_merged_headers_carried(name, format_name):
    document = parse(name)
    assert document.format == format_name
    assert document.text.splitlines() == [
        "Sheet1",
        "示例市2024年民政统计数据",  # merged across the whole row: a caption, written once
        "指标 | 2024年 | 2024年",  # 2024年 merged over the two columns under it
        "| 单位 | 数值",
        "城市低保人数 | 人 | 12345",  # whole numbers without .0
        "农村低保人数 | 人 | 23456",
        "城市低保标准 | 元/月 | 1020",
    ]


@pytest.mark.parametrize(
    ("name", "cut", "kind"),
    [
        ("report.doc", 3000, "bad_doc"),
        ("statistics.xlsx", 2000, "bad_workbook"),
        ("statistics.xls", 3000, "bad_workbook"),
    ],
)
def test_a_truncated_office_file_is_a_parse_error(name, cut, kind):
    with pytest.raises(ParseError) as error:
        parse(name, (FIXTURES / name).read_bytes()[:cut])
    assert error.value.kind == kind


def test_an_encrypted_office_file_is_named_so():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64
    with pytest.raises(ParseError) as error:
        parse("locked.xlsx", ole2)
    assert error.value.kind == "encrypted_office"


def test_without_antiword_a_word_file_says_what_to_install(monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(ParseError) as error:
        parse("report.doc")
    assert error.value.kind == "tool_missing" and "antiword" in str(error.value)


@pytest.fixture
def scanned_pdf(tmp_path) -> bytes:
    if not CJK_FONT.exists():
        pytest.skip("no CJK font (fonts-wqy-zenhei, which `make test` installs) to draw the scan with")
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(CJK_FONT), 36)
    image = Image.new("L", (1400, 320), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(
        ["示例县民政局2024年工作总结", "全县城乡低保标准提高到每人每月980元。", "新增养老机构床位320张。"]
    ):
        draw.text((40, 40 + 90 * row), line, font=font, fill=0)
    path = tmp_path / "scan.pdf"
    image.save(path, "PDF", resolution=150)  # one page that is only an image: no text layer
    return path.read_bytes()


def test_a_scanned_pdf_is_read_by_ocr_and_marked_so(scanned_pdf):
    missing = ocr_available()
    if missing:
        pytest.skip(missing)
    document = parse("scan.pdf", scanned_pdf)
    assert document.format == "pdf_ocr"
    assert "全县城乡低保标准提高到每人每月980元。" in document.text.splitlines()


def test_without_tesseract_a_scan_is_quarantined_with_the_advice(scanned_pdf, monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(ParseError) as error:
        parse("scan.pdf", scanned_pdf)
    assert error.value.kind == "scanned_pdf" and str(error.value) == NO_OCR
