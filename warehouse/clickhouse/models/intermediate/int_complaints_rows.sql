-- build: cluster
-- The rows of mart_complaints_breakdown before ALL's sums over its cities: every (period, region,
-- dimension, code) of the grid × the category, source and service codes, the complaint figures
-- under the null rule, and per city the complaints and subscriptions of a region with both a
-- complaint and a subscriber slice (cs_), null for ALL.
SELECT
  period, region_code, dimension, code, has_complaint,
  if(has_complaint, ifNull(complaints, 0), NULL) AS complaints_,
  if(has_complaint, ifNull(escalated_complaints, 0), NULL) AS escalated_complaints_,
  if(has_complaint, ifNull(sla_met, 0), NULL) AS sla_met_,
  if(has_complaint, ifNull(sla_due, 0), NULL) AS sla_due_,
  if(has_complaint, ifNull(resolved, 0), NULL) AS resolved_,
  resolution_hours AS resolution_hours_,
  if(has_complaint, ifNull(open_complaints, 0), NULL) AS open_complaints_,
  if(has_complaint, ifNull(overdue_open_complaints, 0), NULL) AS overdue_open_complaints_,
  if(has_complaint, ifNull(repeats, 0), NULL) AS repeats_,
  if(has_complaint, ifNull(satisfied, 0), NULL) AS satisfied_,
  if(has_complaint, ifNull(satisfaction_answers, 0), NULL) AS satisfaction_answers_,
  if(region_code <> 'ALL' AND has_complaint AND has_subscriber, ifNull(complaints, 0), NULL) AS cs_complaints,
  if(region_code <> 'ALL' AND has_complaint AND has_subscriber, ifNull(s_active, 0), NULL) AS cs_active_subscriptions
FROM (
  SELECT *
  FROM (
    SELECT g.period AS period, g.region_code AS region_code, e.dimension AS dimension, e.code AS code,
      g.has_complaint AS has_complaint, g.has_subscriber AS has_subscriber
    FROM int_kpi_grid AS g
    CROSS JOIN (SELECT dimension, code FROM ref_enums WHERE dimension IN ('category', 'source', 'service')) AS e
    WHERE g.period IN {periods}
  )
  ALL LEFT JOIN (
    SELECT period, region_code, dimension, code, complaints, escalated_complaints, sla_met, sla_due, resolved,
      resolution_hours, open_complaints, overdue_open_complaints, repeats, satisfied, satisfaction_answers
    FROM int_kpis_complaints
    WHERE period IN {periods} AND dimension <> 'total'
  ) USING (period, region_code, dimension, code)
)
ALL LEFT JOIN (
  SELECT period, region_code, active_subscriptions AS s_active
  FROM int_kpis_subscriptions
  WHERE period IN {periods}
) USING (period, region_code)
