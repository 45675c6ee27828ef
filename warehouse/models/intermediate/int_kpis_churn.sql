-- Churn cohorts of p: the subscriptions active at end(p-1), in the region of their p-1 row, followed
-- into every region's extract of p. Churn is read from the p extract (terminated_on in p); a
-- subscription missing from all of them has vanished (data quality), it has not churned. Like for
-- like (kpis.md v2): only the cohorts of regions with a subscriber slice for p as well as p-1, so
-- the province's cohort rates and vanished subscriptions leave out a region whose p extract has not
-- arrived (its cohort would all look vanished) and ALL's grouping set is over those regions only.
with compared as (
  select period, region_code
  from int_kpi_grid
  where list_contains($periods, period) and region_code <> 'ALL' and has_subscriber and has_previous_subscriber
),

cohort as (
  select c.*
  from (
    select (period + interval 1 month)::date as period, region_code, subscription_id, is_converged
    from int_subscriptions
    where list_contains($previous_periods, period) and is_active
  ) c
  semi join compared r on r.period = c.period and r.region_code = c.region_code::varchar
),

current_period as (
  select period, subscription_id, is_churned
  from int_subscriptions
  where list_contains($periods, period)
),

followed as (
  select
    c.period,
    c.region_code,
    c.is_converged,
    coalesce(p.is_churned, false) as is_churned,
    p.subscription_id is null as is_vanished
  from cohort c
  left join current_period p on p.period = c.period and p.subscription_id = c.subscription_id
),

final as (
  select
    period,
    if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code,
    count_if(is_converged) as converged_cohort,
    count_if(is_converged and is_churned) as converged_cohort_churned,
    count_if(not is_converged) as standalone_cohort,
    count_if(not is_converged and is_churned) as standalone_cohort_churned,
    count_if(is_vanished) as vanished_subscriptions
  from followed
  group by grouping sets ((period, region_code), (period))
)

select * from final
