-- Revenue of p summed per (period, region, service, segment, customer status): a small table every
-- revenue figure reads. The segment is the billed subscription's in the same period's subscriber
-- extracts (any region); a row whose subscription is in none of them is an orphan (data quality)
-- and its segment is 'unknown'. The customer status (converged, standalone, or not active) is the customer's
-- in the row's region (region_status) and in the province (province_status), which can differ.
with revenue as (
  select * from stg_revenue where list_contains($periods, period)
),

subscriptions as (
  select period, subscription_id, segment from int_subscriptions where list_contains($periods, period)
),

customers as (
  select period, region_code, customer_id, is_converged from int_customers where list_contains($periods, period)
),

joined as (
  select
    r.period,
    r.region_code,
    r.service,
    coalesce(s.segment, 'unknown') as segment,
    s.subscription_id is null as is_orphan,
    case when rc.is_converged then 'converged' when rc.is_converged is not null then 'standalone' else 'inactive' end
      as region_status,
    case when pc.is_converged then 'converged' when pc.is_converged is not null then 'standalone' else 'inactive' end
      as province_status,
    r.amount,
    r.discount,
    r.net_amount
  from revenue r
  left join subscriptions s on s.period = r.period and s.subscription_id = r.subscription_id
  left join customers rc on rc.period = r.period and rc.region_code = r.region_code and rc.customer_id = r.customer_id
  left join customers pc on pc.period = r.period and pc.region_code = 'ALL' and pc.customer_id = r.customer_id
),

final as (
  select
    period,
    region_code,
    service,
    segment,
    region_status,
    province_status,
    -- one month of one group stays far below 10^16 yuan; DECIMAL(18,2) keeps later sums fast
    sum(amount)::decimal(18, 2) as amount,
    sum(discount)::decimal(18, 2) as discount,
    sum(net_amount)::decimal(18, 2) as revenue,
    count(*) as revenue_rows,
    count_if(is_orphan) as orphan_rows
  from joined
  group by period, region_code, service, segment, region_status, province_status
)

select * from final
