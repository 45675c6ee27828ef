-- One KPI of the months $from … $to for every region of the mart (the cities and ALL), for the alert
-- rules (queries/alerts.ts): a month's figure and the month before it. {{kpi}} is the KPI's column, a
-- checked key put in by quoteIdent; null where there is no figure.
with figures as (
  select region_code, strftime(period, '%Y-%m') as period, {{kpi}} as value
  from mart_kpis
  where period between $from::date and $to::date
),

final as (
  select * from figures order by region_code, period
)

select * from final
