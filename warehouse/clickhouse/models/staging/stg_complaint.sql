-- build: sharded view
-- Complaints judged as of end(period) 23:59:59 Asia/Shanghai (../../models/staging/stg_complaint.sql),
-- a shard's own rows. received_at and resolved_at are DateTime('Asia/Shanghai') in the raw layer, so
-- the month, the deadline and as_of are Shanghai wall time whatever the server's zone.
SELECT
  toStartOfMonth(received_at) AS period,
  region_code,
  complaint_id,
  received_at,
  customer_id,
  service,
  category,
  source,
  resolved_at,
  isNull(sla_hours_given) AS sla_hours_defaulted,
  ifNull(sla_hours_given, if(category = 'installation', 72, 48)) AS sla_hours,
  satisfaction,
  repeat_of,
  load_id,
  addHours(received_at, sla_hours) AS deadline,
  addSeconds(toDateTime(addMonths(toStartOfMonth(received_at), 1), 'Asia/Shanghai'), -1) AS as_of,
  source IN ('media', 'regulator', 'upper_company') AS is_escalated,
  ifNull(resolved_at <= as_of, 0) AS is_resolved,
  ifNull(resolved_at <= least(deadline, as_of), 0) AS is_sla_met,
  is_resolved OR deadline <= as_of AS is_sla_due,
  NOT is_resolved AND deadline <= as_of AS is_overdue_open,
  isNotNull(repeat_of) AS is_repeat,
  if(is_resolved, toFloat64(assumeNotNull(resolved_at) - received_at) / 3600, 0) AS resolution_hours
FROM (SELECT *, sla_hours AS sla_hours_given FROM raw_complaint_local)
