-- The newest month each region has of the extract kind $kind (the KPI's main source), from the slices
-- in force; the alert rules judge that month. ALL's newest month is the newest any region has.
with newest as (
  select region_code, max(period) as period
  from load_slices
  where kind = $kind and superseded_by_load is null
  group by region_code
),

final as (
  select region_code, strftime(period, '%Y-%m') as period from newest
  union all
  select 'ALL' as region_code, strftime(max(period), '%Y-%m') as period from newest having count(*) > 0
)

select * from final order by region_code
