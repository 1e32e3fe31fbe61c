-- One row per indicator and region whose facts a build changed, stamped changed_at: the pairs of facts the fact
-- table wrote since mart_indicator_values' newest row, and the pairs the mart holds facts of versions touched
-- since (decided again, no longer canonical: their pairs may have lost facts, or every fact). A row with no
-- pair says every pair changed: the first build, and a build after the indicator catalogue, the region table
-- or the scope names changed the labels (labels_hash).
-- The marts keyed by indicator and region compute again the pairs logged since their newest row
-- (macros/pairs_to_refresh.sql), each pair with all its scopes: their rows are keyed by scope too, but a row is
-- computed from facts of its own pair only, so the pair stays the unit of a refresh and a scope a pair no longer
-- has goes with the pair's old rows. Finding them here costs a scan of the touched versions' ids once
-- a build, where each mart compared every pair it holds with every pair of mart_indicator_values, at a cost
-- that grew with the marts. It reads mart_indicator_values as the last build left it, before the
-- mart changes, so it finds the mart by name: a ref would be a cycle. The pre-hook drops the rows every mart
-- that reads this one has taken.
{{ config(
    materialized='incremental', incremental_strategy='append',
    pre_hook="{{ drop_pairs_every_reader_took() }}"
) }}
-- depends_on: {{ ref('fct_indicator_values') }}
-- depends_on: {{ ref('int_mention_decisions') }}
-- depends_on: {{ ref('int_documents_deduplicated') }}

{%- set mart = adapter.get_relation(this.database, generate_schema_name('marts', model) | trim, 'mart_indicator_values')
    if execute else none %}
{%- set mart_columns = adapter.get_columns_in_relation(mart) | map(attribute='name') | map('lower') | list
    if mart else [] %}
{%- set labels_hash = fact_labels_hash(ref('dim_indicator'), ref('dim_region'), ref('dim_scope')) %}
{%- set by_pair = is_incremental() and 'labels_hash' in mart_columns
    and labels_hash == run_query('select max(labels_hash) from ' ~ mart).columns[0].values()[0] %}

{% if by_pair %}
    {%- set refreshed = "(select max(refreshed_at) from " ~ mart ~ ")" %}
    {%- set decided = "(select max(decided_at) from " ~ mart ~ ")" %}
with pairs as (
    select indicator_code, region_name from {{ ref('fct_indicator_values') }}
    where refreshed_at > {{ refreshed }}
    union
    select indicator_code, region_name from {{ mart }}
    where document_id {{ in_written_out(touched_versions(refreshed, decided)) }}
)
{% else %}
    with pairs as (
        select
            cast(null as varchar) as indicator_code,
            cast(null as varchar) as region_name
    )
{% endif %}

select
    indicator_code,
    region_name,
    {{ run_started_timestamp() }} as changed_at
from pairs
