-- Subscriptions and revenue per service: (period, region incl. ALL, service), every service on
-- every grid row. previous_active_subscriptions is null when the region (for ALL: every region)
-- has no subscriber extract for p-1; ARPU then averages over p alone (kpis.md). Subscription
-- figures are null without a subscriber extract for p, revenue figures without revenue rows.
with grid as (
  select g.period, g.region_code, g.has_subscriber, g.has_revenue, e.code as service
  from int_kpi_grid g
  cross join ref_enums e
  where e.dimension = 'service' and list_contains($periods, g.period)
),

current_stock as (
  select period, region_code, service,
         sum(active_subscriptions)::bigint as active_subscriptions, sum(gross_adds)::bigint as gross_adds, sum(churned)::bigint as churned
  from int_stock
  where list_contains($periods, period)
  group by period, region_code, service
),

previous_regions as (
  select distinct (period + interval 1 month)::date as period, region_code
  from int_stock
  where list_contains($previous_periods, period)
),

previous_stock as (
  select (period + interval 1 month)::date as period, region_code, service,
         sum(active_subscriptions)::bigint as active_subscriptions
  from int_stock
  where list_contains($previous_periods, period)
  group by period, region_code, service
),

revenue as (
  select
    period,
    if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code,
    service,
    sum(revenue)::decimal(18, 2) as revenue,
    sum(amount)::decimal(18, 2) as gross_amount,
    sum(discount)::decimal(18, 2) as discount
  from int_revenue
  where list_contains($periods, period)
  group by grouping sets ((period, region_code, service), (period, service))
),

joined as (
  select
    g.period,
    g.region_code,
    g.service,
    if(g.has_subscriber, coalesce(c.active_subscriptions, 0), null) as active_subscriptions,
    if(pr.period is null, null, coalesce(ps.active_subscriptions, 0)) as previous_active_subscriptions,
    if(g.has_subscriber, coalesce(c.gross_adds, 0), null) as gross_adds,
    if(g.has_subscriber, coalesce(c.churned, 0), null) as churned,
    if(g.has_revenue, coalesce(r.revenue, 0), null) as revenue,
    if(g.has_revenue, coalesce(r.gross_amount, 0), null) as gross_amount,
    if(g.has_revenue, coalesce(r.discount, 0), null) as discount
  from grid g
  left join current_stock c on c.period = g.period and c.region_code = g.region_code and c.service = g.service
  left join previous_regions pr on pr.period = g.period and pr.region_code = g.region_code
  left join previous_stock ps on ps.period = g.period and ps.region_code = g.region_code and ps.service = g.service
  left join revenue r on r.period = g.period and r.region_code = g.region_code and r.service = g.service
),

final as (
  select
    period,
    region_code,
    service,
    active_subscriptions,
    previous_active_subscriptions,
    active_subscriptions - previous_active_subscriptions as net_adds,
    gross_adds,
    churned,
    ratio(churned, previous_active_subscriptions) as churn_rate,
    revenue::decimal(18, 2) as revenue,
    gross_amount::decimal(18, 2) as gross_amount,
    discount::decimal(18, 2) as discount,
    ratio(discount, gross_amount) as discount_rate,
    money_div(revenue * if(previous_active_subscriptions is null, 1, 2),
              active_subscriptions + coalesce(previous_active_subscriptions, 0)) as arpu
  from joined
)

select * from final
