-- Every gross add is sold by exactly one channel type or is unattributed.
with final as (
  select period, region_code, gross_adds
  from mart_kpis
  where list_contains($periods, period)
    and gross_adds <> gross_adds_self_run_hall + gross_adds_partner_full + gross_adds_partner_store
      + gross_adds_service_point + gross_adds_online + gross_adds_hotline + gross_adds_account_manager
      + unattributed_adds
)

select * from final
