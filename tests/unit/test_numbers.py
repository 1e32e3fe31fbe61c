"""Number, unit and qualifier parsing of Chinese report text."""

import pytest

from warehouse.transform.extraction.numbers import find_mentions, normalize_width, parse_number


def only(text):
    mentions = find_mentions(normalize_width(text))
    assert len(mentions) == 1, mentions
    mention = mentions[0]
    return mention.value, mention.unit, mention.qualifier


@pytest.mark.parametrize(
    "text, expected",
    [
        ("低保标准提高至810元/月", (810, "元/月", "")),
        ("低保年标准达到1.4万元以上", (14000, "元", "at_least")),
        ("安装数字门牌20.6万余个", (206000, "个", "approx")),
        ("发放残疾人补贴8260余万元", (82600000, "元", "approx")),
        ("减轻企业负担160万余元", (1600000, "元", "approx")),
        ("惠及企业300余家", (300, "家", "approx")),
        ("近40个品牌", (40, "个", "approx")),
        ("约1.5亿元", (150000000, "元", "approx")),
        ("超1.4万元", (14000, "元", "at_least")),
        ("不少于150家", (150, "家", "at_least")),
        ("逾90%", (90, "%", "at_least")),
        ("护理型床位占比51%", (51, "%", "")),
        ("覆盖率达百分之九十五", (95, "%", "")),
        ("发生率千分之三", (0.3, "%", "")),
        ("比率为0.4‰", (0.04, "%", "")),
        ("服务600万人次以上", (6000000, "人次", "at_least")),
        ("免费项目拓展至十六项", (16, "项", "")),
        ("建设两个中心", (2, "个", "")),
        ("标准为每人每月八百一十元", (810, "元/月", "")),
        ("保障标准为820元/人·月", (820, "元/月", "")),
        ("补助水平为3832.03元/人·年", (3832.03, "元/年", "")),
        ("平均救助水平为5418.08元/人次", (5418.08, "元/人次", "")),
        ("接待游客12.5 万人次", (125000, "人次", "")),
        ("标准为每人每年9000元", (9000, "元/年", "")),
        ("全年销售金额达2.92亿", (292000000, "", "")),
        ("救助受助人员２４４名", (244, "名", "")),
        ("共1,234户", (1234, "户", "")),
        ("服务3000人左右", (3000, "人", "approx")),
    ],
)
def test_quantities(text, expected):
    value, unit, qualifier = only(text)
    assert value == pytest.approx(expected[0]) and (unit, qualifier) == expected[1:]


@pytest.mark.parametrize(
    "text", ["2024年以来", "一是全力推进", "“1619”项目", "十大工程", "千家万户", "第3季度", "", "没有数字"]
)
def test_words_years_and_bare_numbers_are_not_quantities(text):
    assert find_mentions(text) == []


def test_offsets_point_at_the_text():
    text = normalize_width("全市共有养老机构８６家，机构床位10635张。")
    mentions = find_mentions(text)
    assert [text[m.start : m.end] for m in mentions] == ["86家", "10635张"]


def test_from_to_pairs_give_both_values_in_order():
    mentions = find_mentions("低保标准拟由1145元调整到1190元")
    assert [(m.value, m.unit) for m in mentions] == [(1145, "元"), (1190, "元")]


def test_a_bare_amount_continuing_a_list_or_a_change_keeps_its_period():
    mentions = find_mentions("城乡标准分别从每人每月700元、500元提高到750元、560元，另发放补贴80元")
    assert [(m.value, m.unit) for m in mentions] == [
        (700, "元/月"),
        (500, "元/月"),
        (750, "元/月"),
        (560, "元/月"),
        (80, "元"),
    ]


def test_a_40_digit_number_does_not_crash():
    [mention] = find_mentions("共" + "9" * 40 + "个")
    assert mention.value > 1e39


def test_half_million_characters_on_one_line():
    text = "新增床位561张，" * 50_000
    assert len(find_mentions(text)) == 50_000


def test_parse_number():
    assert parse_number("1,234.5") == 1234.5
    assert parse_number("八百一十") == 810
    assert parse_number("两") == 2


def test_the_word_before_households_bounds_their_persons_too():
    households, persons = find_mentions("低保对象不少于1204户1873人")
    assert (households.unit, households.qualifier) == ("户", "at_least")
    assert (persons.unit, persons.value, persons.qualifier) == ("人", 1873, "at_least")
    assert find_mentions("低保对象1204户1873人")[1].qualifier == ""
