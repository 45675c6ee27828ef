-- The figures of one (period, region) by one dimension, a row per code in the contracts' order.
-- {{mart}} is the dimension's breakdown mart and {{code}} its column of the dimension's codes, put
-- in by quoteIdent. mart_complaints_breakdown holds two dimensions and names each row's in its
-- column `dimension`; the marts of one dimension have no such column, and get it here as null.
with figures as (
  select * from {{mart}}
  where period = $period::date and region_code = $region
  union all by name
  select null::varchar as dimension where false
),

final as (
  select e.code, e.label_zh, f.* exclude (period, region_code, dimension, {{code}})
  from ref_enums e
  left join figures f on f.{{code}} = e.code and coalesce(f.dimension, e.dimension) = e.dimension
  where e.dimension = $dimension
  order by e.ordinal
)

select * from final
