-- The (period, region) rows the marts hold — every region with rows of any kind in the period, and
-- ALL for every period with data — and which extracts each has. A figure computed from an extract
-- kind is null where that kind has no rows (for ALL: in no region): a revenue extract not loaded yet
-- is not zero revenue. Complaints are the exception the marts make: a month without complaints is
-- a valid extract, so they count 0 there.
with present as (
  select distinct period, region_code::varchar as region_code, 'subscriber' as kind from int_subscriptions where list_contains($periods, period)
  union all
  select distinct period, region_code, 'revenue' as kind from stg_revenue where list_contains($periods, period)
  union all
  select distinct period, region_code, 'channel' as kind from stg_channel where list_contains($periods, period)
  union all
  select distinct period, region_code, 'complaint' as kind from stg_complaint where list_contains($periods, period)
),

by_region as (
  select
    period,
    region_code,
    bool_or(kind = 'subscriber') as has_subscriber,
    bool_or(kind = 'revenue') as has_revenue,
    bool_or(kind = 'channel') as has_channel,
    bool_or(kind = 'complaint') as has_complaint
  from present
  group by period, region_code
),

final as (
  select * from by_region
  union all
  select
    period,
    'ALL' as region_code,
    bool_or(has_subscriber),
    bool_or(has_revenue),
    bool_or(has_channel),
    bool_or(has_complaint)
  from by_region
  group by period
)

select * from final
