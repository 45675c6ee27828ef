-- build: cluster
-- Complaints per category, per source and per service: (period, region incl. ALL, dimension, code)
-- (../../../models/marts/mart_complaints_breakdown.sql), from int_complaints_rows; ALL's complaints
-- per 10k are over the cities with both a complaint and a subscriber slice.
SELECT
  period, region_code, dimension, code,
  complaints_ AS complaints,
  ratio(if(region_code = 'ALL', a_cs_complaints, cs_complaints) * 10000,
        if(region_code = 'ALL', a_cs_active_subscriptions, cs_active_subscriptions)) AS complaints_per_10k,
  escalated_complaints_ AS escalated_complaints,
  sla_met_ AS sla_met,
  sla_due_ AS sla_due,
  ratio(sla_met_, sla_due_) AS sla_met_rate,
  ratio(resolution_hours_, resolved_) AS mean_resolution_hours,
  open_complaints_ AS open_complaints,
  overdue_open_complaints_ AS overdue_open_complaints,
  repeats_ AS repeats,
  ratio(repeats_, complaints_) AS repeat_rate,
  satisfied_ AS satisfied,
  satisfaction_answers_ AS satisfaction_answers,
  ratio(satisfied_, satisfaction_answers_) AS satisfaction_rate
FROM int_complaints_rows
ALL LEFT JOIN (
  SELECT period, dimension, code, sum(cs_complaints) AS a_cs_complaints, sum(cs_active_subscriptions) AS a_cs_active_subscriptions
  FROM int_complaints_rows
  WHERE period IN {periods} AND region_code <> 'ALL'
  GROUP BY period, dimension, code
) USING (period, dimension, code)
WHERE period IN {periods}
