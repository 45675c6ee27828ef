-- build: sharded
-- A shard's part of int_kpis_churn (../../../models/intermediate/int_kpis_churn.sql): the cohort of p
-- (subscriptions active at end(p-1), in the region of their p-1 row, of the regions with a
-- subscriber slice for p and p-1) followed into p by subscription_id, per region (int_kpis_churn
-- adds the regions up for ALL: a subscription is in the cohort of one region, that of its p-1 row).
-- A subscription's rows of p-1 and p are on the shard of its customer, so the follow-up stays on the
-- shard and the counts add up.
SELECT
  period,
  city AS region_code,
  countIf(is_converged) AS converged_cohort,
  countIf(is_converged AND is_churned_) AS converged_cohort_churned,
  countIf(NOT is_converged) AS standalone_cohort,
  countIf(NOT is_converged AND is_churned_) AS standalone_cohort_churned,
  countIf(is_vanished) AS vanished_subscriptions
FROM (
  SELECT period, region_code AS city, is_converged, ifNull(p_churned, 0) AS is_churned_, isNull(p_churned) AS is_vanished
  FROM (
    SELECT addMonths(previous_period, 1) AS period, region_code, subscription_id, is_converged
    FROM (
      SELECT period AS previous_period, region_code, subscription_id, is_converged
      FROM int_subscriptions_local
      WHERE period IN {previous_periods} AND is_active
    )
    WHERE (addMonths(previous_period, 1), region_code) IN (
      SELECT period, region_code FROM int_kpi_grid
      WHERE period IN {periods} AND region_code <> 'ALL' AND has_subscriber AND has_previous_subscriber
    )
  )
  ALL LEFT JOIN (
    SELECT period, subscription_id, is_churned AS p_churned
    FROM int_subscriptions_local
    WHERE period IN {periods}
  ) USING (period, subscription_id)
)
GROUP BY period, city
