-- The loads behind a briefing's figures: every load whose slice of the month is still current (not
-- superseded by a later load), for the region, or for every region when $region is 'ALL'.
with slices as (
  select load_id, sum(rows) as slice_rows
  from load_slices
  where period = $period::date
    and superseded_by_load is null
    and ($region = 'ALL' or region_code = $region)
  group by load_id
),

final as (
  select
    l.load_id,
    l.file_name,
    l.kind,
    l.rows_loaded,
    l.rows_rejected,
    s.slice_rows,
    strftime(l.finished_at, '%Y-%m-%d %H:%M:%S') as finished_at
  from slices s
  join loads l using (load_id)
  where l.status = 'loaded'
)

select * from final order by kind, load_id
