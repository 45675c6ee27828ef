-- build: sharded
-- One row per (period, subscription_id) with the flags every subscriber KPI counts
-- (../../../models/intermediate/int_subscriptions.sql), built on each shard from its own rows: a
-- customer's subscriptions, bundles and revenue rows are on one shard (sharded by customer_id), and
-- every shard holds every outlet, so the three lookups stay on the shard. A bundle belongs to one
-- customer. Converged bundles and billed subscriptions are set lookups (IN builds a set of the keys:
-- cheaper than a join that carries a column); the outlets, whose columns it needs, a join.
SELECT
  period, region_code, subscription_id, customer_id, segment, service, has_bundle, is_active, is_gross_add, is_churned,
  is_converged, channel_type, channel_region, is_social_channel, is_exclusive_channel,
  (period, subscription_id) IN (
    SELECT period, subscription_id
    FROM stg_revenue_local
    WHERE period IN {periods}
    GROUP BY period, subscription_id
    HAVING sum(net_amount) > 0
  ) AS has_net_revenue
FROM (
  SELECT
    period, region_code, subscription_id, customer_id, segment, service, has_bundle, is_active, is_gross_add, is_churned,
    is_converged,
    c_channel_type AS channel_type,
    c_region_code AS channel_region,
    ifNull(c_is_social, 0) AS is_social_channel,
    ifNull(c_is_social AND c_is_exclusive, 0) AS is_exclusive_channel
  FROM (
    SELECT
      period, region_code, subscription_id, customer_id, segment, service,
      isNotNull(bundle_id) AS has_bundle,
      is_active, is_gross_add, is_churned,
      -- converged: active, in a bundle with two or more services active (the set of services as a bitmask)
      is_active AND (period, bundle_key) IN (
        SELECT period, assumeNotNull(bundle_id)
        FROM stg_subscriber_local
        WHERE period IN {periods} AND is_active AND isNotNull(bundle_id)
        GROUP BY period, bundle_id
        HAVING bit_count(groupBitOr(service_bit(service))) >= 2
      ) AS is_converged,
      ifNull(channel_id, '') AS channel_key
    FROM (
      SELECT period, region_code, subscription_id, customer_id, segment, service, bundle_id, channel_id,
        is_active, is_gross_add, is_churned, ifNull(bundle_id, '') AS bundle_key
      FROM stg_subscriber_local
      WHERE period IN {periods}
    )
  )
  ALL LEFT JOIN (
    SELECT period, channel_id AS channel_key, channel_type AS c_channel_type, region_code AS c_region_code,
      is_social AS c_is_social, is_exclusive AS c_is_exclusive
    FROM stg_channel
    WHERE period IN {periods}
  ) USING (period, channel_key)
)
