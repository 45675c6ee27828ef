-- Converged customers are active customers; the n-play counts partition the active customers.
with final as (
  select period, region_code, active_customers, converged_customers
  from mart_kpis
  where list_contains($periods, period)
    and (converged_customers > active_customers
         or customers_1_play + customers_2_play + customers_3_play + customers_4_play <> active_customers
         or (active_customers = 0) <> (active_subscriptions = 0))
)

select * from final
