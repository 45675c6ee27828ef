-- One KPI of one period for every city of the region list, in code order, null where there is no
-- figure. kpis.ts ranks them by the KPI's direction (domain/ranking.ts). {{kpi}} is the KPI's column,
-- a checked key put in by quoteIdent.
with figures as (
  select region_code, {{kpi}} as value
  from mart_kpis
  where period = $period::date and region_code <> 'ALL'
),

final as (
  select r.code as region_code, r.name_zh, r.name_en, f.value
  from regions r
  left join figures f on f.region_code = r.code
  order by r.code
)

select * from final
