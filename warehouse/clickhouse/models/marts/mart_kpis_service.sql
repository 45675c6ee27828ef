-- build: cluster
-- Per service: (period, region incl. ALL, service) (../../../models/marts/mart_kpis_service.sql).
SELECT
  period, region_code, code AS service,
  active_subscriptions, previous_active_subscriptions, net_adds, gross_adds, churned, churn_rate,
  revenue, gross_amount, discount, discount_rate, arpu
FROM int_kpis_segment_service
WHERE period IN {periods} AND dimension = 'service'
