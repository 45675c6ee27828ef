-- Complaint counts per (period, region incl. ALL), judged as of end(p) 23:59:59 (see stg_complaint):
-- in total (dimension and code 'total'), and per category, per source and per service (dimension
-- 'category', 'source' or 'service', code the complaint's; a complaint without a service is in no
-- service row). Every level is counted from the rows (grouping sets), never summed from another, so
-- the reconciliation tests compare independent sums; mart_kpis reads the totals and
-- mart_complaints_breakdown the rest.
with final as (
  select
    period,
    if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code,
    case when grouping(category) = 0 then 'category' when grouping(source) = 0 then 'source'
         when grouping(service) = 0 then 'service' else 'total' end as dimension,
    case when grouping(category) = 0 then category when grouping(source) = 0 then source
         when grouping(service) = 0 then service else 'total' end as code,
    count(*) as complaints,
    count_if(is_escalated) as escalated_complaints,
    count_if(source = 'regulator') as regulator_complaints,
    count_if(is_sla_met) as sla_met,
    count_if(is_sla_due) as sla_due,
    count_if(is_resolved) as resolved,
    sum(epoch(resolved_at - received_at) / 3600.0) filter (where is_resolved) as resolution_hours,
    count_if(not is_resolved) as open_complaints,
    count_if(is_overdue_open) as overdue_open_complaints,
    count_if(is_repeat) as repeats,
    count_if(satisfaction = 'satisfied') as satisfied,
    count_if(satisfaction is not null) as satisfaction_answers
  from stg_complaint
  where list_contains($periods, period)
  group by grouping sets (
    (period, region_code), (period),
    (period, region_code, category), (period, category),
    (period, region_code, source), (period, source),
    (period, region_code, service), (period, service)
  )
  having grouping(service) = 1 or service is not null
)

select * from final
