-- build: cluster
-- Subscription counts per (period, region incl. ALL, segment, service)
-- (../../../models/intermediate/int_stock.sql), over every shard (int_subscriptions reads them all;
-- each shard counts its part and the first merges them).
SELECT period, rc AS region_code, segment, service, subscriptions, active_subscriptions, gross_adds, churned
FROM (
  SELECT
    period,
    arrayJoin([region_code, 'ALL']) AS rc,
    segment,
    service,
    count() AS subscriptions,
    countIf(is_active) AS active_subscriptions,
    countIf(is_gross_add) AS gross_adds,
    countIf(is_churned) AS churned
  FROM int_subscriptions
  WHERE period IN {periods}
  GROUP BY period, rc, segment, service
)
