-- ALL is computed from the rows: figures that count rows (each row has one region) equal the sum
-- of the cities; customers, counted once across cities, lie between the largest city and the sum.
with cities as (
  select
    period,
    sum(active_subscriptions) as active_subscriptions,
    sum(gross_adds) as gross_adds,
    sum(churned) as churned,
    sum(revenue) as revenue,
    sum(complaints) as complaints,
    sum(open_complaints) as open_complaints,
    sum(exclusive_outlets) as exclusive_outlets,
    sum(commission_total) as commission_total,
    sum(orphan_revenue_rows) as orphan_revenue_rows,
    sum(active_customers) as customers_sum,
    max(active_customers) as customers_max
  from mart_kpis
  where list_contains($periods, period) and region_code <> 'ALL'
  group by period
),

final as (
  select p.period
  from mart_kpis p
  join cities c on c.period = p.period
  where list_contains($periods, p.period) and p.region_code = 'ALL'
    and (p.active_subscriptions <> c.active_subscriptions
         or p.gross_adds <> c.gross_adds
         or p.churned <> c.churned
         or p.revenue <> c.revenue
         or p.complaints <> c.complaints
         or p.open_complaints <> c.open_complaints
         or p.exclusive_outlets <> c.exclusive_outlets
         or p.commission_total <> c.commission_total
         or p.orphan_revenue_rows <> c.orphan_revenue_rows
         or p.active_customers > c.customers_sum
         or p.active_customers < c.customers_max)
)

select * from final
