-- Active customers per (period, region incl. ALL): one row per customer holding an active
-- subscription there. A customer belongs to a region through its active subscriptions in it; for
-- ALL its subscriptions of every region are pooled, so the province counts each customer once and
-- its services across regions (never a sum of cities). Sets are bitmasks: service_bit() for
-- services, segment_bit() for segments.
with active as (
  select
    period,
    region_code,
    customer_id,
    service_bit(service) as service_bit,
    segment_bit(segment) as segment_bit,
    is_converged
  from int_subscriptions
  where list_contains($periods, period) and is_active
),

by_region as (
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

by_province as (
  select
    period,
    'ALL' as region_code,
    customer_id,
    bit_or(services) as services,
    bit_or(segments) as segments,
    bit_or(converged_segments) as converged_segments
  from by_region
  group by period, customer_id
),

final as (
  select *, converged_segments <> 0 as is_converged from by_region
  union all
  select *, converged_segments <> 0 as is_converged from by_province
)

select * from final
