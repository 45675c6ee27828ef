-- build: sharded view
-- Subscriptions as of the end of their period (../../models/staging/stg_subscriber.sql), over a
-- shard's own rows: one row per (period, subscription_id), typed flags for what the KPIs count.
-- ClickHouse's `and`/`or` give null when an argument is null, so the open end of a subscription is
-- read as a date past any period.
-- {period_filter}: where a model reads this view for some months, those months of the raw table
-- (models.ts: modelSql); nothing in the view itself.
SELECT
  period, region_code, subscription_id, customer_id, segment, service, plan_code, bundle_id, channel_id,
  activated_on, terminated_on,
  activated_on <= last_day(period) AND ifNull(terminated_on, toDate('2105-12-31')) > last_day(period) AS is_active,
  activated_on >= period AND activated_on <= last_day(period) AS is_gross_add,
  ifNull(terminated_on, toDate('1971-01-01')) >= period AND ifNull(terminated_on, toDate('2105-12-31')) <= last_day(period) AS is_churned,
  load_id
FROM raw_subscriber_local {period_filter}
