-- Subscription, customer and revenue figures per (period, region incl. ALL, dimension, code) for
-- the two dimensions that split every subscription and every revenue row, segment and service:
-- every code on every grid row. mart_kpis_segment and mart_kpis_service are its rows of one
-- dimension. A subscription's segment and service are its own; a revenue row takes the segment of
-- the subscription it bills (orphan rows have none and appear in no segment). A customer counts in
-- every segment it holds an active subscription of; customer figures exist per segment only (null
-- on the service rows): a customer holds several services. Subscription and customer figures are
-- null without a subscriber slice for p, revenue figures without a revenue slice (int_kpi_grid).
-- The figures that compare p with p-1 or need two kinds are built per city where it has what they
-- need, and for ALL summed over those cities (kpis.md v2): net adds and churn like for like, ARPU
-- over the sum of the regions' own averages, ARPA over the regions with both a subscriber and a
-- revenue slice.
with grid as (
  select g.*, e.dimension, e.code
  from int_kpi_grid g
  cross join ref_enums e
  where e.dimension in ('segment', 'service') and list_contains($periods, g.period)
),

-- int_stock's counts of p and of p-1, summed by segment and by service
stock as (
  select
    period,
    region_code,
    if(grouping(segment) = 0, 'segment', 'service') as dimension,
    if(grouping(segment) = 0, segment::varchar, service::varchar) as code,
    sum(active_subscriptions)::bigint as active_subscriptions,
    sum(gross_adds)::bigint as gross_adds,
    sum(churned)::bigint as churned
  from int_stock
  where list_contains($periods, period) or list_contains($previous_periods, period)
  group by grouping sets ((period, region_code, segment), (period, region_code, service))
),

current_stock as (
  select * from stock where list_contains($periods, period)
),

previous_stock as (
  select (period + interval 1 month)::date as period, region_code, dimension, code, active_subscriptions
  from stock
  where list_contains($previous_periods, period)
),

revenue as (
  select
    period,
    if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code,
    if(grouping(segment) = 0, 'segment', 'service') as dimension,
    if(grouping(segment) = 0, segment, service) as code,
    sum(revenue)::decimal(18, 2) as revenue,
    sum(amount)::decimal(18, 2) as gross_amount,
    sum(discount)::decimal(18, 2) as discount
  from int_revenue
  where list_contains($periods, period)
  group by grouping sets ((period, region_code, segment), (period, segment), (period, region_code, service), (period, service))
),

-- The figures that compare p with p-1 or need revenue and subscribers (see mart_kpis, which sums
-- these of the service rows for its totals): per city and code where the city has what they need,
-- else null, and ALL's their sums over those cities (grouping sets over the city rows).
covered as (
  select
    period, if(grouping(region_code) = 1, 'ALL', region_code) as region_code, dimension, code,
    sum(columns(* exclude (period, region_code, dimension, code)))
  from (
    select
      period, region_code, dimension, code,
      if(g.has_subscriber and g.has_previous_subscriber, coalesce(c.active_subscriptions, 0), null) as lfl_active,
      if(g.has_subscriber and g.has_previous_subscriber, coalesce(p.active_subscriptions, 0), null) as lfl_previous,
      if(g.has_subscriber and g.has_previous_subscriber, coalesce(c.churned, 0), null) as lfl_churned,
      if(g.has_subscriber and g.has_revenue, coalesce(r.revenue, 0), null) as rs_revenue,
      if(g.has_subscriber and g.has_revenue,
         twice_average(coalesce(c.active_subscriptions, 0), if(g.has_previous_subscriber, coalesce(p.active_subscriptions, 0), null)),
         null) as rs_twice_average
    from grid g
    left join current_stock c using (period, region_code, dimension, code)
    left join previous_stock p using (period, region_code, dimension, code)
    left join revenue r using (period, region_code, dimension, code)
    where region_code <> 'ALL'
  )
  group by grouping sets ((period, region_code, dimension, code), (period, dimension, code))
),

customers as (
  select
    g.period,
    g.region_code,
    g.dimension,
    g.code,
    case g.code
      when 'personal' then c.active_customers_personal
      when 'household' then c.active_customers_household
      when 'enterprise' then c.active_customers_enterprise
    end as active_customers,
    case g.code
      when 'personal' then c.converged_customers_personal
      when 'household' then c.converged_customers_household
      when 'enterprise' then c.converged_customers_enterprise
    end as converged_customers,
    case g.code
      when 'personal' then c.billed_customers_personal
      when 'household' then c.billed_customers_household
      when 'enterprise' then c.billed_customers_enterprise
    end as billed_customers
  from grid g
  join int_kpis_customers c on c.period = g.period and c.region_code = g.region_code
  where g.dimension = 'segment'
),

joined as (
  select
    period, region_code, dimension, code,
    if(g.has_subscriber, coalesce(columns(c.* exclude (period, region_code, dimension, code)), 0), null),
    if(g.has_subscriber and dimension = 'segment', coalesce(columns(cc.* exclude (period, region_code, dimension, code)), 0), null),
    if(g.has_revenue, coalesce(columns(r.* exclude (period, region_code, dimension, code)), 0), null),
    columns(v.* exclude (period, region_code, dimension, code))
  from grid g
  left join current_stock c using (period, region_code, dimension, code)
  left join customers cc using (period, region_code, dimension, code)
  left join revenue r using (period, region_code, dimension, code)
  left join covered v using (period, region_code, dimension, code)
),

final as (
  select
    period, region_code, dimension, code,
    active_subscriptions,
    lfl_previous::bigint as previous_active_subscriptions,
    (lfl_active - lfl_previous)::bigint as net_adds,
    gross_adds,
    churned,
    ratio(lfl_churned, lfl_previous) as churn_rate,
    active_customers,
    converged_customers,
    ratio(converged_customers, active_customers) as convergence_rate,
    revenue::decimal(18, 2) as revenue,
    gross_amount::decimal(18, 2) as gross_amount,
    discount::decimal(18, 2) as discount,
    ratio(discount, gross_amount) as discount_rate,
    arpu(rs_revenue, rs_twice_average) as arpu,
    if(rs_revenue is null, null, money_div(rs_revenue, billed_customers)) as arpa,
    -- what mart_kpis sums, not figures of their own
    lfl_active, lfl_previous, lfl_churned, rs_revenue, rs_twice_average
  from joined
)

select * from final
