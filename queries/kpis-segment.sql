-- The KPIs computed per customer group, for one (period, region, segment).
with final as (
  select *
  from mart_kpis_segment
  where period = $period::date and region_code = $region and segment = $segment
)

select * from final
