{#- The versions whose facts fct_indicator_values may have to change, in an incremental build: those whose status
    (new, canonical, current) changed since its newest row, and those decided since its newest fact. Both on
    stamps (refreshed_at, status_changed_at, processed_at), so the cost follows the build, not the corpus. -#}
{% macro versions_changed_since_facts() -%}
    select version_id from {{ ref('int_documents_deduplicated') }}
    where status_changed_at > {{ newest('refreshed_at') }}
    union
    select version_id from {{ ref('int_mention_decisions') }}
    where processed_at > {{ newest('decided_at') }}
{%- endmacro %}

{#- fct_indicator_values' pre-hook in an incremental build: drop the facts of those versions that are no longer
    current or canonical, and of those decided again (made again by the build; one decided again to no facts
    must lose its old ones). A table that predates refreshed_at compares every version once. -#}
{% macro drop_stale_facts() %}
    {%- if is_incremental() and has_column('refreshed_at') -%}
    delete from {{ this }}
    where document_id in (
        select version_id from {{ ref('int_documents_deduplicated') }}
        where not is_canonical
            and status_changed_at > {{ newest('refreshed_at') }}
        union
        select version_id from {{ ref('int_mention_decisions') }}
        where processed_at > {{ newest('decided_at') }}
    )
    {%- elif is_incremental() -%}
    delete from {{ this }}
    where document_id not in (select version_id from {{ ref('int_documents_deduplicated') }} where is_canonical)
    {%- if has_column('decided_at') %}
        or document_id in (
            select version_id from {{ ref('int_mention_decisions') }}
            where processed_at > (select max(decided_at) from {{ this }})
        )
    {%- endif -%}
    {%- endif -%}
{% endmacro %}

{#- dim_document's pre-hook in an incremental build: drop the versions that stopped being current since its newest
    row (int_documents_deduplicated keeps them, is_current false). -#}
{% macro drop_documents_no_longer_current() %}
    {%- if is_incremental() and has_column('refreshed_at') -%}
    delete from {{ this }}
    where document_id in (
        select version_id from {{ ref('int_documents_deduplicated') }}
        where not is_current
            and status_changed_at > {{ newest('refreshed_at') }}
    )
    {%- endif -%}
{% endmacro %}

{#- stg_raw__document_names in an incremental build: the names (name_key) of the versions that became current
    since its last build and of those that stopped being current, and the old and new names of the documents
    found at a new address since (a moved site: document_locations, no new version); the versions sharing them
    are named again. -#}
{% macro names_to_renew() -%}
    {%- set moved -%}
        select document_key from {{ source('raw', 'document_locations') }}
        where located_at > {{ newest('named_at') }}
    {%- endset -%}
    select coalesce(file_name, url, document_key) from {{ source('raw', 'documents_current') }}
    where {{ versions_to_process(done='select version_id from ' ~ this) }}
    union
    select name_key from {{ this }}
    where version_id not in (select version_id from {{ source('raw', 'current_versions') }})
    union
    select coalesce(file_name, url, document_key) from {{ source('raw', 'documents_current') }}
    where document_key in ({{ moved }})
    union
    select name_key from {{ this }}
    where version_id in (
        select version_id from {{ source('raw', 'current_versions') }} where document_key in ({{ moved }})
    )
{%- endmacro %}

{#- Its post-hook: drop the versions no longer current (their names were renewed above). -#}
{% macro drop_names_no_longer_current() %}
    {%- if is_incremental() and has_column('name_key') -%}
    delete from {{ this }}
    where version_id not in (select version_id from {{ source('raw', 'current_versions') }})
    {%- endif -%}
{% endmacro %}

{#- int_number_mentions_extracted's pre-hook: drop the mentions of the versions split since its newest mention,
    before they are added again. -#}
{% macro drop_mentions_split_again() %}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where version_id in (
        select version_id from {{ ref('int_segments_split') }} where processed_at > {{ newest('processed_at') }}
    )
    {%- endif -%}
{% endmacro %}
