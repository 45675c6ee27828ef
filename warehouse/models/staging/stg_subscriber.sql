-- Subscriptions as of the end of their period: one row per (period, subscription_id), typed flags
-- for what the KPIs count. Duplicates never reach this view: ingest replaces a re-sent slice whole
-- and rejects a key that repeats (in the file or against the warehouse), and the data tests prove
-- it on every run (unique key here, one load per slice in tests/). Filtering them here instead
-- would cost a window over every row and, worse, blind DuckDB's join planning downstream.
with source as (
  select * from raw_subscriber
),

final as (
  select
    period, region_code, subscription_id, customer_id, segment, service, plan_code, bundle_id, channel_id,
    activated_on, terminated_on,
    activated_on <= last_day(period)
      and (terminated_on is null or terminated_on > last_day(period)) as is_active,
    activated_on >= period and activated_on <= last_day(period) as is_gross_add,
    coalesce(terminated_on >= period and terminated_on <= last_day(period), false) as is_churned,
    load_id
  from source
)

select * from final
