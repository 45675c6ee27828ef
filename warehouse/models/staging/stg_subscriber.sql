-- Subscriptions as of the end of their period: one row per (period, subscription_id).
-- Ingest already replaces re-sent slices and rejects repeated keys; the de-duplication here only
-- guards the marts against a raw layer that breaks that promise (latest load, then last line, wins).
with source as (
  select * from raw_subscriber
),

final as (
  select
    period,
    region_code,
    subscription_id,
    customer_id,
    segment,
    service,
    plan_code,
    bundle_id,
    channel_id,
    activated_on,
    terminated_on,
    activated_on <= last_day(period)
      and (terminated_on is null or terminated_on > last_day(period)) as is_active,
    activated_on >= period and activated_on <= last_day(period) as is_gross_add,
    coalesce(terminated_on >= period and terminated_on <= last_day(period), false) as is_churned,
    load_id
  from source
)

select * from final
