-- Per-segment and per-service subscriptions add up to the total (each subscription has exactly one
-- segment and one service), and so does per-service revenue; per-segment revenue adds up to the
-- revenue that is not orphan (orphan rows have no segment). Returns the (period, region, dimension)
-- rows where they do not (../../../models/tests/segments_and_services_sum_to_total.sql). One join
-- per SELECT: mart_kpis once per dimension with the sums of its codes, then with the orphan revenue,
-- summed over the shards' parts of int_revenue (ALL's from every region's rows, [region, 'ALL'] as
-- the models count them). Sums of only nulls are null, two nulls are equal.
SELECT period, region_code, dimension
FROM (
  SELECT *
  FROM (
    SELECT period, region_code, active_subscriptions, revenue, arrayJoin(['segment', 'service']) AS dimension
    FROM mart_kpis
    WHERE period IN {periods}
  )
  ALL LEFT JOIN (
    SELECT 'segment' AS dimension, period, region_code, sum(active_subscriptions) AS b_active_subscriptions, sum(revenue) AS b_revenue
    FROM mart_kpis_segment
    WHERE period IN {periods}
    GROUP BY period, region_code
    UNION ALL
    SELECT 'service' AS dimension, period, region_code, sum(active_subscriptions) AS b_active_subscriptions, sum(revenue) AS b_revenue
    FROM mart_kpis_service
    WHERE period IN {periods}
    GROUP BY period, region_code
  ) USING (period, region_code, dimension)
)
ALL LEFT JOIN (
  SELECT period, rc AS region_code, 'segment' AS dimension, orphan_revenue
  FROM (
    SELECT period, arrayJoin([region_code, 'ALL']) AS rc, sum(revenue) AS orphan_revenue
    FROM int_revenue
    WHERE period IN {periods} AND segment = 'unknown'
    GROUP BY period, rc
  )
) USING (period, region_code, dimension)
WHERE (isNull(b_active_subscriptions) <> isNull(active_subscriptions)) OR ifNull(b_active_subscriptions <> active_subscriptions, 0)
   OR (isNull(b_revenue) <> isNull(revenue)) OR ifNull(b_revenue + ifNull(orphan_revenue, toDecimal128(0, 2)) <> revenue, 0)
