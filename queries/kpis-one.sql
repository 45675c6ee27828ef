-- Every KPI of one (period, region): the row of mart_kpis, whose columns are the keys.
with final as (
  select *
  from mart_kpis
  where period = $period::date and region_code = $region
)

select * from final
