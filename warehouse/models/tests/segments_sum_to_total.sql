-- Per-segment subscriptions add up to the total; per-segment revenue adds up to the revenue that is
-- not orphan (orphan rows have no segment).
with by_segment as (
  select period, region_code, sum(active_subscriptions) as active_subscriptions, sum(revenue) as revenue
  from mart_kpis_segment
  where list_contains($periods, period)
  group by period, region_code
),

orphans as (
  select period, region_code, sum(revenue) as revenue
  from int_revenue
  where list_contains($periods, period) and segment = 'unknown'
  group by period, region_code
),

province_orphans as (
  select period, 'ALL' as region_code, sum(revenue) as revenue from orphans group by period
),

final as (
  select k.period, k.region_code
  from mart_kpis k
  left join by_segment s on s.period = k.period and s.region_code = k.region_code
  left join (select * from orphans union all select * from province_orphans) o
    on o.period = k.period and o.region_code = k.region_code
  where list_contains($periods, k.period)
    and (s.active_subscriptions is distinct from k.active_subscriptions
         or s.revenue + coalesce(o.revenue, 0) is distinct from k.revenue)
)

select * from final
