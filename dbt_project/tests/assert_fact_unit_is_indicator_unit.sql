-- Every fact is in its indicator's catalogue unit.
select facts.indicator_value_id, facts.unit, indicators.unit as catalogue_unit
from {{ ref('fct_indicator_values') }} as facts
inner join {{ ref('dim_indicator') }} as indicators using (indicator_code)
where facts.unit <> indicators.unit
