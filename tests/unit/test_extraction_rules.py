"""The pairing and resolution rules on sentences written for these tests (none is taken from a benchmark
document): each category of FACTS.md and its Clarifications, with the vocabulary the seeds give."""

from __future__ import annotations

import pytest

from warehouse.settings import DBT_PROJECT
from warehouse.transform.extraction.decisions import decide_document
from warehouse.transform.extraction.mentions import document_mention_rows, segment_rows
from warehouse.transform.extraction.regions import load_regions
from warehouse.transform.extraction.resolution import DocumentInfo
from warehouse.transform.extraction.vocabulary import vocabulary_from_seed_files


@pytest.fixture(scope="module")
def vocabulary():
    names = set()
    for region in load_regions():
        names |= {region["region_name"], region["short_name"]}
    return vocabulary_from_seed_files(DBT_PROJECT / "seeds", names)


def _rows(text: str):
    """Segments and mentions as the dbt Python models make them."""
    segments = segment_rows("v1", text)
    return segments, [mention for mentions in document_mention_rows(segments) for mention in mentions]


def decide(
    vocabulary,
    text,
    kind="annual_summary",
    year=2024,
    region="某市",
    period=None,
    plan=(None, None),
    counties=(),
    above=None,
):
    document = DocumentInfo(
        "v1", "made_up.txt", kind, year, period, plan[0], plan[1], region, tuple(counties), above or {}
    )
    segments, mentions = _rows(text)
    return decide_document(document, segments, mentions, vocabulary)


def facts(vocabulary, text, **document):
    return {
        (row["indicator_code"], row["region"], row["period"], row["value_type"], round(row["value"], 2))
        for row in decide(vocabulary, text, **document)
        if row["outcome"] == "fact"
    }


def reasons(vocabulary, text, **document):
    return {row["raw_mention"]: row["reason"] for row in decide(vocabulary, text, **document)}


# --- a programme's numbers: the subject carries over the clause ------------------------------------------


def test_money_and_people_of_a_programme_named_once(vocabulary):
    text = "全县共发放城乡低保金1.2亿元,保障8600人;下拨特困供养资金3100万元,供养特困人员1900人。"
    assert facts(vocabulary, text, region="某县") == {
        ("dibao_funds", "某县", "2024", "actual", 12000),
        ("dibao_recipients", "某县", "2024", "actual", 8600),
        ("tekun_funds", "某县", "2024", "actual", 3100),
        ("tekun_recipients", "某县", "2024", "actual", 1900),
    }


def test_a_bare_measure_takes_the_programme_of_the_clause_before(vocabulary):
    text = "城乡特困人员2300人,供养标准为每人每月1500元,发放资金4100万元。"
    assert facts(vocabulary, text) == {
        ("tekun_recipients", "某市", "2024", "actual", 2300),
        ("tekun_standard", "某市", "2024", "actual", 18000),
        ("tekun_funds", "某市", "2024", "actual", 4100),
    }


def test_the_counted_noun_after_the_number_names_the_programme(vocabulary):
    text = "为2.3万名困难残疾人、1.8万名重度残疾人发放补贴5000万元。为420人次发放临时救助资金96万元。"
    assert facts(vocabulary, text) == {
        ("disability_living_subsidy_recipients", "某市", "2024", "actual", 23000),
        ("disability_nursing_subsidy_recipients", "某市", "2024", "actual", 18000),
        ("disability_subsidy_funds", "某市", "2024", "actual", 5000),
        ("temporary_assistance_person_times", "某市", "2024", "actual", 420),
        ("temporary_assistance_funds", "某市", "2024", "actual", 96),
    }


def test_several_programmes_listed_together_are_counted_together(vocabulary):
    text = (
        "全区共有低保、低边、特困对象2.1万人。提高城乡低保、特困人员供养、孤儿基本生活费标准,全年共发放3.5亿元。"
        "发放慰问金、临时救助金200万元。"
    )
    found = facts(vocabulary, text, region="某区")
    assert found == {
        ("low_income_population", "某区", "2024", "actual", 21000),
        ("assistance_funds", "某区", "2024", "actual", 35000),
    }
    assert "fills no indicator" in reasons(vocabulary, text, region="某区")["200万元"]


def test_another_kind_of_payment_blocks_the_programme(vocabulary):
    text = "全市低保对象3100人,下拨一次性生活补贴95万元,发放节日慰问金40万元。"
    why = reasons(vocabulary, text)
    assert facts(vocabulary, text) == {("dibao_recipients", "某市", "2024", "actual", 3100)}
    assert "一次性生活" in why["95万元"] and "慰问" in why["40万元"]


def test_a_new_count_of_a_stock_is_its_flow_or_nothing(vocabulary):
    text = (
        "全市新增低收入人口620人(其中低保对象410人、特困人员30人),核减低收入人口300人(其中低保对象200人)。"
        "新建5家社区儿童之家,改造提升居家养老服务中心12家。"
    )
    found = facts(vocabulary, text)
    assert found == {
        ("assistance_recipients_added", "某市", "2024", "actual", 620),
        ("dibao_recipients_added", "某市", "2024", "actual", 410),
        ("assistance_recipients_exited", "某市", "2024", "actual", 300),
        ("dibao_recipients_exited", "某市", "2024", "actual", 200),
        ("home_care_centers_added", "某市", "2024", "actual", 12),
    }
    assert "no flow code" in reasons(vocabulary, text)["30人"]


# --- the indicator named after the number, synonyms, word order ------------------------------------------


@pytest.mark.parametrize(
    "text, code, value",
    [
        ("全县特困人员救助供养1200人。", "tekun_recipients", 1200),
        ("全县特困供养对象1200人。", "tekun_recipients", 1200),
        ("全市每万名老年人口拥有认知症照护床位达到12张。", "dementia_beds_per_10k_elderly", 12),
        ("全市每万名老年人口拥有认知障碍床位达到12张。", "dementia_beds_per_10k_elderly", 12),
        ("发放残疾人两项补贴2100万元。", "disability_subsidy_funds", 2100),
        ("建成36家“长者食堂”。", "elderly_canteens", 36),
        ("累计建成长者食堂36家。", "elderly_canteens", 36),
        ("办理结婚登记3200对。", "marriage_registrations", 3200),
        ("全市现有登记社会组织1850家。", "social_organizations", 1850),
    ],
)
def test_vocabulary_across_provinces(vocabulary, text, code, value):
    assert {(fact[0], fact[4]) for fact in facts(vocabulary, text)} == {(code, value)}


# --- statistics tables ------------------------------------------------------------------------------------


def test_a_statistics_table_with_the_unit_in_its_own_cell(vocabulary):
    text = (
        "指标名称 | 单位 | 数量 |\n一、社会救助 | ||\n城市最低生活保障人数 | 万人 | 1.8 |\n"
        "城市最低生活保障平均标准 | 元/人·月 | 760 |\n#农村特困人员救助供养人数 | 人 | 12,450 |\n"
        "临时救助 | 万人次 | 2.4 |\n精神疾病服务机构床位 | 张 | 900 |"
    )
    assert facts(vocabulary, text, kind="statistics", period="2024H1") == {
        ("dibao_recipients", "某市", "2024H1", "actual", 18000),
        ("dibao_standard", "某市", "2024H1", "actual", 9120),
        ("tekun_recipients", "某市", "2024H1", "actual", 12450),
        ("temporary_assistance_person_times", "某市", "2024H1", "actual", 24000),
    }


def test_a_statistics_table_copied_with_spaces_between_cells(vocabulary):
    text = (
        "指 标 单 位 数 量\n二、机构\n养老机构 个 1260\n其中:公办养老机构 个 300\n每千老年人口养老床位数 张/千人 31.5"
    )
    assert facts(vocabulary, text, kind="statistics", year=2023) == {
        ("elderly_institutions", "某市", "2023", "actual", 1260),
        ("care_beds_per_1000_elderly", "某市", "2023", "actual", 31.5),
    }


def test_a_bulletin_in_prose_with_growth_rates_left_out(vocabulary):
    text = (
        "截至2023年底,全省共有城市低保对象21.6万人,比上年下降3.1%。全年共实施临时救助5.2万人次。"
        "全省共有社会组织3.4万个,其中社会团体1.5万个、民办非企业单位1.9万个。"
    )
    assert facts(vocabulary, text, kind="statistics", year=2023, region="某省") == {
        ("dibao_recipients", "某省", "2023", "actual", 216000),
        ("temporary_assistance_person_times", "某省", "2023", "actual", 52000),
        ("social_organizations", "某省", "2023", "actual", 34000),
        ("social_groups", "某省", "2023", "actual", 15000),
        ("private_non_enterprise_units", "某省", "2023", "actual", 19000),
    }


def test_a_quarter_that_is_no_period_of_the_spec_gives_nothing(vocabulary):
    text = "城市最低生活保障人数 | 万人 | 1.8 |"
    why = reasons(vocabulary, text, kind="statistics", period="unsupported")
    assert "not a period" in why["1.8"]


# --- kind and period --------------------------------------------------------------------------------------


def test_a_summary_that_plans_the_next_year(vocabulary):
    text = (
        "一、2024年工作总结\n全市低保标准提高到每人每月900元。\n二、2025年工作思路\n力争低保标准提高到每人每月950元,"
        "新建老年食堂20家。"
    )
    assert facts(vocabulary, text) == {
        ("dibao_standard", "某市", "2024", "actual", 10800),
        ("dibao_standard", "某市", "2025", "target", 11400),
        ("elderly_canteens_added", "某市", "2025", "target", 20),
    }


def test_a_half_year_summary_and_its_targets_for_the_year(vocabulary):
    text = "上半年全市新增养老机构床位320张。下半年力争新增养老机构床位500张。"
    assert facts(vocabulary, text, kind="half_year_summary", year=2025) == {
        ("elderly_institution_beds_added", "某市", "2025H1", "actual", 320),
        ("elderly_institution_beds_added", "某市", "2025", "target", 500),
    }


def test_a_five_year_plan_review_and_goals(vocabulary):
    text = (
        "一、发展基础\n“十四五”期间,城乡低保标准分别从每人每月700元、560元提高到860元、760元。"
        "累计发放救助资金12.5亿元。\n二、主要目标\n到2030年,每千名老年人拥有养老床位达到45张。"
    )
    assert facts(vocabulary, text, kind="five_year_plan", year=None, plan=(2026, 2030)) == {
        ("dibao_standard", "某市", "2025", "actual", 10320),
        ("dibao_standard", "某市", "2025", "actual", 9120),
        ("care_beds_per_1000_elderly", "某市", "2030", "target", 45),
    }


def test_a_from_value_with_its_own_year_is_that_years_actual(vocabulary):
    text = "一、发展基础\n城乡低保标准由2020年的每人每月650元提高至每人每月820元。"
    assert facts(vocabulary, text, kind="five_year_plan", plan=(2026, 2030)) == {
        ("dibao_standard", "某市", "2020", "actual", 7800),
        ("dibao_standard", "某市", "2025", "actual", 9840),
    }


def test_a_planned_change_carries_todays_value_and_the_target(vocabulary):
    text = "低保标准拟由每人每月1000元调整到每人每月1050元。"
    assert facts(vocabulary, text, kind="half_year_summary", year=2025) == {
        ("dibao_standard", "某市", "2025H1", "actual", 12000),
        ("dibao_standard", "某市", "2025", "target", 12600),
    }


# --- precision --------------------------------------------------------------------------------------------


def test_a_disclosure_report_yields_no_facts(vocabulary):
    text = "2024年本机关主动公开政府信息215条,受理依申请公开3件,全市养老机构86家。"
    assert facts(vocabulary, text, kind="disclosure_report") == set()
    assert "document kind without facts" in reasons(vocabulary, text, kind="disclosure_report")["86家"]


def test_person_times_never_fill_persons_and_persons_never_fill_person_times(vocabulary):
    text = "发放临时救助金310万元,救助1.2万人。残疾人两项补贴惠及3.6万人次。"
    assert facts(vocabulary, text) == {("temporary_assistance_funds", "某市", "2024", "actual", 310)}
    why = reasons(vocabulary, text)
    assert "unit does not fit" in why["1.2万人"] and "unit does not fit" in why["3.6万人次"]


def test_a_county_named_at_the_start_of_its_clause_is_the_region(vocabulary):
    text = "孤儿基本生活保障标准提高到每人每月2000元,其中鹿城区标准达2200元。"
    assert facts(vocabulary, text, region="温州市", counties=("鹿城区", "瓯海区")) == {
        ("orphan_allowance_standard", "温州市", "2024", "actual", 2000),
        ("orphan_allowance_standard", "鹿城区", "2024", "actual", 2200),
    }


def test_a_named_part_is_not_the_total(vocabulary):
    text = "全年福利彩票销售额达到3.1亿元,其中即开型彩票销售额0.8亿元。"
    assert facts(vocabulary, text) == {("lottery_sales", "某市", "2024", "actual", 31000)}


def test_objects_of_actions_and_rate_bases_are_not_totals(vocabulary):
    text = "对42家养老机构开展消防检查,每50张床位配备1名护理员,向800名困难老人发放慰问品。"
    assert facts(vocabulary, text) == set()
    why = reasons(vocabulary, text)
    assert "object of an action" in why["42家"] and "base of a rate" in why["50张"]


def test_a_number_cut_off_by_the_end_of_a_truncated_text(vocabulary):
    text = "全市共有养老机构86家,机构床位1.2万张。全年新增护理型床位"
    assert facts(vocabulary, text + "300张") == {
        ("elderly_institutions", "某市", "2024", "actual", 86),
        ("elderly_institution_beds", "某市", "2024", "actual", 12000),
    }
    assert "cut off" in reasons(vocabulary, "全市共有养老机构86家,养老床位5400张养")["5400张"]
    assert ("elderly_institutions", "某市", "2024", "actual", 12) in facts(vocabulary, "其中养老机构12家")


def test_a_plan_table_with_its_sequence_numbers_units_and_years(vocabulary):
    text = (
        "二、主要目标\n序号 | 指标名称 | 单位 | 2020年 | 2025年 | 属性\n"
        "1 | 城乡低保标准 | 元/月 | 800 | 1000 | 预期性\n"
        "2 | 每千名老年人拥有养老床位数 | 张 | 38 | 45 | 预期性"
    )
    assert facts(vocabulary, text, kind="five_year_plan", plan=(2021, 2025)) == {
        ("dibao_standard", "某市", "2020", "actual", 9600),
        ("dibao_standard", "某市", "2025", "target", 12000),
        ("care_beds_per_1000_elderly", "某市", "2020", "actual", 38),
        ("care_beds_per_1000_elderly", "某市", "2025", "target", 45),
    }


def test_a_ratio_is_not_the_count_it_divides(vocabulary):
    text = "全市持证社工人数达到2600人,每万人拥有持证社会工作者3.1人。"
    assert facts(vocabulary, text) == {
        ("certified_social_workers", "某市", "2024", "actual", 2600),
        ("social_workers_per_10k", "某市", "2024", "actual", 3.1),
    }


def test_each_subsidy_paid_on_its_own_is_the_two_subsidies_money(vocabulary):
    text = (
        "为2.8万名困难残疾人发放生活补贴3100万元,为3.6万名重度残疾人发放护理补贴4300万元。"
        "老年助餐服务点达到420个,累计服务老年人86万人次。"
    )
    assert facts(vocabulary, text) == {
        ("disability_living_subsidy_recipients", "某市", "2024", "actual", 28000),
        ("disability_subsidy_funds", "某市", "2024", "actual", 3100),
        ("disability_nursing_subsidy_recipients", "某市", "2024", "actual", 36000),
        ("disability_subsidy_funds", "某市", "2024", "actual", 4300),
        ("meal_service_points", "某市", "2024", "actual", 420),
        ("meal_service_person_times", "某市", "2024", "actual", 860000),
    }


def test_a_tables_caption_names_what_its_rows_measure(vocabulary):
    text = "表5 福利彩票\n指标 | 单位 | 2022 年 | 2023 年\n销售额 | 亿元 | 12.5 | 13.1\n年增长率 | % | 3.0 | 4.8\n"
    assert facts(vocabulary, text, kind="statistics", period="2023") == {
        ("lottery_sales", "某市", "2022", "actual", 125000),
        ("lottery_sales", "某市", "2023", "actual", 131000),
    }


def test_a_caption_lends_no_subject_to_a_row_that_names_another_thing(vocabulary):
    text = "表6 福利彩票\n指标 | 单位 | 2023 年\n即开型彩票销售额 | 亿元 | 2.1\n"
    assert facts(vocabulary, text, kind="statistics", period="2023") == set()
