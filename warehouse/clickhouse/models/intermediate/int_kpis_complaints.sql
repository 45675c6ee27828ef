-- build: cluster
-- Complaint counts per (period, region incl. ALL, dimension, code) (../../../models/intermediate/
-- int_kpis_complaints.sql): the total and per category, source and service, each counted from the
-- rows over every shard. Each row appears once per region of [region, 'ALL'] and once per level of
-- [total, category, source, service] (arrayJoin twice is their product); a complaint without a
-- service is in no service row.
SELECT
  period, rc AS region_code, dim.1 AS dimension, assumeNotNull(dim.2) AS code,
  complaints, escalated_complaints, regulator_complaints, sla_met, sla_due, resolved,
  if(resolved = 0, NULL, resolution_hours_sum) AS resolution_hours,
  open_complaints, overdue_open_complaints, repeats, satisfied, satisfaction_answers
FROM (
  SELECT
    period,
    arrayJoin([region_code, 'ALL']) AS rc,
    arrayJoin([('total', CAST('total' AS Nullable(String))), ('category', CAST(category AS Nullable(String))),
               ('source', CAST(source AS Nullable(String))), ('service', service)]) AS dim,
    count() AS complaints,
    countIf(is_escalated) AS escalated_complaints,
    countIf(source = 'regulator') AS regulator_complaints,
    countIf(is_sla_met) AS sla_met,
    countIf(is_sla_due) AS sla_due,
    countIf(is_resolved) AS resolved,
    sum(resolution_hours) AS resolution_hours_sum,
    countIf(NOT is_resolved) AS open_complaints,
    countIf(is_overdue_open) AS overdue_open_complaints,
    countIf(is_repeat) AS repeats,
    countIf(satisfaction = 'satisfied') AS satisfied,
    countIf(isNotNull(satisfaction)) AS satisfaction_answers
  FROM stg_complaint
  WHERE period IN {periods}
  GROUP BY period, rc, dim
  HAVING isNotNull(dim.2)
)
