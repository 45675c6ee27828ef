-- build: cluster
-- Per customer group: (period, region incl. ALL, segment) (../../../models/marts/mart_kpis_segment.sql).
SELECT
  period, region_code, code AS segment,
  active_subscriptions, previous_active_subscriptions, net_adds, gross_adds, churned, churn_rate,
  active_customers, converged_customers, convergence_rate, revenue, gross_amount, discount, discount_rate, arpu, arpa
FROM int_kpis_segment_service
WHERE period IN {periods} AND dimension = 'segment'
