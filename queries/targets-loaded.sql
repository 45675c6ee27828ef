-- The targets loaded, as the targets page lists them: every row of raw_target (a re-send has already
-- replaced what it corrects) with the file it came from, newest period first.
with final as (
  select t.region_code, t.period, t.kpi, t.target, t.weight, t.load_id, l.file_name as file
  from raw_target t
  join loads l using (load_id)
  order by t.period desc, t.region_code = 'ALL' desc, t.region_code, t.kpi
)

select * from final
