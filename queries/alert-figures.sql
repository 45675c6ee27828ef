-- Every KPI of the months $from … $to for every region of the mart (the cities and ALL), for the alert
-- rules (queries/alerts.ts): one small read however many rules there are (regions × months rows).
with figures as (
  select * replace (strftime(period, '%Y-%m') as period)
  from mart_kpis
  where period between $from::date and $to::date
),

final as (
  select * from figures order by region_code, period
)

select * from final
