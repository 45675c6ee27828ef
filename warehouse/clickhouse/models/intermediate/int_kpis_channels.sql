-- build: cluster
-- Channel figures per (period, region incl. ALL, channel_type), by the outlet's own region
-- (../../../models/intermediate/int_kpis_channels.sql): the outlets from the first shard's copy of
-- the channel rows (every shard holds them all), the adds they sold over every shard.
SELECT
  period, region_code, channel_type,
  outlets, active_outlets, exclusive_outlets, shared_outlets,
  commission, social_commission, exclusive_commission, shared_commission,
  ifNull(a_gross_adds, 0) AS gross_adds,
  ifNull(a_converged_adds, 0) AS converged_adds,
  ifNull(a_social_adds, 0) AS social_adds,
  ifNull(a_exclusive_adds, 0) AS exclusive_adds,
  ifNull(a_shared_adds, 0) AS shared_adds
FROM (
  SELECT period, rc AS region_code, channel_type, outlets, active_outlets, exclusive_outlets, shared_outlets,
    commission_sum AS commission, social_commission, exclusive_commission, shared_commission
  FROM (
    SELECT
      period,
      arrayJoin([region_code, 'ALL']) AS rc,
      channel_type,
      count() AS outlets,
      countIf(is_open) AS active_outlets,
      countIf(is_open AND is_social AND is_exclusive) AS exclusive_outlets,
      countIf(is_open AND is_social AND NOT is_exclusive) AS shared_outlets,
      sum(commission) AS commission_sum,
      sumIf(commission, is_social) AS social_commission,
      sumIf(commission, is_social AND is_exclusive) AS exclusive_commission,
      sumIf(commission, is_social AND NOT is_exclusive) AS shared_commission
    FROM stg_channel
    WHERE period IN {periods}
    GROUP BY period, rc, channel_type
  )
)
ALL LEFT JOIN (
  SELECT period, rc AS region_code, ct AS channel_type, a_gross_adds, a_converged_adds, a_social_adds, a_exclusive_adds, a_shared_adds
  FROM (
    SELECT
      period,
      arrayJoin([assumeNotNull(channel_region), 'ALL']) AS rc,
      assumeNotNull(channel_type) AS ct,
      count() AS a_gross_adds,
      countIf(is_converged) AS a_converged_adds,
      countIf(is_social_channel) AS a_social_adds,
      countIf(is_exclusive_channel) AS a_exclusive_adds,
      countIf(is_social_channel AND NOT is_exclusive_channel) AS a_shared_adds
    FROM int_subscriptions
    WHERE period IN {periods} AND is_gross_add AND isNotNull(channel_type)
    GROUP BY period, rc, ct
  )
) USING (period, region_code, channel_type)
