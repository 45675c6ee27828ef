-- Complaints per category and per source: (period, region incl. ALL, dimension, code), every code
-- of both dimensions on every grid row, judged as of end(p) 23:59:59 like mart_kpis. A grid row
-- without complaints counts 0: a month without complaints is a valid extract.
with grid as (
  select g.period, g.region_code, g.has_subscriber, e.dimension, e.code
  from int_kpi_grid g
  cross join ref_enums e
  where e.dimension in ('category', 'source') and list_contains($periods, g.period)
),

complaints as (
  select * from int_kpis_complaints where list_contains($periods, period) and dimension <> 'total'
),

subscriptions as (
  select period, region_code, active_subscriptions
  from int_kpis_subscriptions
  where list_contains($periods, period)
),

joined as (
  select
    period, region_code, dimension, code,
    coalesce(columns(c.* exclude (period, region_code, dimension, code, resolution_hours)), 0),
    c.resolution_hours,
    if(g.has_subscriber, coalesce(s.active_subscriptions, 0), null) as active_subscriptions
  from grid g
  left join complaints c using (period, region_code, dimension, code)
  left join subscriptions s using (period, region_code)
),

final as (
  select
    period, region_code, dimension, code,
    complaints,
    ratio(complaints * 10000, active_subscriptions) as complaints_per_10k,
    escalated_complaints,
    sla_met,
    sla_due,
    ratio(sla_met, sla_due) as sla_met_rate,
    ratio(resolution_hours, resolved) as mean_resolution_hours,
    repeats,
    ratio(repeats, complaints) as repeat_rate,
    satisfied,
    satisfaction_answers,
    ratio(satisfied, satisfaction_answers) as satisfaction_rate
  from joined
)

select * from final
