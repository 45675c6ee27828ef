-- build: cluster
-- Customer figures per (period, region incl. ALL) (../../../models/intermediate/int_kpis_customers.sql):
-- the shards' parts (int_customers) summed; a customer is whole on one shard, so none counts twice.
SELECT
  period, region_code,
  sum(active_customers) AS active_customers,
  sum(converged_customers) AS converged_customers,
  sum(customers_1_play) AS customers_1_play,
  sum(customers_2_play) AS customers_2_play,
  sum(customers_3_play) AS customers_3_play,
  sum(customers_4_play) AS customers_4_play,
  sum(active_customers_personal) AS active_customers_personal,
  sum(converged_customers_personal) AS converged_customers_personal,
  sum(active_customers_household) AS active_customers_household,
  sum(converged_customers_household) AS converged_customers_household,
  sum(active_customers_enterprise) AS active_customers_enterprise,
  sum(converged_customers_enterprise) AS converged_customers_enterprise,
  sum(billed_customers) AS billed_customers,
  sum(billed_converged_customers) AS billed_converged_customers,
  sum(billed_standalone_customers) AS billed_standalone_customers,
  sum(converged_revenue) AS converged_revenue,
  sum(standalone_revenue) AS standalone_revenue,
  sum(billed_customers_personal) AS billed_customers_personal,
  sum(billed_customers_household) AS billed_customers_household,
  sum(billed_customers_enterprise) AS billed_customers_enterprise
FROM int_customers
WHERE period IN {periods}
GROUP BY period, region_code
