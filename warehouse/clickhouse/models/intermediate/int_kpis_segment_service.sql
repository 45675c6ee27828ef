-- build: cluster
-- Subscription, customer and revenue figures per (period, region incl. ALL, dimension, code) for
-- segment and service (../../../models/intermediate/int_kpis_segment_service.sql). The rows come
-- from int_segment_service_rows; ALL's like-for-like and revenue-with-subscribers sums are those of
-- its cities' rows (null when no city has them).
SELECT
  period, region_code, dimension, code,
  active_subscriptions,
  lfl_previous_ AS previous_active_subscriptions,
  lfl_active_ - lfl_previous_ AS net_adds,
  gross_adds,
  churned,
  ratio(lfl_churned_, lfl_previous_) AS churn_rate,
  active_customers,
  converged_customers,
  ratio(converged_customers, active_customers) AS convergence_rate,
  revenue,
  gross_amount,
  discount,
  ratio(discount, gross_amount) AS discount_rate,
  arpu(rs_revenue_, rs_twice_average_) AS arpu,
  if(isNull(rs_revenue_), NULL, money_div(rs_revenue_, billed_customers)) AS arpa,
  -- what mart_kpis sums, not figures of their own
  lfl_active_ AS lfl_active, lfl_previous_ AS lfl_previous, lfl_churned_ AS lfl_churned,
  rs_revenue_ AS rs_revenue, rs_twice_average_ AS rs_twice_average
FROM (
  SELECT *,
    if(region_code = 'ALL', a_lfl_active, lfl_active) AS lfl_active_,
    if(region_code = 'ALL', a_lfl_previous, lfl_previous) AS lfl_previous_,
    if(region_code = 'ALL', a_lfl_churned, lfl_churned) AS lfl_churned_,
    if(region_code = 'ALL', a_rs_revenue, rs_revenue) AS rs_revenue_,
    if(region_code = 'ALL', a_rs_twice_average, rs_twice_average) AS rs_twice_average_
  FROM int_segment_service_rows
  ALL LEFT JOIN (
    SELECT period, dimension, code,
      sum(lfl_active) AS a_lfl_active, sum(lfl_previous) AS a_lfl_previous, sum(lfl_churned) AS a_lfl_churned,
      sum(rs_revenue) AS a_rs_revenue, sum(rs_twice_average) AS a_rs_twice_average
    FROM int_segment_service_rows
    WHERE period IN {periods} AND region_code <> 'ALL'
    GROUP BY period, dimension, code
  ) USING (period, dimension, code)
  WHERE period IN {periods}
)
