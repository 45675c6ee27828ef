-- Sales and outlets per channel type: (period, region incl. ALL, channel_type), by the outlet's own
-- region (kpis.md v2: a city's outlets are judged on what they sold, whatever the subscription's
-- region; see int_kpis_channels). An add whose outlet is unknown has no type (see unattributed_adds
-- in mart_kpis). Every figure needs the region's channel slice; the adds may come from any region's
-- subscriber slice, so the sales figures are null only when no region has one.
with grid as (
  select g.*, e.code as channel_type
  from int_kpi_grid g
  cross join ref_enums e
  where e.dimension = 'channel_type' and list_contains($periods, g.period)
),

channels as (
  select * from int_kpis_channels where list_contains($periods, period)
),

joined as (
  select
    period, region_code, channel_type,
    channel_type in ('partner_full', 'partner_store', 'service_point') as is_social,
    if(g.has_channel and g.province_has_subscriber, coalesce(c.gross_adds, 0), null) as gross_adds,
    if(g.has_channel and g.province_has_subscriber, coalesce(c.converged_adds, 0), null) as converged_adds,
    if(g.has_channel and g.province_has_subscriber, coalesce(c.exclusive_adds, 0), null) as exclusive_adds,
    if(g.has_channel, coalesce(c.outlets, 0), null) as outlets,
    if(g.has_channel, coalesce(c.active_outlets, 0), null) as active_outlets,
    if(g.has_channel, coalesce(c.exclusive_outlets, 0), null) as exclusive_outlets,
    if(g.has_channel, coalesce(c.commission, 0), null) as commission
  from grid g
  left join channels c using (period, region_code, channel_type)
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
