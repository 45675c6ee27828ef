-- Ingest's slice rule: a load replaces the (region, period) slices it covers, so the rows of a slice
-- of any kind come from one load. Two loads in one slice would be counted twice: the staging views
-- trust this rule rather than filter every row, and this test holds ingest to it.
with slices as (
  select 'subscriber' as kind, region_code, period, load_id from stg_subscriber where list_contains($periods, period)
  union all
  select 'revenue', region_code, period, load_id from stg_revenue where list_contains($periods, period)
  union all
  select 'channel', region_code, period, load_id from stg_channel where list_contains($periods, period)
  union all
  select 'complaint', region_code, period, load_id from stg_complaint where list_contains($periods, period)
),

final as (
  select kind, region_code, period, min(load_id) as first_load, max(load_id) as last_load
  from slices
  group by kind, region_code, period
  having min(load_id) <> max(load_id)
)

select * from final
