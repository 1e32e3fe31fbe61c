"""Metadata from the headers plain-text copies carry, in each of the shapes the seeds show."""

import pytest

from scrapers.parse.plaintext import parse_plaintext
from tests.conftest import FIXTURES

SEEDS = FIXTURES.parent.parent / "data" / "seeds"


def seed(name):
    return parse_plaintext((SEEDS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "name, expected",
    [
        (
            "000_c62b87d9ede609d7.txt",
            {"index_no": "001008009005009/2025-00100", "publisher": "市民政局", "published_at": "2025-01-22"},
        ),
        (
            "001_e56da56907128640.txt",
            {
                "index_no": "002564280/2024-00043",
                "publisher": "湖州市民政局",
                "published_at": "2024-04-28",
                "written_at": "2024-04-28",
                "title": "湖州市民政局关于印发《2024年全市民政工作要点》的通知",
            },
        ),
        (
            "002_de7a5c5b853a32a4.txt",
            {
                "index_no": "1133028241969155XE/2022-154826",
                "publisher": "市民政局",
                "published_at": "2022-03-30",
                "title": "市民政局2021年工作总结",
            },
        ),
        (
            "003_964adb30ad5d0ead.txt",
            {
                "index_no": "001008003015009/2025-00104",
                "publisher": "温州市民政局",
                "written_at": "2025-06-21",
                "topic": "计划总结",
            },
        ),
        ("004_66b1147c1cebaaf5.txt", {"title": "舟山市民政事业发展“十四五”规划"}),
    ],
)
def test_seed_headers(name, expected):
    doc = seed(name)
    for field, value in expected.items():
        assert getattr(doc, field) == value, field


def test_doc_share_copy_is_rejoined():
    doc = seed("004_66b1147c1cebaaf5.txt")
    assert "推进分层分类救助制度改革" in doc.text
    assert "\n2、" not in doc.text


def test_labels_on_one_line_with_pipes():
    doc = parse_plaintext("索引号 | 11330000/2024-001 | 发布机构 | 某市民政局 |\n成文日期 | 2024-02-03 |\n正文")
    assert (doc.index_no, doc.publisher, doc.written_at) == ("11330000/2024-001", "某市民政局", "2024-02-03")


def test_text_without_header_still_parses():
    doc = parse_plaintext("今年全市低保标准提高至每人每月1000元。")
    assert doc.text == "今年全市低保标准提高至每人每月1000元。" and doc.publisher == ""
