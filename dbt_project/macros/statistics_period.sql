{#- The period a statistics release names (FACTS.md Clarifications): 2季度 / 截至6月底 / 1-6月 / 上半年 → YH1;
    4季度 / 截至12月底 / 1-12月 / 全年 → Y; another quarter or month → 'unsupported' (no period of the spec);
    null when the text names none (then the document's year stands). Give it the title, or the opening of
    a text without one: a publication date further down is not the period. -#}
{% macro statistics_period(text) -%}
    case
        when regexp_matches({{ text }}, '(?:19|20)\d{2}\s*年[^，。,；]{0,12}统计公报')
            then regexp_extract({{ text }}, '((?:19|20)\d{2})\s*年[^，。,；]{0,12}统计公报', 1)
        when regexp_matches({{ text }}, '(?:19|20)\d{2}\s*年\s*(?:第)?\s*[2二]\s*季度')
            then regexp_extract({{ text }}, '((?:19|20)\d{2})\s*年\s*(?:第)?\s*[2二]\s*季度', 1) || 'H1'
        when regexp_matches({{ text }}, '(?:19|20)\d{2}\s*年\s*(?:第)?\s*[4四]\s*季度')
            then regexp_extract({{ text }}, '((?:19|20)\d{2})\s*年\s*(?:第)?\s*[4四]\s*季度', 1)
        when regexp_matches({{ text }}, '(?:19|20)\d{2}\s*年\s*(?:第)?\s*[13一三]\s*季度') then 'unsupported'
        when regexp_matches({{ text }}, '(?:19|20)\d{2}\s*年\s*(?:1\s*[-—~至]\s*)?6\s*月\s*(?:底|末|份)?|(?:19|20)\d{2}\s*年上半年')
            then regexp_extract({{ text }}, '((?:19|20)\d{2})\s*年', 1) || 'H1'
        when regexp_matches({{ text }}, '(?:19|20)\d{2}\s*年\s*(?:1\s*[-—~至]\s*)?12\s*月\s*(?:底|末|份)?|(?:19|20)\d{2}\s*年(?:全年|年度|底)')
            then regexp_extract({{ text }}, '((?:19|20)\d{2})\s*年', 1)
        when regexp_matches({{ text }}, '(?:19|20)\d{2}\s*年\s*(?:1\s*[-—~至]\s*)?(?:[1-9]|1[01])\s*月') then 'unsupported'
    end
{%- endmacro %}
