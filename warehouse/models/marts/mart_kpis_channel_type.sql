-- Sales and outlets per channel type: (period, region incl. ALL, channel_type), by the outlet's own
-- region (kpis.md v2: a city's outlets are judged on what they sold, whatever the subscription's
-- region). An add whose outlet is unknown has no type (see unattributed_adds in mart_kpis). Every
-- figure needs the region's channel slice; the adds may come from any region's subscriber slice,
-- so the sales figures are null only when no region has one. A converged add is one in a converged
-- bundle at end(p), as converged_customers counts them.
with grid as (
  select g.*, e.code as channel_type
  from int_kpi_grid g
  cross join ref_enums e
  where e.dimension = 'channel_type' and list_contains($periods, g.period)
),

adds as (
  select
    period,
    if(grouping(channel_region) = 1, 'ALL', channel_region::varchar) as region_code,
    channel_type,
    count(*) as gross_adds,
    count_if(is_converged) as converged_adds,
    count_if(is_exclusive_channel) as exclusive_adds
  from int_subscriptions
  where list_contains($periods, period) and is_gross_add and channel_type is not null
  group by grouping sets ((period, channel_region, channel_type), (period, channel_type))
),

outlets as (
  select
    period,
    if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code,
    channel_type,
    count(*) as outlets,
    count_if(is_open) as active_outlets,
    count_if(is_open and is_exclusive) as exclusive_outlets,
    sum(commission)::decimal(18, 2) as commission
  from stg_channel
  where list_contains($periods, period)
  group by grouping sets ((period, region_code, channel_type), (period, channel_type))
),

joined as (
  select
    period, region_code, channel_type,
    channel_type in ('partner_full', 'partner_store', 'service_point') as is_social,
    if(g.has_channel and g.province_has_subscriber, coalesce(columns(a.* exclude (period, region_code, channel_type)), 0), null),
    if(g.has_channel, coalesce(columns(o.* exclude (period, region_code, channel_type)), 0), null)
  from grid g
  left join adds a using (period, region_code, channel_type)
  left join outlets o using (period, region_code, channel_type)
),

final as (
  select
    period, region_code, channel_type,
    gross_adds,
    converged_adds,
    ratio(converged_adds, gross_adds) as converged_adds_share,
    outlets,
    active_outlets,
    ratio(gross_adds, active_outlets) as adds_per_outlet,
    commission::decimal(18, 2) as commission,
    money_div(commission, gross_adds) as commission_per_add,
    exclusive_outlets,
    exclusive_adds,
    -- exclusivity only exists for the social types
    if(is_social, ratio(exclusive_adds, gross_adds), null) as exclusive_adds_share
  from joined
)

select * from final
