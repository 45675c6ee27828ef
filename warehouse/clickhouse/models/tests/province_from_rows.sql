-- ALL is computed from the rows: figures that count rows (each row has one region) equal the sum
-- of the cities; customers, counted once across cities, lie between the largest city and the sum
-- (../../../models/tests/province_from_rows.sql). The cities' sums are named c_ (an alias is seen
-- in the whole SELECT, so a sum named as its column would be read in place of the column); sum and
-- max of only nulls are null, and a comparison with null breaks nothing.
SELECT period
FROM (
  SELECT period, active_subscriptions, gross_adds, churned, revenue, complaints, open_complaints,
    exclusive_outlets, commission_total, orphan_revenue_rows, active_customers
  FROM mart_kpis
  WHERE period IN {periods} AND region_code = 'ALL'
)
ALL INNER JOIN (
  SELECT
    period,
    sum(active_subscriptions) AS c_active_subscriptions,
    sum(gross_adds) AS c_gross_adds,
    sum(churned) AS c_churned,
    sum(revenue) AS c_revenue,
    sum(complaints) AS c_complaints,
    sum(open_complaints) AS c_open_complaints,
    sum(exclusive_outlets) AS c_exclusive_outlets,
    sum(commission_total) AS c_commission_total,
    sum(orphan_revenue_rows) AS c_orphan_revenue_rows,
    sum(active_customers) AS c_customers_sum,
    max(active_customers) AS c_customers_max
  FROM mart_kpis
  WHERE period IN {periods} AND region_code <> 'ALL'
  GROUP BY period
) USING (period)
WHERE ifNull(active_subscriptions <> c_active_subscriptions, 0)
   OR ifNull(gross_adds <> c_gross_adds, 0)
   OR ifNull(churned <> c_churned, 0)
   OR ifNull(revenue <> c_revenue, 0)
   OR ifNull(complaints <> c_complaints, 0)
   OR ifNull(open_complaints <> c_open_complaints, 0)
   OR ifNull(exclusive_outlets <> c_exclusive_outlets, 0)
   OR ifNull(commission_total <> c_commission_total, 0)
   OR ifNull(orphan_revenue_rows <> c_orphan_revenue_rows, 0)
   OR ifNull(active_customers > c_customers_sum, 0)
   OR ifNull(active_customers < c_customers_max, 0)
