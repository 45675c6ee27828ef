-- Per-segment and per-service subscriptions add up to the total (each subscription has exactly one
-- segment and one service), and so does per-service revenue; per-segment revenue adds up to the
-- revenue that is not orphan (orphan rows have no segment). Returns the (period, region, dimension)
-- rows where they do not.
with by_code as (
  select 'segment' as dimension, period, region_code, sum(active_subscriptions) as active_subscriptions, sum(revenue) as revenue
  from mart_kpis_segment
  where list_contains($periods, period)
  group by period, region_code
  union all
  select 'service', period, region_code, sum(active_subscriptions), sum(revenue)
  from mart_kpis_service
  where list_contains($periods, period)
  group by period, region_code
),

orphans as (
  select period, if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code, sum(revenue) as revenue
  from int_revenue
  where list_contains($periods, period) and segment = 'unknown'
  group by grouping sets ((period, region_code), (period))
),

final as (
  select k.period, k.region_code, d.dimension
  from mart_kpis k
  cross join (values ('segment'), ('service')) d(dimension)
  left join by_code b on b.period = k.period and b.region_code = k.region_code and b.dimension = d.dimension
  left join orphans o on o.period = k.period and o.region_code = k.region_code and d.dimension = 'segment'
  where list_contains($periods, k.period)
    and (b.active_subscriptions is distinct from k.active_subscriptions
         or b.revenue + coalesce(o.revenue, 0) is distinct from k.revenue)
)

select * from final
