-- Customer figures per (period, region incl. ALL): counts from int_customers, and the revenue of
-- converged and of standalone customers (a region's rows by the customer's status in that region,
-- ALL's rows by its status in the province). Revenue of customers not active counts in neither.
with customers as (
  select * from int_customers where list_contains($periods, period)
),

counts as (
  select
    period,
    region_code,
    count(*) as active_customers,
    count_if(is_converged) as converged_customers,
    count_if(not is_converged) as standalone_customers,
    count_if(bit_count(services) = 1) as customers_1_play,
    count_if(bit_count(services) = 2) as customers_2_play,
    count_if(bit_count(services) = 3) as customers_3_play,
    count_if(bit_count(services) = 4) as customers_4_play
  from customers
  group by period, region_code
),

revenue as (
  select
    period,
    region_code,
    sum(revenue) filter (where region_status = 'converged') as converged_revenue,
    sum(revenue) filter (where region_status = 'standalone') as standalone_revenue
  from int_revenue
  where list_contains($periods, period)
  group by period, region_code
  union all
  select
    period,
    'ALL' as region_code,
    sum(revenue) filter (where province_status = 'converged'),
    sum(revenue) filter (where province_status = 'standalone')
  from int_revenue
  where list_contains($periods, period)
  group by period
),

final as (
  select
    c.*,
    coalesce(r.converged_revenue, 0)::decimal(18, 2) as converged_revenue,
    coalesce(r.standalone_revenue, 0)::decimal(18, 2) as standalone_revenue
  from counts c
  left join revenue r on r.period = c.period and r.region_code = c.region_code
)

select * from final
