-- Subscriptions and revenue per service: (period, region incl. ALL, service), every service on
-- every grid row. The rows of int_kpis_segment_service by service, where the figures are defined,
-- without the customer figures, which exist per segment only, and without the sums mart_kpis takes.
with final as (
  select
    period,
    region_code,
    code as service,
    * exclude (
      period, region_code, dimension, code, active_customers, converged_customers, convergence_rate, arpa,
      lfl_active, lfl_previous, lfl_churned, rs_revenue, rs_twice_average
    )
  from int_kpis_segment_service
  where list_contains($periods, period) and dimension = 'service'
)

select * from final
