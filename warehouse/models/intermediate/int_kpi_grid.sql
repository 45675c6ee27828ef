-- The (period, region) rows the marts hold, and which extract kinds each has (kpis.md v2, "Missing
-- extracts"): a kind is present for (region, p) when it has a slice (stg_slices), empty or not, and
-- missing otherwise, and every figure computed from a missing kind is null there, never 0 (a
-- complaint file that has not arrived is not a month without complaints). Rows: every region with a
-- slice of any kind in p, and ALL for every such period; for ALL a kind is present when any region
-- has it. has_previous_subscriber: a subscriber slice for p-1 (for ALL: in any region), what churn,
-- net adds and ARPU's average compare with. province_has_subscriber: ALL's has_subscriber on every
-- row, since the adds a city's outlets sold may come from any region's subscriber slice.
with slices as (
  select period, region_code, kind from stg_slices where list_contains($periods, period)
),

previous as (
  select (period + interval 1 month)::date as period, region_code
  from stg_slices
  where kind = 'subscriber' and list_contains($previous_periods, period)
),

by_region as (
  select
    period,
    region_code,
    bool_or(kind = 'subscriber') as has_subscriber,
    bool_or(kind = 'revenue') as has_revenue,
    bool_or(kind = 'channel') as has_channel,
    bool_or(kind = 'complaint') as has_complaint
  from slices
  group by period, region_code
),

province as (
  select
    period,
    'ALL' as region_code,
    bool_or(has_subscriber) as has_subscriber,
    bool_or(has_revenue) as has_revenue,
    bool_or(has_channel) as has_channel,
    bool_or(has_complaint) as has_complaint,
    bool_or(period in (select period from previous)) as has_previous_subscriber
  from by_region
  group by period
),

final as (
  select
    r.*,
    p.region_code is not null as has_previous_subscriber,
    v.has_subscriber as province_has_subscriber
  from by_region r
  left join previous p using (period, region_code)
  join province v using (period)
  union all by name
  select *, has_subscriber as province_has_subscriber from province
)

select * from final
