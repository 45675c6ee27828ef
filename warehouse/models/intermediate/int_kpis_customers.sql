-- Customer figures per (period, region incl. ALL). A customer belongs to a region through its
-- active subscriptions there; for ALL its subscriptions of every region are pooled, so the province
-- counts each customer once, with its services across regions (never a sum of cities). Sets are
-- bitmasks (service_bit, segment_bit). Revenue is attached through customer_id: a region's rows by
-- the customer's status in that region, ALL's rows by its status in the province; revenue of
-- customers not active counts in neither. The per-segment counts feed mart_kpis_segment.
with active as (
  select period, region_code, customer_id, service_bit(service) as service_bit, segment_bit(segment) as segment_bit, is_converged
  from int_subscriptions
  where list_contains($periods, period) and is_active
),

by_region as (
  select
    period,
    region_code::varchar as region_code,
    customer_id,
    bit_or(service_bit) as services,
    bit_or(segment_bit) as segments,
    coalesce(bit_or(segment_bit) filter (where is_converged), 0) as converged_segments
  from active
  group by period, region_code, customer_id
),

by_province as (
  select period, 'ALL' as region_code, customer_id, bit_or(services), bit_or(segments), bit_or(converged_segments)
  from by_region
  group by period, customer_id
),

customers as (
  select * from by_region
  union all
  select * from by_province
),

customer_revenue as (
  select
    period,
    if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code,
    customer_id,
    sum(net_amount)::decimal(18, 2) as revenue
  from stg_revenue
  where list_contains($periods, period)
  group by grouping sets ((period, region_code, customer_id), (period, customer_id))
),

final as (
  select
    c.period,
    c.region_code,
    count(*) as active_customers,
    count_if(c.converged_segments <> 0) as converged_customers,
    count_if(c.converged_segments = 0) as standalone_customers,
    count_if(bit_count(c.services) = 1) as customers_1_play,
    count_if(bit_count(c.services) = 2) as customers_2_play,
    count_if(bit_count(c.services) = 3) as customers_3_play,
    count_if(bit_count(c.services) = 4) as customers_4_play,
    coalesce(sum(r.revenue) filter (where c.converged_segments <> 0), 0)::decimal(18, 2) as converged_revenue,
    coalesce(sum(r.revenue) filter (where c.converged_segments = 0), 0)::decimal(18, 2) as standalone_revenue,
    -- a customer counts in every segment it holds an active subscription of
    count_if(c.segments & segment_bit('personal') <> 0) as active_customers_personal,
    count_if(c.converged_segments & segment_bit('personal') <> 0) as converged_customers_personal,
    count_if(c.segments & segment_bit('household') <> 0) as active_customers_household,
    count_if(c.converged_segments & segment_bit('household') <> 0) as converged_customers_household,
    count_if(c.segments & segment_bit('enterprise') <> 0) as active_customers_enterprise,
    count_if(c.converged_segments & segment_bit('enterprise') <> 0) as converged_customers_enterprise
  from customers c
  left join customer_revenue r on r.period = c.period and r.region_code = c.region_code and r.customer_id = c.customer_id
  group by c.period, c.region_code
)

select * from final
