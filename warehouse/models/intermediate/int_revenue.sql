-- Revenue of p per (period, region, service, segment). The segment is the billed subscription's in
-- the same period's subscriber extracts (any region); a row whose subscription is in none of them
-- is an orphan (data quality) and its segment is 'unknown'. Money stays DECIMAL(18,2): one month of
-- one group is far below 10^16 yuan, and the narrow type keeps later sums fast.
with revenue as (
  select * from stg_revenue where list_contains($periods, period)
),

subscriptions as (
  select period, subscription_id, segment from int_subscriptions where list_contains($periods, period)
),

joined as (
  select
    r.period,
    r.region_code,
    r.service,
    coalesce(s.segment::varchar, 'unknown') as segment,
    s.subscription_id is null as is_orphan,
    r.amount,
    r.discount,
    r.net_amount
  from revenue r
  left join subscriptions s on s.period = r.period and s.subscription_id = r.subscription_id
),

final as (
  select
    period,
    region_code,
    service,
    segment,
    sum(amount)::decimal(18, 2) as amount,
    sum(discount)::decimal(18, 2) as discount,
    sum(net_amount)::decimal(18, 2) as revenue,
    count(*) as revenue_rows,
    count_if(is_orphan) as orphan_rows
  from joined
  group by period, region_code, service, segment
)

select * from final
