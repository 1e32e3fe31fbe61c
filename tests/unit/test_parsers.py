"""Each parser on saved pages: the mirror's JCMS/JPaaS/doc-sharing pages and a hand-made TRS variant."""

import io

import pytest

from scrapers.parse import ParseError, parse_content, sniff
from scrapers.parse.article import parse_article
from scrapers.parse.attachments import docx_document, pdf_document, reflow
from scrapers.parse.docshare import rejoin_chunks, strip_chunk_numbers
from scrapers.registry import ColumnRef, Source
from scrapers.sites.hanweb_jcms import proxy_form, records
from scrapers.sites.listing import parse_list_items
from tests.conftest import page


def html(name):
    return page(name).decode("utf-8")


# --- article pages ---------------------------------------------------------------------------------
def test_jcms_article_metadata_and_clean_body():
    doc = parse_article(html("jcms_article.html"), "http://site/art/2025/1/22/art_1_2.html")
    assert doc.title == "舟山市民政局2024年工作总结和2025年工作思路"
    assert doc.published_at == "2025-01-22"
    assert doc.index_no == "001008009005009/2025-00100"
    assert doc.publisher == "舟山市民政局"
    assert doc.column_name == "工作计划与总结"
    assert doc.text.startswith("2024年以来")
    assert "户外结婚登记颁证基地15个" in doc.text
    for chrome in ("无障碍浏览", "当前位置", "分享到", "浙ICP备", "打印本页", "document.write"):
        assert chrome not in doc.text


def test_attachment_links_are_absolute_and_named():
    doc = parse_article(html("jcms_article_with_attachment.html"), "http://hz.example/art/2024/4/28/art_1_2.html")
    assert len(doc.attachments) == 1
    link = doc.attachments[0]
    assert link.url.startswith("http://hz.example/module/download/downfile.jsp?classid=0&filename=")
    assert link.name == "2024年全市民政工作要点.pdf"


def test_jpaas_article():
    doc = parse_article(html("jpaas_article.html"), "http://wz/col/col1/art/2025/art_x.html")
    assert doc.publisher == "温州市民政局"
    assert "发放民政救助资金5.68亿元" in doc.text
    assert doc.published_at == "2025-06-21"


def test_trs_variant_with_labels_in_cells_and_tables_in_the_body():
    doc, encoding = parse_content(page("trs_editor_variant.html"), "text/html", url="http://x.gov.cn/art/1.html")
    assert encoding == "gb18030"
    assert doc.title == "某县民政局2023年工作总结"
    assert doc.index_no == "11330000MB1234567X/2024-00012"
    assert doc.publisher == "某县民政局"
    assert doc.published_at == "2024-01-18"
    assert doc.written_at == "2024-01-15"
    assert "低保对象（人） | 5321 | 5108" in doc.text.splitlines()
    assert "备注 | 数据截至12月底" in doc.text.splitlines()
    assert "办事指南" not in doc.text
    assert [a.name for a in doc.attachments] == ["2023年工作总结.docx"]


def test_malformed_html_still_yields_the_report():
    doc, _ = parse_content(page("trouble_malformed.html"), "text/html", url="http://t/a.html")
    assert "新增养老机构床位120张" in doc.text


@pytest.mark.parametrize("body", [b"", b"   \n  "])
def test_empty_pages_are_a_parse_error(body):
    with pytest.raises(ParseError) as error:
        parse_content(body, "text/html")
    assert error.value.kind == "empty"


# --- list pages ------------------------------------------------------------------------------------
def test_jcms_column_page_records_and_proxy_link():
    column_page = html("jcms_column.html")
    entries = records(column_page, "http://zs", "工作计划与总结")
    assert len(entries) == 15
    assert all(e.url.startswith("http://zs/art/") and e.date for e in entries)
    assert any("2024年工作总结" in e.title for e in entries)
    source = Source(
        id="s",
        publisher="舟山市民政局",
        region="舟山市",
        adapter="hanweb_jcms",
        base_url="http://zs",
        site={"webid": 1, "unitid": 2},
    )
    url, form = proxy_form(source, ColumnRef(1229282406), column_page)
    assert url == "http://zs/module/web/jpage/dataproxy.jsp"
    assert form["columnid"] == "1229282406" and form["unitid"] == "7254869" and form["webid"] == "3177"


def test_jcms_dataproxy_records():
    entries = records(page("jcms_dataproxy.xml").decode(), "http://zs", "")
    assert len(entries) == 15


def test_jpaas_list_json():
    import json

    payload = json.loads(page("jpaas_list_page1.json"))
    entries = parse_list_items(payload["data"]["html"], "http://wz", "计划总结")
    assert len(entries) == 15
    assert all("/art/" in e.url and e.url.endswith(".html") for e in entries)


# --- document-sharing pages ------------------------------------------------------------------------
def test_docshare_chunks_rejoined_and_tables_kept():
    doc, _ = parse_content(page("docshare_plan.html"), "text/html; charset=utf-8", url="http://d/p-1.html")
    assert doc.format == "docshare"
    assert doc.title == "舟山市民政事业发展“十四五”规划"
    # "推进分层" | "分类救助" and "…对象" | "17007人" were cut by chunk breaks
    assert "推进分层分类救助制度改革,精准识别低保、低边对象17007人" in doc.text
    lines = doc.text.splitlines()
    assert "1 | 城乡居民最低生活保障标准(元/年) | 9720 | 11000 | 14000 | 预期性" in lines
    assert "2 | 福利彩票年销售量(亿元) | 2.98 | 2 | 1.55" in lines
    assert "会员分享" not in doc.text and "下载文档" not in doc.text


def test_chunk_numbers_only_stripped_when_consecutive():
    assert strip_chunk_numbers(["1、甲", "2、乙"]) == ["甲", "乙"]
    assert strip_chunk_numbers(["1、甲", "3、乙"]) is None
    assert rejoin_chunks(["低保标准提高至8", "10元/月"]) == "低保标准提高至810元/月"


# --- attachments -------------------------------------------------------------------------------------
def _pdf(lines_per_page, encrypt=None):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    for lines in lines_per_page:
        pdf.setFont("STSong-Light", 11)
        for row, line in enumerate(lines):
            pdf.drawString(60, 800 - 13 * row, line)
        pdf.showPage()
    pdf.save()
    body = buffer.getvalue()
    if encrypt:
        import pypdf

        reader, writer = pypdf.PdfReader(io.BytesIO(body)), pypdf.PdfWriter()
        for p in reader.pages:
            writer.add_page(p)
        writer.encrypt(user_password=encrypt, owner_password=encrypt + "-owner")
        out = io.BytesIO()
        writer.write(out)
        body = out.getvalue()
    return body


def test_pdf_text_with_a_number_cut_by_a_page_break_made_whole():
    first = ["全市民政系统围绕中心工作，聚焦民生保障，持续推进各项改革，取得明", "显成效。全年新增养老机构床位5"]
    second = ["61张，建成老年食堂15个。"]
    # the last line of page one is as long as the page's longest line: it was wrapped by the page width
    first[1] = first[1] + "……" * ((len(first[0]) - len(first[1])) // 2)
    doc = pdf_document(_pdf([first, second]))
    assert doc.format == "pdf"
    assert "取得明显成效" in doc.text


def test_reflow_keeps_short_lines_and_sentence_ends():
    lines = ["一二三四五六七八九十", "一二三四五六七八九十", "结尾。", "新段落"]
    assert reflow(lines) == ["一二三四五六七八九十一二三四五六七八九十结尾。", "新段落"]


def test_encrypted_pdf_is_a_clear_parse_error():
    with pytest.raises(ParseError) as error:
        pdf_document(_pdf([["低保标准"]], encrypt="secret"))
    assert error.value.kind == "encrypted_pdf"


def test_pdf_that_is_not_a_pdf():
    with pytest.raises(ParseError) as error:
        parse_content(b"<html>login required</html>", "application/pdf", name="report.pdf")
    assert error.value.kind == "not_pdf"


def test_docx_paragraphs_and_tables_in_order():
    import docx

    document = docx.Document()
    document.add_paragraph("一、社会救助")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [["指标", "2023年", "2024年"], ["低保对象(人)", "5321", "5108"]]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("二、养老服务")
    buffer = io.BytesIO()
    document.save(buffer)
    doc = docx_document(buffer.getvalue())
    assert doc.text.splitlines() == [
        "一、社会救助",
        "指标 | 2023年 | 2024年",
        "低保对象(人) | 5321 | 5108",
        "二、养老服务",
    ]


def test_sniff_ignores_names_and_trusts_bytes():
    assert sniff(b"%PDF-1.7 ...") == "pdf"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest") == "ole2"
    assert sniff("低保".encode()) == "text"


def test_an_ole2_file_that_is_neither_word_nor_a_workbook_is_unsupported():
    with pytest.raises(ParseError) as error:
        parse_content(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, name="old.msg")
    assert error.value.kind == "unsupported_type"
    assert "neither a Word document nor a workbook" in str(error.value)
