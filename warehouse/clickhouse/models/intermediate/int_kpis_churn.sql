-- build: cluster
-- Churn cohorts of p per (period, region incl. ALL) (../../../models/intermediate/int_kpis_churn.sql):
-- the shards' parts (int_churn) summed, and the regions summed for ALL (a subscription is in the
-- cohort of one region, that of its p-1 row).
SELECT
  period, rc AS region_code,
  sum(converged_cohort) AS converged_cohort,
  sum(converged_cohort_churned) AS converged_cohort_churned,
  sum(standalone_cohort) AS standalone_cohort,
  sum(standalone_cohort_churned) AS standalone_cohort_churned,
  sum(vanished_subscriptions) AS vanished_subscriptions
FROM (
  SELECT period, region_code AS city, converged_cohort, converged_cohort_churned, standalone_cohort,
    standalone_cohort_churned, vanished_subscriptions
  FROM int_churn
  WHERE period IN {periods}
)
ARRAY JOIN [city, 'ALL'] AS rc
GROUP BY period, rc
