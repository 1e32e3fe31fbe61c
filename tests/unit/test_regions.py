from warehouse.divisions import location_text
from warehouse.transform.extraction.regions import load_regions


def test_divisions_come_from_the_package_with_codes_and_parents():
    regions = {r["region_name"]: r for r in load_regions()}
    assert regions["全国"]["parent_code"] is None
    assert regions["浙江省"]["region_code"] == "330000"
    assert regions["舟山市"]["parent_code"] == "330000" and regions["舟山市"]["short_name"] == "舟山"
    assert regions["慈溪市"]["region_code"] == "330282" and regions["慈溪市"]["parent_code"] == "330200"
    assert regions["鹿城区"]["parent_code"] == "330300"
    assert len([r for r in regions.values() if r["level"] == "province"]) >= 31


def test_codes_are_unique_and_municipalities_are_not_doubled():
    regions = load_regions()
    codes = [r["region_code"] for r in regions]
    assert len(codes) == len(set(codes))
    shanghai = [r for r in regions if r["region_name"] == "上海市"]
    assert len(shanghai) == 1


def test_the_zipped_dictionary_is_read_without_unzipping_it():
    assert "舟山市" in location_text()
