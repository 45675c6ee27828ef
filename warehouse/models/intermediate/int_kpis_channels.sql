-- Outlet commission per (period, region incl. ALL), by the outlet's own region.
with final as (
  select
    period,
    if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code,
    sum(commission)::decimal(18, 2) as commission_total,
    coalesce(sum(commission) filter (where is_social), 0)::decimal(18, 2) as social_commission
  from stg_channel
  where list_contains($periods, period)
  group by grouping sets ((period, region_code), (period))
)

select * from final
