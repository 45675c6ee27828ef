-- build: sharded view
-- Billed revenue (../../models/staging/stg_revenue.sql), a shard's own rows: net revenue = amount −
-- discount, in Decimal(18, 2).
-- {period_filter}: where a model reads this view for some months, those months of the raw table
-- (models.ts: modelSql); nothing in the view itself.
SELECT
  period, region_code, subscription_id, customer_id, service, item, amount,
  discount_or_zero AS discount,
  amount - discount_or_zero AS net_amount,
  load_id
FROM (SELECT *, ifNull(discount, toDecimal64(0, 2)) AS discount_or_zero FROM raw_revenue_local {period_filter})
