-- Channel figures per (period, region incl. ALL, channel_type), by the outlet's own region (kpis.md
-- v2: a city's outlets are judged on what they sold, whatever the subscription's region): its outlets
-- of the type, those open at end(p), their commission, split for the social types (partner_full,
-- partner_store, service_point) into exclusive and shared (not exclusive) outlets, and the gross
-- adds they sold (open or not) from any region's subscriber extract, with the same split. A
-- converged add is one in a converged bundle at end(p), as converged_customers counts them.
-- mart_kpis_channel_type takes the rows per type, mart_kpis their sums.
with outlets as (
  select
    period,
    if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code,
    channel_type,
    count(*) as outlets,
    count_if(is_open) as active_outlets,
    count_if(is_open and is_social and is_exclusive) as exclusive_outlets,
    count_if(is_open and is_social and not is_exclusive) as shared_outlets,
    sum(commission)::decimal(18, 2) as commission,
    coalesce(sum(commission) filter (where is_social), 0)::decimal(18, 2) as social_commission,
    coalesce(sum(commission) filter (where is_social and is_exclusive), 0)::decimal(18, 2) as exclusive_commission,
    coalesce(sum(commission) filter (where is_social and not is_exclusive), 0)::decimal(18, 2) as shared_commission
  from stg_channel
  where list_contains($periods, period)
  group by grouping sets ((period, region_code, channel_type), (period, channel_type))
),

adds as (
  select
    period,
    if(grouping(channel_region) = 1, 'ALL', channel_region::varchar) as region_code,
    channel_type::varchar as channel_type,
    count(*) as gross_adds,
    count_if(is_converged) as converged_adds,
    count_if(is_social_channel) as social_adds,
    count_if(is_exclusive_channel) as exclusive_adds,
    count_if(is_social_channel and not is_exclusive_channel) as shared_adds
  from int_subscriptions
  where list_contains($periods, period) and is_gross_add and channel_type is not null
  group by grouping sets ((period, channel_region, channel_type), (period, channel_type))
),

-- every add has an outlet of the period's channel rows, so its (region, type) has an outlets row
final as (
  select
    period,
    region_code,
    channel_type,
    columns(o.* exclude (period, region_code, channel_type)),
    coalesce(columns(a.* exclude (period, region_code, channel_type)), 0)
  from outlets o
  left join adds a using (period, region_code, channel_type)
)

select * from final
