import pytest

from scrapers.parse import parse_content
from scrapers.parse.html_text import element_text, soup_of


def test_tables_become_rows_of_cells_never_joined_digits():
    html = (
        "<div><p>主要指标</p><table><tr><td>低保标准(元/年)</td><td>9720</td><td>11000</td><td>14000</td></tr>"
        "<tr><td>康养联合体数(个)</td><td>4</td><td>10</td></tr></table><p>完</p></div>"
    )
    text = element_text(soup_of(html).div)
    assert text.splitlines() == [
        "主要指标",
        "低保标准(元/年) | 9720 | 11000 | 14000",
        "康养联合体数(个) | 4 | 10",
        "完",
    ]
    assert "97201100014000" not in text


def test_scripts_styles_and_forms_are_dropped_paragraphs_kept():
    html = (
        "<div><script>var x=1;</script><style>p{}</style><p>第一段</p>"
        "<form><input value='搜索'></form><p>第二段<br>换行</p></div>"
    )
    assert element_text(soup_of(html).div).splitlines() == ["第一段", "第二段", "换行"]


def test_nested_tables_are_not_duplicated():
    html = "<div><table><tr><td>外</td><td><table><tr><td>内1</td><td>内2</td></tr></table></td></tr></table></div>"
    text = element_text(soup_of(html).div)
    assert text.count("内1") == 1


def test_whitespace_and_full_width_spaces_are_normalised():
    html = "<div><p>\u3000\u3000全市  共有\u00a0养老机构86家。 </p></div>"
    assert element_text(soup_of(html).div) == "全市 共有 养老机构86家。"


@pytest.mark.parametrize("depth", [5_000, 50_000])
def test_a_page_of_deeply_nested_divs_is_read(depth):
    """Issue 34 (9): the walk was recursive, so 5,000 nested <div>s were a RecursionError and a quarantined page."""
    body = "<div>" * depth
    body += "<p>全市低保标准提高到每人每月810元。</p><table><tr><td>床位</td><td>1560</td></tr></table>"
    html = f"<html><head><title>深层嵌套的页面</title></head><body>{body}{'</div>' * depth}</body></html>"
    document, _ = parse_content(html.encode(), "text/html", "deep.html", "http://mzj.example.gov.cn/deep.html")
    assert document.text.splitlines() == ["全市低保标准提高到每人每月810元。", "床位 | 1560"]
    assert document.title == "深层嵌套的页面"


def test_deeply_nested_inline_markup_is_one_line():
    html = "<div><p>" + "<span>" * 20_000 + "养老机构86家" + "</span>" * 20_000 + "，床位1560张。</p></div>"
    assert element_text(soup_of(html).div) == "养老机构86家，床位1560张。"


def test_tables_nested_thousands_deep_are_read_as_blocks_past_twenty():
    html = "<div>" + "<table><tr><td>" * 3_000 + "床位1560张" + "</td></tr></table>" * 3_000 + "</div>"
    assert element_text(soup_of(html).div) == "床位1560张"
