-- build: view
-- Outlets as of the end of their period (../../models/staging/stg_channel.sql): every shard holds
-- every channel row (raw_channel is replicated), so a join to channels stays on the shard.
-- {period_filter}: where a model reads this view for some months, those months of the raw table
-- (models.ts: modelSql); nothing in the view itself.
SELECT
  period,
  region_code,
  channel_id,
  channel_name,
  channel_type,
  channel_type IN ('partner_full', 'partner_store', 'service_point') AS is_social,
  ifNull(exclusive, 0) AS is_exclusive,
  opened_on,
  closed_on,
  opened_on <= last_day(period) AND ifNull(closed_on, toDate('2105-12-31')) > last_day(period) AS is_open,
  ifNull(commission, toDecimal64(0, 2)) AS commission,
  load_id
FROM raw_channel {period_filter}
