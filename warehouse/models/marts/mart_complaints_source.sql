-- Complaints per source: (period, region incl. ALL, source), every source on every grid row,
-- judged as of end(p) 23:59:59 like mart_kpis. A grid row without complaints counts 0: a month
-- without complaints is a valid extract.
with grid as (
  select g.period, g.region_code, g.has_subscriber, e.code as source
  from int_kpi_grid g
  cross join ref_enums e
  where e.dimension = 'source' and list_contains($periods, g.period)
),

complaints as (
  select
    period,
    if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code,
    source,
    count(*) as complaints,
    count_if(is_escalated) as escalated_complaints,
    count_if(is_sla_met) as sla_met,
    count_if(is_sla_due) as sla_due,
    count_if(is_resolved) as resolved,
    sum(epoch(resolved_at - received_at) / 3600.0) filter (where is_resolved) as resolution_hours,
    count_if(is_repeat) as repeats,
    count_if(satisfaction = 'satisfied') as satisfied,
    count_if(satisfaction is not null) as satisfaction_answers
  from stg_complaint
  where list_contains($periods, period)
  group by grouping sets ((period, region_code, source), (period, source))
),

subscriptions as (
  select period, region_code, active_subscriptions
  from int_kpis_subscriptions
  where list_contains($periods, period)
),

joined as (
  select
    g.period,
    g.region_code,
    g.source,
    coalesce(c.complaints, 0) as complaints,
    coalesce(c.escalated_complaints, 0) as escalated_complaints,
    coalesce(c.sla_met, 0) as sla_met,
    coalesce(c.sla_due, 0) as sla_due,
    coalesce(c.resolved, 0) as resolved,
    c.resolution_hours,
    coalesce(c.repeats, 0) as repeats,
    coalesce(c.satisfied, 0) as satisfied,
    coalesce(c.satisfaction_answers, 0) as satisfaction_answers,
    if(g.has_subscriber, coalesce(s.active_subscriptions, 0), null) as active_subscriptions
  from grid g
  left join complaints c on c.period = g.period and c.region_code = g.region_code and c.source = g.source
  left join subscriptions s on s.period = g.period and s.region_code = g.region_code
),

final as (
  select
    period,
    region_code,
    source,
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
