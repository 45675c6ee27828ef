-- Outlets as of the end of their period: one row per (period, channel_id), kept unique by ingest and
-- proven so by the data tests (see stg_subscriber). exclusive is only meaningful for the three
-- social channel types (ingest rejects true elsewhere).
with source as (
  select * from raw_channel
),

final as (
  select
    period,
    region_code,
    channel_id,
    channel_name,
    channel_type,
    channel_type in ('partner_full', 'partner_store', 'service_point') as is_social,
    coalesce(exclusive, false) as is_exclusive,
    opened_on,
    closed_on,
    opened_on <= last_day(period) and (closed_on is null or closed_on > last_day(period)) as is_open,
    coalesce(commission, 0)::decimal(18, 2) as commission,
    load_id
  from source
)

select * from final
