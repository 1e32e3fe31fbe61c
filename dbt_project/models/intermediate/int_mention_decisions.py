"""One row per number mention of every current document version: the fact it became, or why it was
dropped — the indicator, the phrase and rule that paired it, and the rules behind its region, period and
value type (warehouse.transform.extraction.decisions). `make explain` reads this table.

Incremental by document version: a version is decided again when the seeds (int_extraction_rules_hashed)
or the deciding code change."""

import pandas as pd


def _records(relation) -> list[dict]:
    frame = relation.df()
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="version_id", incremental_strategy="delete+insert")
    from warehouse.transform.extraction import DECISION_MODULES, code_fingerprint
    from warehouse.transform.extraction.decisions import COLUMNS, decide_document
    from warehouse.transform.extraction.resolution import DocumentInfo
    from warehouse.transform.extraction.vocabulary import build_vocabulary

    rules_hash = (
        dbt.ref("int_extraction_rules_hashed").df()["rules_hash"][0] + ":" + code_fingerprint(*DECISION_MODULES)
    )
    regions = dbt.ref("stg_gbt2260__regions").df()
    # dbt finds refs by reading this file: the names must be written out
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
        "plausible_ranges": dbt.ref("plausible_ranges"),
    }
    vocabulary = build_vocabulary(
        {name: _records(relation) for name, relation in seeds.items()},
        region_names=set(regions["region_name"]) | set(regions["short_name"]),
    )
    documents = dbt.ref("int_documents_classified").df()
    if dbt.is_incremental:
        done = session.sql(f"select distinct version_id from {dbt.this} where rules_hash = '{rules_hash}'").df()
        documents = documents[~documents["version_id"].isin(done["version_id"])]
    children = regions.merge(regions, left_on="region_code", right_on="parent_code", suffixes=("", "_child"))
    counties = children.groupby("region_name")["region_name_child"].apply(tuple).to_dict()

    wanted = tuple(documents["version_id"])
    segments = _grouped(dbt.ref("int_segments_split"), wanted)
    mentions = _grouped(dbt.ref("int_number_mentions_extracted"), wanted)
    rows = []
    for document in documents.astype(object).where(documents.notna(), None).to_dict("records"):
        info = DocumentInfo(
            document["version_id"],
            document["document"],
            document["document_kind"],
            _int(document["document_year"]),
            document["document_period"],
            _int(document["plan_start_year"]),
            _int(document["plan_end_year"]),
            document["document_region"],
            counties.get(document["document_region"], ()),
        )
        rows += decide_document(info, segments.get(info.version_id, []), mentions.get(info.version_id, []), vocabulary)
    result = pd.DataFrame(rows, columns=list(COLUMNS))
    result["rules_hash"] = rules_hash
    result["processed_at"] = pd.Timestamp.now(tz="UTC").tz_localize(None)
    return result.astype(
        {
            column: "string"
            for column in COLUMNS
            if column not in ("start_offset", "end_offset", "written_value", "value", "evidence_start", "evidence_end")
        }
        | {
            "start_offset": "int64",
            "end_offset": "int64",
            "written_value": "float64",
            "value": "float64",
            "evidence_start": "int64",
            "evidence_end": "int64",
            "rules_hash": "string",
            "processed_at": "datetime64[us]",
        }
    )


def _grouped(relation, version_ids: tuple) -> dict[str, list[dict]]:
    frame = relation.df()
    frame = frame[frame["version_id"].isin(version_ids)]
    grouped: dict[str, list[dict]] = {}
    for row in frame.astype(object).where(frame.notna(), None).to_dict("records"):
        grouped.setdefault(row["version_id"], []).append(row)
    return grouped


def _int(value):
    return None if value is None else int(value)
