"""One row per administrative region (全国, provinces, cities, counties) from jionlp's GB/T 2260 data."""

import pandas as pd


def model(dbt, session):
    dbt.config(materialized="table")
    from warehouse.extraction.regions import load_regions

    return pd.DataFrame(load_regions())
