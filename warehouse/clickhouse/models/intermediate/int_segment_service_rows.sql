-- build: cluster
-- The rows of int_kpis_segment_service before ALL's sums over its cities (ClickHouse 18.16 has no
-- table CTEs, so what the DuckDB model's CTEs share is a table here): every (period, region,
-- dimension, code) of the grid × the segment and service codes, with its figures under the null
-- rule (null without the slice they come from, 0 when the slice counted nothing), and per city the
-- numerators and denominators that compare p with p-1 or need two kinds (lfl_, rs_), null for ALL.
-- Facts of p and p-1 meet by UNION ALL and GROUP BY, then one join to the grid.
SELECT
  period, region_code, dimension, code,
  if(has_subscriber, ifNull(f_active, 0), NULL) AS active_subscriptions,
  if(has_subscriber, ifNull(f_gross, 0), NULL) AS gross_adds,
  if(has_subscriber, ifNull(f_churned, 0), NULL) AS churned,
  if(has_subscriber AND dimension = 'segment', ifNull(f_ac, 0), NULL) AS active_customers,
  if(has_subscriber AND dimension = 'segment', ifNull(f_cc, 0), NULL) AS converged_customers,
  if(has_subscriber AND dimension = 'segment', ifNull(f_bc, 0), NULL) AS billed_customers,
  if(has_revenue, ifNull(f_revenue, toDecimal128(0, 2)), NULL) AS revenue,
  if(has_revenue, ifNull(f_gross_amount, toDecimal128(0, 2)), NULL) AS gross_amount,
  if(has_revenue, ifNull(f_discount, toDecimal128(0, 2)), NULL) AS discount,
  if(region_code <> 'ALL' AND has_subscriber AND has_previous_subscriber, ifNull(f_active, 0), NULL) AS lfl_active,
  if(region_code <> 'ALL' AND has_subscriber AND has_previous_subscriber, ifNull(f_prev, 0), NULL) AS lfl_previous,
  if(region_code <> 'ALL' AND has_subscriber AND has_previous_subscriber, ifNull(f_churned, 0), NULL) AS lfl_churned,
  if(region_code <> 'ALL' AND has_subscriber AND has_revenue, ifNull(f_revenue, toDecimal128(0, 2)), NULL) AS rs_revenue,
  if(region_code <> 'ALL' AND has_subscriber AND has_revenue,
     twice_average(ifNull(f_active, 0), if(has_previous_subscriber, ifNull(f_prev, 0), NULL)), NULL) AS rs_twice_average
FROM (
  SELECT g.period AS period, g.region_code AS region_code, e.dimension AS dimension, e.code AS code,
    g.has_subscriber AS has_subscriber, g.has_revenue AS has_revenue, g.has_previous_subscriber AS has_previous_subscriber
  FROM int_kpi_grid AS g
  CROSS JOIN (SELECT dimension, code FROM ref_enums WHERE dimension IN ('segment', 'service')) AS e
  WHERE g.period IN {periods}
)
ALL LEFT JOIN (
  SELECT period, region_code, dimension, code,
    sum(active) AS f_active, sum(gross) AS f_gross, sum(churn) AS f_churned, sum(prev) AS f_prev,
    sum(rev) AS f_revenue, sum(gross_amt) AS f_gross_amount, sum(disc) AS f_discount,
    sum(ac) AS f_ac, sum(cc) AS f_cc, sum(bc) AS f_bc
  FROM (
    -- int_stock of p, by segment and by service
    SELECT
      period, region_code,
      arrayJoin([('segment', segment), ('service', service)]) AS dc, dc.1 AS dimension, dc.2 AS code,
      toUInt64(active_subscriptions) AS active, toUInt64(gross_adds) AS gross, toUInt64(churned) AS churn, toUInt64(0) AS prev,
      toDecimal128(0, 2) AS rev, toDecimal128(0, 2) AS gross_amt, toDecimal128(0, 2) AS disc,
      toUInt64(0) AS ac, toUInt64(0) AS cc, toUInt64(0) AS bc
    FROM int_stock
    WHERE period IN {periods}
    UNION ALL
    -- and of p-1, as p (a month built with its previous one is in both branches)
    SELECT addMonths(stock_period, 1), region_code, dc, dc.1, dc.2,
      toUInt64(0), toUInt64(0), toUInt64(0), toUInt64(s_active),
      toDecimal128(0, 2), toDecimal128(0, 2), toDecimal128(0, 2), toUInt64(0), toUInt64(0), toUInt64(0)
    FROM (
      SELECT period AS stock_period, region_code, arrayJoin([('segment', segment), ('service', service)]) AS dc, active_subscriptions AS s_active
      FROM int_stock
      WHERE period IN {previous_periods}
    )
    UNION ALL
    -- revenue, by the billed subscription's segment and by service, over every shard
    SELECT period, rc AS region_code, dc, dc.1 AS dimension, dc.2 AS code,
      toUInt64(0), toUInt64(0), toUInt64(0), toUInt64(0), rev_sum, amt_sum, disc_sum, toUInt64(0), toUInt64(0), toUInt64(0)
    FROM (
      SELECT period, arrayJoin([region_code, 'ALL']) AS rc, arrayJoin([('segment', segment), ('service', service)]) AS dc,
        sum(revenue) AS rev_sum, sum(amount) AS amt_sum, sum(discount) AS disc_sum
      FROM int_revenue
      WHERE period IN {periods}
      GROUP BY period, rc, dc
    )
    UNION ALL
    -- customers per segment
    SELECT period, region_code, sc AS dc, dc.1 AS dimension, dc.2 AS code,
      toUInt64(0), toUInt64(0), toUInt64(0), toUInt64(0), toDecimal128(0, 2), toDecimal128(0, 2), toDecimal128(0, 2),
      toUInt64(counts.1), toUInt64(counts.2), toUInt64(counts.3)
    FROM int_kpis_customers
    ARRAY JOIN
      [('segment', 'personal'), ('segment', 'household'), ('segment', 'enterprise')] AS sc,
      [(active_customers_personal, converged_customers_personal, billed_customers_personal),
       (active_customers_household, converged_customers_household, billed_customers_household),
       (active_customers_enterprise, converged_customers_enterprise, billed_customers_enterprise)] AS counts
    WHERE period IN {periods}
  )
  GROUP BY period, region_code, dimension, code
) USING (period, region_code, dimension, code)
