-- Complaints per category, per source and per service: (period, region incl. ALL, dimension, code),
-- every code of the three dimensions on every grid row, judged as of end(p) 23:59:59 like mart_kpis.
-- A region with a complaint slice and no complaint of a code counts 0 there (an empty slice is a
-- month without complaints); without a complaint slice every figure is null, never 0 (int_kpi_grid).
-- Complaints per 10k subscriptions need a subscriber slice too; ALL's cover the regions that have
-- both (kpis.md v2), as in mart_kpis.
with grid as (
  select g.*, e.dimension, e.code
  from int_kpi_grid g
  cross join ref_enums e
  where e.dimension in ('category', 'source', 'service') and list_contains($periods, g.period)
),

complaints as (
  select * from int_kpis_complaints where list_contains($periods, period) and dimension <> 'total'
),

subscriptions as (
  select period, region_code, active_subscriptions
  from int_kpis_subscriptions
  where list_contains($periods, period)
),

covered as (
  select
    period, if(grouping(region_code) = 1, 'ALL', region_code) as region_code, dimension, code,
    sum(cs_complaints) as cs_complaints, sum(cs_active_subscriptions) as cs_active_subscriptions
  from (
    select
      period, region_code, dimension, code,
      if(g.has_complaint and g.has_subscriber, coalesce(c.complaints, 0), null) as cs_complaints,
      if(g.has_complaint and g.has_subscriber, coalesce(s.active_subscriptions, 0), null) as cs_active_subscriptions
    from grid g
    left join complaints c using (period, region_code, dimension, code)
    left join subscriptions s using (period, region_code)
    where region_code <> 'ALL'
  )
  group by grouping sets ((period, region_code, dimension, code), (period, dimension, code))
),

joined as (
  select
    period, region_code, dimension, code,
    if(g.has_complaint, coalesce(columns(c.* exclude (period, region_code, dimension, code, resolution_hours)), 0), null),
    c.resolution_hours,
    columns(v.* exclude (period, region_code, dimension, code))
  from grid g
  left join complaints c using (period, region_code, dimension, code)
  left join covered v using (period, region_code, dimension, code)
),

final as (
  select
    period, region_code, dimension, code,
    complaints,
    ratio(cs_complaints * 10000, cs_active_subscriptions) as complaints_per_10k,
    escalated_complaints,
    sla_met,
    sla_due,
    ratio(sla_met, sla_due) as sla_met_rate,
    ratio(resolution_hours, resolved) as mean_resolution_hours,
    open_complaints,
    overdue_open_complaints,
    repeats,
    ratio(repeats, complaints) as repeat_rate,
    satisfied,
    satisfaction_answers,
    ratio(satisfied, satisfaction_answers) as satisfaction_rate
  from joined
)

select * from final
