-- Complaint counts per (period, region incl. ALL), judged as of end(p) 23:59:59 (see stg_complaint).
with complaints as (
  select * from stg_complaint where list_contains($periods, period)
),

final as (
  select
    period,
    if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code,
    count(*) as complaints,
    count_if(is_escalated) as escalated_complaints,
    count_if(is_sla_met) as sla_met,
    count_if(is_sla_due) as sla_due,
    count_if(is_resolved) as resolved,
    sum(epoch(resolved_at - received_at) / 3600.0) filter (where is_resolved) as resolution_hours,
    count_if(is_repeat) as repeats,
    count_if(satisfaction = 'satisfied') as satisfied,
    count_if(satisfaction is not null) as satisfaction_answers
  from complaints
  group by grouping sets ((period, region_code), (period))
)

select * from final
