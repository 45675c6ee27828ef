-- The extracts missing for one (period, region): every (kind, region) of the scope — the region, or
-- for ALL the whole region list — that has no slice for the period, i.e. no load_slices row that a
-- later load has not superseded (extracts.md, "Empty and missing slices"). An empty slice (rows = 0)
-- is present, not missing. $kinds lists the data kinds asked about.
with scope as (
  select code as region_code
  from regions
  where $region = 'ALL' or code = $region
),

kinds as (
  select unnest($kinds) as kind
),

present as (
  select distinct s.kind, s.region_code
  from load_slices s
  join loads l on l.load_id = s.load_id and l.status = 'loaded'
  where s.period = $period::date and s.superseded_by_load is null
),

final as (
  select k.kind, r.region_code
  from kinds k
  cross join scope r
  where not exists (select 1 from present p where p.kind = k.kind and p.region_code = r.region_code)
  order by k.kind, r.region_code
)

select * from final
