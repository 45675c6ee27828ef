-- build: cluster
-- Churn cohorts of p per (period, region incl. ALL) (../../../models/intermediate/int_kpis_churn.sql):
-- the shards' parts (int_churn) summed.
SELECT
  period, region_code,
  sum(converged_cohort) AS converged_cohort,
  sum(converged_cohort_churned) AS converged_cohort_churned,
  sum(standalone_cohort) AS standalone_cohort,
  sum(standalone_cohort_churned) AS standalone_cohort_churned,
  sum(vanished_subscriptions) AS vanished_subscriptions
FROM int_churn
WHERE has({periods}, period)
GROUP BY period, region_code
