"""One row per administrative region (全国, provinces, cities, counties) from jionlp's GB/T 2260 data.

Incremental with nothing to add: the divisions change only with the jionlp package, so after upgrading
it run `dbt build --full-refresh -s stg_gbt2260__regions+`. Incremental so that a build does not parse the
data file again."""

import pandas as pd

COLUMNS = ["region_code", "region_name", "short_name", "level", "parent_code", "province_code", "city_code"]


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="region_code")
    if dbt.is_incremental:
        return pd.DataFrame({column: pd.Series(dtype="string") for column in COLUMNS})
    from warehouse.transform.extraction.regions import load_regions

    return pd.DataFrame(load_regions(), columns=COLUMNS)
