-- The newest month each region has of each extract kind, from the slices in force; an alert rule
-- judges that month of its KPI's main source kind. ALL's newest month of a kind is the newest any
-- region has.
with newest as (
  select kind, region_code, max(period) as period
  from load_slices
  where superseded_by_load is null
  group by kind, region_code
),

final as (
  select kind, region_code, strftime(period, '%Y-%m') as period from newest
  union all
  select kind, 'ALL' as region_code, strftime(max(period), '%Y-%m') as period from newest group by kind
)

select * from final order by kind, region_code
