-- One KPI of one region month by month from $from to $to: every month of the range, null where
-- there is no figure. {{kpi}} is the KPI's column, a checked key put in by quoteIdent.
with months as (
  select range::date as period
  from range($from::date, $to::date + interval 1 month, interval 1 month)
),

figures as (
  select period, {{kpi}} as value
  from mart_kpis
  where region_code = $region and period between $from::date and $to::date
),

final as (
  select strftime(m.period, '%Y-%m') as period, f.value
  from months m
  left join figures f on f.period = m.period
  order by m.period
)

select * from final
