-- build: cluster
-- Revenue totals per (period, region incl. ALL) (../../../models/intermediate/int_kpis_revenue.sql):
-- the shards' parts of int_revenue summed, in Decimal.
SELECT period, rc AS region_code, revenue_sum AS revenue, gross_amount, discount, orphan_revenue_rows
FROM (
  SELECT
    period,
    arrayJoin([region_code, 'ALL']) AS rc,
    sum(revenue) AS revenue_sum,
    sum(amount) AS gross_amount,
    sum(discount) AS discount,
    sum(orphan_rows) AS orphan_revenue_rows
  FROM int_revenue
  WHERE period IN {periods}
  GROUP BY period, rc
)
