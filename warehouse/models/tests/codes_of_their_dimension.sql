-- The tables that hold several dimensions, a row's in `dimension` and its code in `code`, hold only
-- codes of the row's own dimension: what accepted_values checks of a column of one dimension.
with codes as (
  select distinct dimension, code from int_kpis_complaints where list_contains($periods, period) and dimension <> 'total'
  union all
  select distinct dimension, code from int_kpis_segment_service where list_contains($periods, period)
  union all
  select distinct dimension, code from mart_complaints_breakdown where list_contains($periods, period)
),

final as (
  select c.dimension, c.code
  from codes c
  anti join ref_enums e on e.dimension = c.dimension and e.code = c.code
  where c.code is not null
)

select * from final
