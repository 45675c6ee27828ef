-- build: sharded view
-- The rows int_customers groups by customer, a shard's own: each active subscription with its bits
-- (macros.sql: subscription_bits) and each revenue row with its net amount, each flagged by whether
-- its region has both a subscriber and a revenue slice for the month (covered). A customer's
-- subscriptions and revenue rows are all on the shard of its customer_id.
-- {period_filter}: where a model reads this view for some months, those months of each table it
-- reads (models.ts: modelSql); nothing in the view itself.
SELECT period, city, customer_id, row_bits, net,
  (period, city) IN (
    SELECT period, region_code FROM (SELECT * FROM int_kpi_grid {period_filter})
    WHERE region_code <> 'ALL' AND has_subscriber AND has_revenue
  ) AS covered
FROM (
  SELECT period, region_code AS city, customer_id,
    subscription_bits(service, segment, is_converged) AS row_bits, toDecimal64(0, 2) AS net
  FROM (SELECT * FROM int_subscriptions_local {period_filter})
  WHERE is_active
  UNION ALL
  SELECT period, region_code, customer_id, toUInt16(0), net_amount
  FROM stg_revenue_local {period_filter}
)
