from scrapers.encoding import decode_bytes
from tests.conftest import page

TEXT = "<html><body><p>全市低保标准提高至每人每月1190元，新增养老机构床位561张。</p></body></html>"


def test_header_charset_wins():
    text, encoding = decode_bytes(TEXT.encode("utf-8"), "text/html; charset=UTF-8")
    assert (text, encoding) == (TEXT, "utf-8")


def test_gbk_page_without_any_declaration_is_detected():
    text, encoding = decode_bytes(TEXT.encode("gbk"), "text/html")
    assert text == TEXT
    assert encoding == "gb18030"


def test_meta_gb2312_is_widened_to_gb18030():
    # 镕 is in GBK but not in GB2312: pages labelled gb2312 contain such characters all the time.
    html = '<meta charset="gb2312"><p>朱镕基</p>'
    text, encoding = decode_bytes(html.encode("gbk"))
    assert "朱镕基" in text and encoding == "gb18030"


def test_declared_charset_contradicted_by_bytes_is_not_trusted():
    text, _ = decode_bytes(TEXT.encode("gbk"), "text/html; charset=utf-8")
    assert text == TEXT


def test_bom_is_honoured_and_removed():
    text, encoding = decode_bytes("\ufeff低保".encode("utf-8"))
    assert text == "低保" and encoding == "utf-8-sig"


def test_saved_gbk_page_from_the_mirror_decodes():
    text, encoding = decode_bytes(page("trouble_gbk_no_charset.html"), "text/html")
    assert encoding == "gb18030"
    assert "低保标准提高至每人每月900元" in text


def test_empty_bytes_decode_to_empty_text():
    assert decode_bytes(b"")[0] == ""
