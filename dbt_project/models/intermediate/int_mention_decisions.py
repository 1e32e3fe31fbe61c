"""One row per number mention of every current document version: the fact it became, or why it was
dropped — the indicator, the phrase and rule that paired it, and the rules behind its region, period and
value type (warehouse.transform.extraction.decisions). `make explain` reads this table.

Incremental by document version: a version is decided again when the seeds (int_extraction_rules_hashed)
or the deciding code (the Python that decisions.py imports, followed by code_fingerprint) change. Many
versions to decide are decided in worker processes (MINZHENG_BUILD_WORKERS)."""

NUMERIC = {
    "start_offset": "int64",
    "end_offset": "int64",
    "written_value": "float64",
    "value": "float64",
    "evidence_start": "int64",
    "evidence_end": "int64",
    "confidence": "float64",
}


def _records(relation) -> list[dict]:
    frame = relation.df()
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="version_id", incremental_strategy="delete+insert")
    from warehouse.transform.extraction import DECISION_MODULES, code_fingerprint
    from warehouse.transform.extraction.decisions import (
        COLUMNS,
        MENTION_COLUMNS,
        SEGMENT_COLUMNS,
        decide_batch,
        start_deciding,
    )
    from warehouse.transform.streaming import (
        DOCUMENTS_PER_BATCH,
        arrow_schema,
        fetch_arrow,
        read_batches,
        stream,
        workers_for,
    )

    types = {column: NUMERIC.get(column, "string") for column in COLUMNS}
    types |= {"rules_hash": "string", "processed_at": "timestamp"}
    rules_hash = (
        dbt.ref("int_extraction_rules_hashed").df()["rules_hash"][0] + ":" + code_fingerprint(*DECISION_MODULES)
    )
    regions = dbt.ref("stg_gbt2260__regions").df()
    # dbt finds refs by reading this file: the names must be written out. They are the var rule_seeds of
    # dbt_project.yml less document_kind_rules (the SQL of int_documents_classified reads it); a test holds
    # the two lists together (tests/unit/test_rules_fingerprint.py)
    seeds = {
        "indicator_catalogue": dbt.ref("indicator_catalogue"),
        "indicator_phrases": dbt.ref("indicator_phrases"),
        "phrase_exclusions": dbt.ref("phrase_exclusions"),
        "indicator_subjects": dbt.ref("indicator_subjects"),
        "indicator_frames": dbt.ref("indicator_frames"),
        "indicator_flows": dbt.ref("indicator_flows"),
        "linking_words": dbt.ref("linking_words"),
        "unit_conversions": dbt.ref("unit_conversions"),
        "value_type_cues": dbt.ref("value_type_cues"),
        "period_phrases": dbt.ref("period_phrases"),
        "cue_patterns": dbt.ref("cue_patterns"),
        "plausible_ranges": dbt.ref("plausible_ranges"),
        "scope_words": dbt.ref("scope_words"),
        "scopes": dbt.ref("scopes"),
        "rule_confidence": dbt.ref("rule_confidence"),
    }
    children = regions.merge(regions, left_on="region_code", right_on="parent_code", suffixes=("", "_child"))
    setup = (
        {name: _records(relation) for name, relation in seeds.items()},
        set(regions["region_name"]) | set(regions["short_name"]),
        children.groupby("region_name")["region_name_child"].apply(tuple).to_dict(),
        rules_hash,
        _above(regions.astype(object).where(regions.notna(), None).to_dict("records")),
    )
    documents = f"select * from ({dbt.ref('int_documents_classified').sql_query()})"
    if dbt.is_incremental:
        documents += " where " + _not_yet_decided(
            session,
            str(dbt.this),
            rules_hash,
            dbt.ref("int_number_mentions_extracted"),
            dbt.ref("int_documents_classified"),
        )
    pending = session.sql(f"select count(*) from ({documents})").fetchall()[0][0]
    # segments and mentions were written in version_id order: a batch's range of ids reads few row groups
    of_batch = " where version_id between $first and $last and version_id in (select unnest($ids))"
    segments = f"select {', '.join(SEGMENT_COLUMNS)} from ({dbt.ref('int_segments_split').sql_query()})" + of_batch
    mentions = (
        f"select {', '.join(MENTION_COLUMNS)} from ({dbt.ref('int_number_mentions_extracted').sql_query()})" + of_batch
    )

    def with_segments_and_mentions(batches):
        for batch in batches:
            ids = batch.column("version_id").to_pylist()
            window = {"first": ids[0], "last": ids[-1], "ids": ids}
            yield batch, fetch_arrow(session, segments, window), fetch_arrow(session, mentions, window)

    batches = read_batches(session, documents + " order by version_id", DOCUMENTS_PER_BATCH)
    return stream(
        arrow_schema(types),
        with_segments_and_mentions(batches),
        decide_batch,
        workers=workers_for(pending, DOCUMENTS_PER_BATCH),
        initializer=start_deciding,
        initargs=setup,
    )


def _above(regions: list[dict]) -> dict:
    """Region name → its level and the names of the city and province it lies in (the first region of a name)."""
    names = {row["region_code"]: row["region_name"] for row in regions}
    above = {}
    for row in regions:
        above.setdefault(
            row["region_name"],
            {
                "level": row["level"],
                "province": names.get(row["province_code"] or "", ""),
                "city": names.get(row["city_code"] or "", "") if row["level"] == "county" else "",
            },
        )
    return above


def _not_yet_decided(session, this: str, rules_hash: str, mentions, classified) -> str:
    """The versions to decide: those with mentions extracted or classified again (a region re-resolved from the
    source registry, an analyst's correction) after the newest decision when the newest decisions are of these
    rules and this code (a cost that follows the new mentions, not the corpus), else those without decisions of
    them. A version without mentions has nothing to decide.

    Asking the newest build's rules is enough: a build under new rules decides every version not decided under
    them, in one transaction, so the newest build's rules are every current version's (asking each row cost a scan
    of every decision)."""
    newest = session.sql(
        f"select any_value(rules_hash) from {this} where processed_at = (select max(processed_at) from {this})"
    ).fetchall()[0][0]
    if newest != rules_hash:
        return f"version_id not in (select version_id from {this} where rules_hash = '{rules_hash}')"
    newest_decision = f"(select coalesce(max(processed_at), '-infinity'::timestamp) from {this})"
    return (
        f"version_id in (select version_id from ({mentions.sql_query()}) where processed_at > {newest_decision}"
        f" union select version_id from ({classified.sql_query()}) where classified_at > {newest_decision})"
    )
