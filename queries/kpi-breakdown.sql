-- The figures of one (period, region) by one dimension, a row per code in the contracts' order.
-- {{mart}} and {{dimension}} are a breakdown mart and its dimension column, put in by quoteIdent.
with final as (
  select e.code, e.label_zh, m.* exclude (period, region_code, {{dimension}})
  from ref_enums e
  left join {{mart}} m
    on m.{{dimension}} = e.code and m.period = $period::date and m.region_code = $region
  where e.dimension = $dimension
  order by e.ordinal
)

select * from final
