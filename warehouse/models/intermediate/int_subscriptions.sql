-- One row per (period, subscription_id) with the flags every subscriber KPI counts.
-- Converged: active, in a bundle that has active subscriptions in ≥ 2 distinct services in the same
-- period, counted across ALL regions (kpis.md) — which is why a subscriber slice refreshes every
-- region of its period. The selling outlet is looked up among the same period's channels of any
-- region; channel_region is the outlet's region, to which the channel figures credit the add.
-- has_net_revenue: the subscription's revenue rows of the period (any region, by subscription_id)
-- sum to more than 0 net (zero_revenue_share counts the active subscriptions without).
-- Region, segment, service and channel type are stored as the ENUM types the runner makes from the
-- region list and the contracts: this table has a row per subscription and month, and text columns
-- are what makes it slow to write. A value outside them becomes null (and fails the tests).
with subscriptions as (
  select * from stg_subscriber where list_contains($periods, period)
),

bundles as (
  -- the set of services as a bitmask: cheaper than count(distinct service)
  select period, bundle_id, bit_count(bit_or(service_bit(service))) as active_services
  from subscriptions
  where is_active and bundle_id is not null
  group by period, bundle_id
),

channels as (
  select period, channel_id, region_code, channel_type, is_social, is_exclusive
  from stg_channel
  where list_contains($periods, period)
),

billed as (
  select period, subscription_id
  from stg_revenue
  where list_contains($periods, period)
  group by period, subscription_id
  having sum(net_amount) > 0
),

final as (
  select
    s.period,
    try_cast(s.region_code as region_t) as region_code,
    s.subscription_id,
    s.customer_id,
    try_cast(s.segment as segment_t) as segment,
    try_cast(s.service as service_t) as service,
    s.bundle_id is not null as has_bundle,
    s.is_active,
    s.is_gross_add,
    s.is_churned,
    s.is_active and coalesce(b.active_services >= 2, false) as is_converged,
    try_cast(c.channel_type as channel_type_t) as channel_type,
    try_cast(c.region_code as region_t) as channel_region,
    coalesce(c.is_social, false) as is_social_channel,
    coalesce(c.is_social and c.is_exclusive, false) as is_exclusive_channel,
    r.subscription_id is not null as has_net_revenue
  from subscriptions s
  left join bundles b on b.period = s.period and b.bundle_id = s.bundle_id
  left join channels c on c.period = s.period and c.channel_id = s.channel_id
  left join billed r on r.period = s.period and r.subscription_id = s.subscription_id
)

select * from final
