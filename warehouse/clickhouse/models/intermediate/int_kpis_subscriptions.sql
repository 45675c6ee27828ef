-- build: cluster
-- Subscription counts per (period, region incl. ALL), by the subscription's region
-- (../../../models/intermediate/int_kpis_subscriptions.sql), over every shard.
SELECT period, rc AS region_code, active_subscriptions, gross_adds, churned, converged_adds, unattributed_adds, zero_revenue_subscriptions
FROM (
  SELECT
    period,
    arrayJoin([region_code, 'ALL']) AS rc,
    countIf(is_active) AS active_subscriptions,
    countIf(is_gross_add) AS gross_adds,
    countIf(is_churned) AS churned,
    countIf(is_gross_add AND is_converged) AS converged_adds,
    countIf(is_gross_add AND isNull(channel_type)) AS unattributed_adds,
    countIf(is_active AND NOT has_net_revenue) AS zero_revenue_subscriptions
  FROM int_subscriptions
  WHERE period IN {periods}
  GROUP BY period, rc
)
