-- Subscription counts per (period, region incl. ALL): the stock, the flows, and who sold the adds.
-- Counted straight from int_subscriptions (not from int_stock) so the per-service reconciliation
-- test compares two independent sums.
with final as (
  select
    period,
    if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code,
    count_if(is_active) as active_subscriptions,
    count_if(is_gross_add) as gross_adds,
    count_if(is_churned) as churned,
    count_if(is_gross_add and has_bundle) as bundled_adds,
    count_if(is_gross_add and channel_type is null) as unattributed_adds,
    count_if(is_gross_add and is_social_channel) as social_adds,
    count_if(is_gross_add and is_exclusive_channel) as exclusive_social_adds
  from int_subscriptions
  where list_contains($periods, period)
  group by grouping sets ((period, region_code), (period))
)

select * from final
