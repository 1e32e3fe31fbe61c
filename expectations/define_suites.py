"""Write the expectation suites of the quality gate into the GX project (expectations/gx/expectations/*.json).

The JSON files are the suites: reviewed in pull requests and loaded by warehouse/release/audit/. Rerun this
after changing a suite here (python -m expectations.define_suites), or edit the JSON directly.
Values known only at run time (the region names of dim_region, today's date, the last published row
count) are suite parameters ({"$PARAMETER": …}) that the checkpoint run supplies.
"""

from __future__ import annotations

import csv
from pathlib import Path

from warehouse.landing.store import FUTURE_TOLERANCE_DAYS, LANDABLE_ENCODINGS
from warehouse.settings import DBT_PROJECT

GX_ROOT = Path(__file__).resolve().parent

FETCH_OUTCOMES = [
    "ok",
    "not_modified",
    "http_error",
    "blocked",
    "robots_disallowed",
    "timeout",
    "connection_error",
    "truncated",
    "too_large",
    "refused",  # scrapers/hosts.py: a host, port, scheme or address the source may not reach; nothing fetched
    "connection_refused",  # scrapers/fetch_failures.py: no answer, told apart from a timeout
    "dns_failure",
    "robots_unavailable",  # robots.txt answered 5xx or 429: RFC 9309, nothing fetched from the site this run
]
ENCODINGS = list(LANDABLE_ENCODINGS)  # what the raw layer lands; the gate checks it again
# a fact is unique on these (FACTS.md, "One fact, once")
FACT_KEY = ["document_id", "indicator_code", "region_name", "period_id", "value_type", "scope", "value"]


def scopes() -> list[str]:
    """The scopes of dim_scope (the seed scopes.csv, whose empty cell is the whole: ''), written into the suite so
    that its Data Docs list them; a test holds the suite to the seed."""
    with (DBT_PROJECT / "seeds" / "scopes.csv").open(encoding="utf-8") as seed:
        return [row["scope"] for row in csv.DictReader(seed)]


def suites():
    import great_expectations as gx

    e = gx.expectations
    raw_documents = gx.ExpectationSuite(
        name="raw_documents",
        expectations=[
            e.ExpectColumnValuesToNotBeNull(column="document_key"),
            e.ExpectColumnValuesToNotBeNull(column="source_id"),
            e.ExpectColumnValuesToNotBeNull(column="sha256"),
            e.ExpectColumnValuesToMatchRegex(column="sha256", regex=r"^[0-9a-f]{64}$"),
            e.ExpectColumnValuesToBeBetween(
                column="text_chars", min_value=1
            ),  # length in SQL: no 50 MB of text in pandas
            e.ExpectColumnValuesToBeBetween(column="days_published_in_future", max_value=FUTURE_TOLERANCE_DAYS),
            e.ExpectColumnValuesToBeInSet(column="encoding", value_set=ENCODINGS),
            e.ExpectCompoundColumnsToBeUnique(column_list=["document_key", "sha256"]),
        ],
    )
    raw_fetches = gx.ExpectationSuite(
        name="raw_fetch_log",
        expectations=[
            e.ExpectColumnValuesToBeInSet(column="outcome", value_set=FETCH_OUTCOMES),
            e.ExpectColumnValuesToNotBeNull(column="url"),
        ],
    )
    staging = gx.ExpectationSuite(
        name="staging_documents",
        expectations=[
            e.ExpectColumnValuesToNotBeInSet(column="document_kind", value_set=["other"], mostly=0.95),
            e.ExpectColumnValuesToNotBeNull(column="resolved_year", mostly=0.95),
            e.ExpectColumnValuesToNotBeNull(column="document_region", mostly=0.95),
        ],
    )
    segments = gx.ExpectationSuite(
        name="staging_segments",
        expectations=[
            e.ExpectColumnValuesToBeInSet(column="offsets_inside_text", value_set=[True]),
            e.ExpectColumnValuesToBeInSet(column="segment_kind", value_set=["sentence", "table_row"]),
        ],
    )
    marts = gx.ExpectationSuite(
        name="marts_facts",
        expectations=[
            e.ExpectColumnValuesToBeInSet(column="value_type", value_set=["actual", "target"]),
            e.ExpectColumnValuesToNotBeNull(column="scope"),  # '' is the whole
            e.ExpectColumnValuesToBeInSet(column="scope", value_set=scopes()),
            e.ExpectColumnValuesToBeBetween(column="confidence", min_value=0, max_value=1),
            e.ExpectColumnValuesToMatchRegex(column="period_id", regex=r"^(?:19|20)\d{2}(?:H1)?$"),
            e.ExpectColumnPairValuesToBeEqual(column_A="unit", column_B="indicator_unit"),
            e.ExpectColumnValuesToBeInSet(column="region_name", value_set={"$PARAMETER": "region_names"}),
            e.ExpectColumnValuesToBeBetween(column="rate_value", min_value=0, max_value=100),
            e.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="value", column_B="plausible_min", or_equal=True, ignore_row_if="either_value_is_missing"
            ),
            e.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="plausible_max", column_B="value", or_equal=True, ignore_row_if="either_value_is_missing"
            ),
            e.ExpectColumnValuesToBeInSet(column="evidence_has_mention", value_set=[True]),
            e.ExpectCompoundColumnsToBeUnique(column_list=FACT_KEY),
            e.ExpectTableRowCountToBeBetween(min_value={"$PARAMETER": "min_fact_rows"}),
        ],
    )
    return [raw_documents, raw_fetches, staging, segments, marts]


def main() -> None:
    import great_expectations as gx

    context = gx.get_context(mode="file", project_root_dir=str(GX_ROOT))
    for suite in suites():
        try:
            existing = context.suites.get(suite.name)
        except Exception:
            context.suites.add(suite)
        else:
            # keep the suite's id: the committed validation definitions refer to it
            for expectation in list(existing.expectations):
                existing.delete_expectation(expectation)
            for expectation in suite.expectations:
                existing.add_expectation(
                    expectation.copy(update={"id": None}) if hasattr(expectation, "copy") else expectation
                )
            existing.save()
        print(f"wrote suite {suite.name} ({len(suite.expectations)} expectations)")


if __name__ == "__main__":
    main()
