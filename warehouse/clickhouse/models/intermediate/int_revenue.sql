-- build: sharded
-- tests: each shard
-- Revenue of p per (period, region, service, segment) (../../../models/intermediate/int_revenue.sql),
-- a shard's part: a revenue row and the subscription it bills are on the shard of their customer.
-- The readers sum the shards' parts (the sums and counts add up); the grain is unique on each shard.
SELECT
  period, region_code, service, segment,
  sum(amount) AS amount,
  sum(discount) AS discount,
  sum(net_amount) AS revenue,
  count() AS revenue_rows,
  countIf(is_orphan) AS orphan_rows
FROM (
  SELECT period, region_code, service, ifNull(s_segment, 'unknown') AS segment, isNull(s_segment) AS is_orphan,
    amount, discount, net_amount
  FROM (
    SELECT period, region_code, subscription_id, service, amount, discount, net_amount
    FROM stg_revenue_local
    WHERE period IN {periods}
  )
  ALL LEFT JOIN (
    SELECT period, subscription_id, segment AS s_segment
    FROM int_subscriptions_local
    WHERE period IN {periods}
  ) USING (period, subscription_id)
)
GROUP BY period, region_code, service, segment
