-- Every gross add of the province is sold by exactly one channel type or is unattributed, when every
-- region with a subscriber slice has a channel slice (the adds of a region whose channel extract is
-- missing are in neither). A city's outlets may sell to other cities' subscriptions (kpis.md v2), so
-- a city's sum differs by its cross-city sales; the cities' adds per channel type add up to the
-- province's instead, and so does their commission.
with channel_missing as (
  select distinct period
  from int_kpi_grid
  where list_contains($periods, period) and region_code <> 'ALL' and has_subscriber and not has_channel
),

province as (
  select period, 'ALL' as code
  from mart_kpis
  where list_contains($periods, period) and region_code = 'ALL'
    and period not in (select period from channel_missing)
    and gross_adds <> gross_adds_self_run_hall + gross_adds_partner_full + gross_adds_partner_store
      + gross_adds_service_point + gross_adds_online + gross_adds_hotline + gross_adds_account_manager
      + unattributed_adds
),

by_type as (
  select period, channel_type as code
  from mart_kpis_channel_type
  where list_contains($periods, period)
  group by period, channel_type
  having sum(gross_adds) filter (where region_code <> 'ALL') is distinct from max(gross_adds) filter (where region_code = 'ALL')
    or sum(commission) filter (where region_code <> 'ALL') is distinct from max(commission) filter (where region_code = 'ALL')
),

final as (
  select * from province
  union all
  select * from by_type
)

select * from final
