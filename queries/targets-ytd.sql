-- The year to date of every KPI for every region and ALL, over the months $from … $to that have a
-- row: the sum of each figure (an additive key's year-to-date; DECIMAL money stays exact) and, as
-- n_<key>, how many months have the figure (a month whose extract is missing has it null and is not
-- counted; an empty slice's 0 is). targets.ts reads only the additive keys.
with months as (
  select * exclude (period)
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
