-- Per-service subscriptions and revenue add up to the totals (each subscription and each revenue
-- row has exactly one service). Returns the (period, region) rows where they do not.
with by_service as (
  select period, region_code, sum(active_subscriptions) as active_subscriptions, sum(revenue) as revenue
  from mart_kpis_service
  where list_contains($periods, period)
  group by period, region_code
),

final as (
  select k.period, k.region_code, k.active_subscriptions, s.active_subscriptions as service_sum, k.revenue, s.revenue as service_revenue
  from mart_kpis k
  left join by_service s on s.period = k.period and s.region_code = k.region_code
  where list_contains($periods, k.period)
    and (s.active_subscriptions is distinct from k.active_subscriptions or s.revenue is distinct from k.revenue)
)

select * from final
