-- Ingest's slice rule: a load replaces the (region, period) slices it covers, so the rows of a slice
-- of any kind come from one load, and that is the load load_slices records as the slice's current
-- one (stg_slices). Two loads in one slice would be counted twice, and rows without a current slice
-- would be counted where the figures call the kind missing: the staging views trust this rule rather
-- than filter every row, and this test holds ingest to it.
with slices as (
  select 'subscriber' as kind, region_code, period, load_id from stg_subscriber where list_contains($periods, period)
  union all
  select 'revenue', region_code, period, load_id from stg_revenue where list_contains($periods, period)
  union all
  select 'channel', region_code, period, load_id from stg_channel where list_contains($periods, period)
  union all
  select 'complaint', region_code, period, load_id from stg_complaint where list_contains($periods, period)
),

loads as (
  select kind, region_code, period, min(load_id) as first_load, max(load_id) as last_load
  from slices
  group by kind, region_code, period
),

final as (
  select l.*
  from loads l
  left join stg_slices s using (kind, region_code, period)
  where l.first_load <> l.last_load or s.load_id is distinct from l.first_load
)

select * from final
