-- The exclusive outlets are open social outlets: never more than the open outlets of the three
-- social channel types.
with final as (
  select period, region_code, exclusive_outlets
  from mart_kpis
  where list_contains($periods, period)
    and exclusive_outlets > active_outlets_partner_full + active_outlets_partner_store + active_outlets_service_point
)

select * from final
