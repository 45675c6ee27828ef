-- Billed revenue: one row per (period, subscription_id, item), kept unique by ingest and proven so
-- by the data tests (see stg_subscriber). Net revenue = amount − discount, in DECIMAL: money never
-- goes through DOUBLE.
with source as (
  select * from raw_revenue
),

final as (
  select
    period, region_code, subscription_id, customer_id, service, item, amount,
    coalesce(discount, 0)::decimal(18, 2) as discount,
    (amount - coalesce(discount, 0))::decimal(18, 2) as net_amount,
    load_id
  from source
)

select * from final
