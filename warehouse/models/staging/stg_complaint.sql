-- Complaints with the figures kpis.md judges them by, as of end(period) 23:59:59 (as_of): one row
-- per complaint_id, kept unique by ingest and proven so by the data tests (see stg_subscriber). A
-- resolution after as_of is treated as not yet made; the deadline is received_at + sla_hours, which
-- defaults to 48, 72 for installation.
with source as (
  select * from raw_complaint
),

typed as (
  select
    date_trunc('month', received_at)::date as period,
    region_code,
    complaint_id,
    received_at,
    customer_id,
    service,
    category,
    source,
    resolved_at,
    coalesce(sla_hours, case when category = 'installation' then 72 else 48 end) as sla_hours,
    sla_hours is null as sla_hours_defaulted,
    satisfaction,
    repeat_of,
    load_id
  from source
),

judged as (
  select
    *,
    received_at + to_hours(sla_hours) as deadline,
    last_day(period) + interval '23:59:59' as as_of
  from typed
),

final as (
  select
    *,
    source in ('media', 'regulator', 'upper_company') as is_escalated,
    coalesce(resolved_at <= as_of, false) as is_resolved,
    coalesce(resolved_at <= least(deadline, as_of), false) as is_sla_met,
    coalesce(resolved_at <= as_of, false) or deadline <= as_of as is_sla_due,
    -- open as of as_of and past its deadline (超时未办结)
    not coalesce(resolved_at <= as_of, false) and deadline <= as_of as is_overdue_open,
    repeat_of is not null as is_repeat
  from judged
)

select * from final
