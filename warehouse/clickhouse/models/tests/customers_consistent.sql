-- Converged customers are active customers; the n-play counts partition the active customers
-- (../../../models/tests/customers_consistent.sql). A figure is null where its region has no
-- subscriber slice, and a comparison with null breaks nothing: each is read through ifNull.
SELECT period, region_code, active_customers, converged_customers
FROM mart_kpis
WHERE period IN {periods}
  AND (ifNull(converged_customers > active_customers, 0)
       OR ifNull(customers_1_play + customers_2_play + customers_3_play + customers_4_play <> active_customers, 0)
       OR ifNull((active_customers = 0) <> (active_subscriptions = 0), 0))
