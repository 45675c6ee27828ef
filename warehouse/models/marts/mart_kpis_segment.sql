-- Subscription, customer and revenue figures per customer group: (period, region incl. ALL,
-- segment). A subscription's segment is its own; a customer counts in every segment it holds an
-- active subscription of; a revenue row takes the segment of the subscription it bills (orphan rows
-- have none and appear in no segment).
with grid as (
  select g.period, g.region_code, g.has_subscriber, g.has_revenue, e.code as segment
  from int_kpi_grid g
  cross join ref_enums e
  where e.dimension = 'segment' and list_contains($periods, g.period)
),

current_stock as (
  select period, region_code, segment,
         sum(active_subscriptions)::bigint as active_subscriptions, sum(gross_adds)::bigint as gross_adds, sum(churned)::bigint as churned
  from int_stock
  where list_contains($periods, period)
  group by period, region_code, segment
),

previous_regions as (
  select distinct (period + interval 1 month)::date as period, region_code
  from int_stock
  where list_contains($previous_periods, period)
),

previous_stock as (
  select (period + interval 1 month)::date as period, region_code, segment,
         sum(active_subscriptions)::bigint as active_subscriptions
  from int_stock
  where list_contains($previous_periods, period)
  group by period, region_code, segment
),

customer_counts as (
  select
    g.period,
    g.region_code,
    g.segment,
    case g.segment
      when 'personal' then c.active_customers_personal
      when 'household' then c.active_customers_household
      when 'enterprise' then c.active_customers_enterprise
    end as active_customers,
    case g.segment
      when 'personal' then c.converged_customers_personal
      when 'household' then c.converged_customers_household
      when 'enterprise' then c.converged_customers_enterprise
    end as converged_customers
  from grid g
  join int_kpis_customers c on c.period = g.period and c.region_code = g.region_code
),

revenue as (
  select
    period,
    if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code,
    segment,
    sum(revenue)::decimal(18, 2) as revenue,
    sum(amount)::decimal(18, 2) as gross_amount,
    sum(discount)::decimal(18, 2) as discount
  from int_revenue
  where list_contains($periods, period) and segment <> 'unknown'
  group by grouping sets ((period, region_code, segment), (period, segment))
),

joined as (
  select
    g.period,
    g.region_code,
    g.segment,
    if(g.has_subscriber, coalesce(c.active_subscriptions, 0), null) as active_subscriptions,
    if(pr.period is null, null, coalesce(ps.active_subscriptions, 0)) as previous_active_subscriptions,
    if(g.has_subscriber, coalesce(c.gross_adds, 0), null) as gross_adds,
    if(g.has_subscriber, coalesce(c.churned, 0), null) as churned,
    if(g.has_subscriber, coalesce(cc.active_customers, 0), null) as active_customers,
    if(g.has_subscriber, coalesce(cc.converged_customers, 0), null) as converged_customers,
    if(g.has_revenue, coalesce(r.revenue, 0), null) as revenue,
    if(g.has_revenue, coalesce(r.gross_amount, 0), null) as gross_amount,
    if(g.has_revenue, coalesce(r.discount, 0), null) as discount
  from grid g
  left join current_stock c on c.period = g.period and c.region_code = g.region_code and c.segment = g.segment
  left join previous_regions pr on pr.period = g.period and pr.region_code = g.region_code
  left join previous_stock ps on ps.period = g.period and ps.region_code = g.region_code and ps.segment = g.segment
  left join customer_counts cc on cc.period = g.period and cc.region_code = g.region_code and cc.segment = g.segment
  left join revenue r on r.period = g.period and r.region_code = g.region_code and r.segment = g.segment
),

final as (
  select
    period,
    region_code,
    segment,
    active_subscriptions,
    previous_active_subscriptions,
    active_subscriptions - previous_active_subscriptions as net_adds,
    gross_adds,
    churned,
    ratio(churned, previous_active_subscriptions) as churn_rate,
    active_customers,
    converged_customers,
    ratio(converged_customers, active_customers) as convergence_rate,
    revenue::decimal(18, 2) as revenue,
    gross_amount::decimal(18, 2) as gross_amount,
    discount::decimal(18, 2) as discount,
    ratio(discount, gross_amount) as discount_rate,
    money_div(revenue * if(previous_active_subscriptions is null, 1, 2),
              active_subscriptions + coalesce(previous_active_subscriptions, 0)) as arpu,
    money_div(revenue, active_customers) as arpa
  from joined
)

select * from final
