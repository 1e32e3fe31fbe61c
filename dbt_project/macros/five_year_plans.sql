{#- The numerals of the five-year plans (十一五 … 十九五), written once: a plan's last year is
    2010 + 5 × (position − 1), so 十四五 ends in 2025. -#}
{% macro plan_numerals() -%}
    ['一', '二', '三', '四', '五', '六', '七', '八', '九']
{%- endmacro %}

{% macro plan_end_year(numeral) -%}
    (2010 + 5 * (list_position({{ plan_numerals() }}, {{ numeral }}) - 1))
{%- endmacro %}
