-- Subscription counts per (period, region incl. ALL), by the subscription's region: the stock, the
-- flows, the adds in a converged bundle at end(p), the adds no loaded outlet sold, and the active
-- subscriptions without net revenue. Counted straight from int_subscriptions (not from int_stock)
-- so the per-service reconciliation test compares two independent sums. What the outlets sold is
-- counted by the outlet's region, in int_kpis_channels.
with final as (
  select
    period,
    if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code,
    count_if(is_active) as active_subscriptions,
    count_if(is_gross_add) as gross_adds,
    count_if(is_churned) as churned,
    count_if(is_gross_add and is_converged) as converged_adds,
    count_if(is_gross_add and channel_type is null) as unattributed_adds,
    count_if(is_active and not has_net_revenue) as zero_revenue_subscriptions
  from int_subscriptions
  where list_contains($periods, period)
  group by grouping sets ((period, region_code), (period))
)

select * from final
