-- Customer figures per (period, region incl. ALL). A customer belongs to a region through its
-- active subscriptions there; for ALL its subscriptions of every region are pooled, so the province
-- counts each customer once, with its services across regions (never a sum of cities). Sets are
-- bitmasks (service_bit, segment_bit). Revenue is attached through customer_id: a region's rows by
-- the customer's status in that region, ALL's rows by its status in the province; revenue of
-- customers not active counts in neither. The per-segment counts feed mart_kpis_segment.
-- The figures per customer (ARPA) need a region's subscriber and revenue slices: the billed_*
-- columns count only the regions that have both (kpis.md v2: a figure built from several kinds
-- covers the regions that have all of them), so that ALL's ARPA divides the revenue of those
-- regions by their customers, pooled the same way.
with covered as (
  select period, region_code
  from int_kpi_grid
  where list_contains($periods, period) and region_code <> 'ALL' and has_subscriber and has_revenue
),

active as (
  select period, region_code::varchar as region_code, customer_id, service_bit(service) as service_bit, segment_bit(segment) as segment_bit, is_converged
  from int_subscriptions
  where list_contains($periods, period) and is_active
),

customers as (
  select
    period,
    region_code,
    customer_id,
    bit_or(service_bit) as services,
    bit_or(segment_bit) as segments,
    coalesce(bit_or(segment_bit) filter (where is_converged), 0) as converged_segments
  from active
  group by period, region_code, customer_id
),

revenue as (
  select period, region_code, customer_id, sum(net_amount)::decimal(18, 2) as revenue
  from stg_revenue
  where list_contains($periods, period)
  group by period, region_code, customer_id
),

-- Customers and their revenue per region; a customer billed in a region where it holds no active
-- subscription keeps its revenue row (services null) so that the province can still count it.
by_region as (
  select
    coalesce(c.period, r.period) as period,
    coalesce(c.region_code, r.region_code) as region_code,
    coalesce(c.customer_id, r.customer_id) as customer_id,
    c.services,
    c.segments,
    c.converged_segments,
    r.revenue
  from customers c
  full join revenue r on r.period = c.period and r.region_code = c.region_code and r.customer_id = c.customer_id
),

flagged as (
  select b.*, v.region_code is not null as is_covered
  from by_region b
  left join covered v using (period, region_code)
),

by_province as (
  select
    period,
    'ALL' as region_code,
    customer_id,
    bit_or(services) as services,
    bit_or(segments) as segments,
    bit_or(converged_segments) as converged_segments,
    bit_or(services) filter (where is_covered) as billed_services,
    bit_or(segments) filter (where is_covered) as billed_segments,
    bit_or(converged_segments) filter (where is_covered) as billed_converged_segments,
    sum(revenue) filter (where is_covered) as billed_revenue
  from flagged
  group by period, customer_id
),

cities as (
  select
    * exclude (is_covered),
    if(is_covered, services, null) as billed_services,
    if(is_covered, segments, null) as billed_segments,
    if(is_covered, converged_segments, null) as billed_converged_segments,
    if(is_covered, revenue, null) as billed_revenue
  from flagged
),

final as (
  select
    period,
    region_code,
    count(*) filter (where services is not null) as active_customers,
    count_if(converged_segments <> 0) as converged_customers,
    count_if(bit_count(services) = 1) as customers_1_play,
    count_if(bit_count(services) = 2) as customers_2_play,
    count_if(bit_count(services) = 3) as customers_3_play,
    count_if(bit_count(services) = 4) as customers_4_play,
    -- a customer counts in every segment it holds an active subscription of
    count_if(segments & segment_bit('personal') <> 0) as active_customers_personal,
    count_if(converged_segments & segment_bit('personal') <> 0) as converged_customers_personal,
    count_if(segments & segment_bit('household') <> 0) as active_customers_household,
    count_if(converged_segments & segment_bit('household') <> 0) as converged_customers_household,
    count_if(segments & segment_bit('enterprise') <> 0) as active_customers_enterprise,
    count_if(converged_segments & segment_bit('enterprise') <> 0) as converged_customers_enterprise,
    -- the same over the regions with both a subscriber and a revenue slice, with their revenue
    count(*) filter (where billed_services is not null) as billed_customers,
    count_if(billed_converged_segments <> 0) as billed_converged_customers,
    count_if(billed_converged_segments = 0) as billed_standalone_customers,
    coalesce(sum(billed_revenue) filter (where billed_converged_segments <> 0), 0)::decimal(18, 2) as converged_revenue,
    coalesce(sum(billed_revenue) filter (where billed_converged_segments = 0), 0)::decimal(18, 2) as standalone_revenue,
    count_if(billed_segments & segment_bit('personal') <> 0) as billed_customers_personal,
    count_if(billed_segments & segment_bit('household') <> 0) as billed_customers_household,
    count_if(billed_segments & segment_bit('enterprise') <> 0) as billed_customers_enterprise
  from (select * from cities union all by name select * from by_province)
  group by period, region_code
)

select * from final
