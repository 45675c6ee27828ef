-- Subscriptions and revenue per service: (period, region incl. ALL, service), every service on
-- every grid row. The rows of int_kpis_segment_service by service, where the figures are defined,
-- without the customer figures, which exist per segment only.
with final as (
  select
    period,
    region_code,
    code as service,
    * exclude (period, region_code, dimension, code, active_customers, converged_customers, convergence_rate, arpa)
  from int_kpis_segment_service
  where list_contains($periods, period) and dimension = 'service'
)

select * from final
