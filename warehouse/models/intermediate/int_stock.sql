-- Subscription counts per (period, region incl. ALL, segment, service): the small table the marts
-- read for p and p-1 (net adds, churn rate, ARPU averages). Whether a region has a subscriber
-- extract for a month is told by its slice (int_kpi_grid), not by rows here: an empty slice has none.
with final as (
  select
    period,
    if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code,
    segment,
    service,
    count(*) as subscriptions,
    count_if(is_active) as active_subscriptions,
    count_if(is_gross_add) as gross_adds,
    count_if(is_churned) as churned
  from int_subscriptions
  where list_contains($periods, period)
  group by grouping sets ((period, region_code, segment, service), (period, segment, service))
)

select * from final
