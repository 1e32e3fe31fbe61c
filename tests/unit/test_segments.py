"""Segmentation with offsets, headings, and tables whose cells were run together."""

from warehouse.transform.extraction.flat_tables import find_flat_tables, split_digits
from warehouse.transform.extraction.segments import split_segments
from warehouse.transform.extraction.vertical_tables import find_vertical_tables


def test_sentences_and_table_rows_with_offsets_and_headings():
    text = (
        "一、2024年工作总结\n全市共有养老机构86家。新增床位561张；\n"
        "指标 | 2023年 | 2024年\n低保对象(人) | 5321 | 5108\n二、2025年工作思路\n力争新增床位300张。"
    )
    segments = split_segments(text)
    assert [(s.kind, s.text) for s in segments] == [
        ("sentence", "一、2024年工作总结"),
        ("sentence", "全市共有养老机构86家。"),
        ("sentence", "新增床位561张；"),
        ("table_row", "指标 | 2023年 | 2024年"),
        ("table_row", "低保对象(人) | 5321 | 5108"),
        ("sentence", "二、2025年工作思路"),
        ("sentence", "力争新增床位300张。"),
    ]
    assert all(text[s.start : s.end] == s.text for s in segments)
    assert segments[1].heading1 == "2024年工作总结" and segments[-1].heading1 == "2025年工作思路"
    assert {s.table_no for s in segments if s.kind == "table_row"} == {1}


def test_a_line_without_full_stops_is_cut_into_bounded_segments():
    segments = split_segments("字" * 500_000)
    assert len(segments) == 1250 and max(len(s.text) for s in segments) == 400


def test_digit_runs_split_by_closest_magnitudes():
    assert split_digits("97201100014000", 3, None) == (("9720", "11000", "14000"), 14)
    assert split_digits("1050100", 3, None) == (("10", "50", "100"), 7)
    assert split_digits("011", 3, None) == (("0", "1", "1"), 3)
    # the run ends with the next row's number
    assert split_digits("2.9821.553", 3, 3) == (("2.98", "2", "1.55"), 9)
    assert split_digits("406565.2", 3, 2) == (("40", "65", "65.2"), 8)


def test_flattened_table_rows():
    text = (
        "专栏2 主要指标序号主要指标2020年实际值2022年目标值2025年目标值指标属性"
        "1城乡居民最低生活保障标准(元/年)97201100014000预期性2智慧社区建设试点的县(区)数(个)011预期性"
        "3康养联合体数(个)41015预期性到2035年,体系更加成熟。"
    )
    [table] = find_flat_tables(text)
    assert table.columns == ("2020年实际值", "2022年目标值", "2025年目标值")
    assert [table.row_text(row) for row in table.rows] == [
        "城乡居民最低生活保障标准(元/年) | 9720 | 11000 | 14000",
        "智慧社区建设试点的县(区)数(个) | 0 | 1 | 1",
        "康养联合体数(个) | 4 | 10 | 15",
    ]
    assert text[table.end :].startswith("到2035年")


def test_a_row_whose_unit_was_lost_gives_no_values():
    text = (
        "序号指标2015年2020年目标值2020年完成情况5社会工作专业人才占总人口比率()0.4116"
        "生态葬法行政村覆盖率(%)88.19595(二)"
    )
    [table] = find_flat_tables(text)
    assert [row.values for row in table.rows] == [(), ("88.1", "95", "95")]


def test_a_table_written_one_cell_to_a_line_is_read_back_as_rows():
    text = (
        "表3 救助资金\n单位:万元、万人 |\n||||\n指标 |\n2021 年 |\n2022 年 |\n2023 年 |\n"
        "低保资金 |\n310.5 |\n322.0 |\n340.8 |\n低保人数 |\n1.2 |\n1.1 |\n1.0 |\n合计情况如上。\n"
    )
    rows = [s.text for s in split_segments(text) if s.kind == "table_row"]
    assert rows == [
        "指标 | 单位 | 2021 年 | 2022 年 | 2023 年",
        "低保资金 | 万元 | 310.5 | 322.0 | 340.8",
        "低保人数 | 万人 | 1.2 | 1.1 | 1.0",
    ]
    assert [s.text for s in split_segments(text)][-1] == "合计情况如上。"


def test_one_cell_lines_without_year_columns_or_numbers_are_no_table():
    assert find_vertical_tables("说明 |\n本表为示例 |\n数据来源 |\n") == []
    assert find_vertical_tables("指标 |\n2021 年 |\n2022 年 |\n低保资金 |\n310.5 |\n未填 |\n") == []
