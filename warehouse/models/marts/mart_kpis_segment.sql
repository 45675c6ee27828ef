-- Subscription, customer and revenue figures per customer group: (period, region incl. ALL,
-- segment). The rows of int_kpis_segment_service by segment, where the figures are defined, without
-- the sums mart_kpis takes of its service rows.
with final as (
  select
    period, region_code, code as segment,
    * exclude (period, region_code, dimension, code, lfl_active, lfl_previous, lfl_churned, rs_revenue, rs_twice_average)
  from int_kpis_segment_service
  where list_contains($periods, period) and dimension = 'segment'
)

select * from final
