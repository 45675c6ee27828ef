-- The targets that apply to one month, for every region of the region list and ALL: a monthly
-- target ($month, 'YYYY-MM') replaces the annual one ($year, 'YYYY') of the same region and KPI,
-- weight included (targets.md). Targets of regions no longer in the list are left out.
with candidates as (
  select region_code, period as target_period, kpi, target, weight
  from raw_target
  where period in ($month, $year)
    and (region_code = 'ALL' or region_code in (select code from regions))
),

ranked as (
  select *, row_number() over (partition by region_code, kpi order by length(target_period) desc) as pick
  from candidates
),

final as (
  select region_code, kpi, target, weight, target_period
  from ranked
  where pick = 1
  order by region_code, kpi
)

select * from final
