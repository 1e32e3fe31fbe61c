{{ config(materialized='table') }}
-- One row: a fingerprint of every seed that decides which numbers become which facts (var rule_seeds in
-- dbt_project.yml), every row and every column of each, NULL told from empty. The incremental models store
-- it with their rows and recompute a document whose rows were made under other rules — so an analyst's new
-- phrase or indicator reaches old documents without a full refresh. The deciding code joins it in the models
-- that decide (int_mention_decisions: the Python it imports; int_documents_classified: the model's SQL and macros).
with seed_hashes as (
    {{ rule_seed_hashes() }}
),

final as (
    select
        md5(string_agg(seed_name || ':' || seed_hash, '#' order by seed_no)) as rules_hash,
        -- each seed's own hash, to see which seed changed the fingerprint
        string_agg(seed_name || ':' || seed_hash, ' ' order by seed_no) as seed_hashes
    from seed_hashes
)

select * from final
