-- The year to date of the additive KPIs the targets name ($keys), for every region and ALL, over the
-- months $from … $to that have a row: the sum of each figure (DECIMAL money stays exact) and, as
-- n_<key>, how many months have the figure (a month whose extract is missing has it null and is not
-- counted; an empty slice's 0 is).
with months as (
  select region_code, columns(c -> list_contains($keys, c))
  from mart_kpis
  where period between $from::date and $to::date
),

sums as (
  select region_code, sum(columns(* exclude (region_code)))
  from months
  group by region_code
),

counts as (
  select region_code, count(columns(* exclude (region_code))) as "n_\0"
  from months
  group by region_code
),

final as (
  select *
  from sums
  join counts using (region_code)
)

select * from final
