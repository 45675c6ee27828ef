-- The month's figures of the KPIs the targets name ($keys), for every region and ALL: the rows of
-- mart_kpis that GET /api/kpis answers from, the targets' actuals.
with final as (
  select region_code, columns(c -> list_contains($keys, c))
  from mart_kpis
  where period = $period::date
)

select * from final
