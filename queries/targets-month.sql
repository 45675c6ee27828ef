-- Every KPI of one month for every region and ALL: the rows of mart_kpis that GET /api/kpis answers
-- from, the targets' actuals.
with final as (
  select *
  from mart_kpis
  where period = $period::date
)

select * from final
