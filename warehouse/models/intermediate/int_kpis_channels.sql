-- Channel figures per (period, region incl. ALL), by the outlet's own region (kpis.md v2: a city's
-- outlets are judged on what they sold, whatever the subscription's region): the commission of its
-- outlets, its social outlets open at end(p) by exclusivity, and the gross adds they sold (open or
-- not) from any region's subscriber extract. Social = the three social channel types.
with outlets as (
  select
    period,
    if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code,
    sum(commission)::decimal(18, 2) as commission_total,
    coalesce(sum(commission) filter (where is_social), 0)::decimal(18, 2) as social_commission,
    coalesce(sum(commission) filter (where is_social and is_exclusive), 0)::decimal(18, 2) as exclusive_commission,
    coalesce(sum(commission) filter (where is_social and not is_exclusive), 0)::decimal(18, 2) as shared_commission,
    count_if(is_social and is_open and is_exclusive) as exclusive_outlets,
    count_if(is_social and is_open and not is_exclusive) as shared_outlets
  from stg_channel
  where list_contains($periods, period)
  group by grouping sets ((period, region_code), (period))
),

adds as (
  select
    period,
    if(grouping(channel_region) = 1, 'ALL', channel_region::varchar) as region_code,
    count_if(is_social_channel) as social_adds,
    count_if(is_exclusive_channel) as exclusive_adds,
    count_if(is_social_channel and not is_exclusive_channel) as shared_adds
  from int_subscriptions
  where list_contains($periods, period) and is_gross_add and channel_region is not null
  group by grouping sets ((period, channel_region), (period))
),

final as (
  select
    period,
    region_code,
    columns(o.* exclude (period, region_code)),
    coalesce(columns(a.* exclude (period, region_code)), 0)
  from outlets o
  left join adds a using (period, region_code)
)

select * from final
